namespace SmartCommunity.Edge.Tests.Parking;

using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json;
using System.Threading.Tasks;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using SmartCommunity.Edge.Access;
using SmartCommunity.Edge.Parking;
using SmartCommunity.Protocol;

/// <summary>Answers to the barriers' entry requests (hardware-docs/parking.md, "Entry decisions", "Visitor passes").</summary>
[TestClass]
public sealed class EntryDecisionTests
{
    private const string Card = "4001";

    [TestMethod]
    public async Task EntryRequest_ResidentCardForTheBarriersGroup_OpenWithReqAndWhyAndRecorded()
    {
        await using var rig = new ParkingRig();
        await rig.CardAsync(Card, groups: [ParkingRig.Lanes]);

        await rig.EntryRequestAsync(ParkingRig.Entry, Card, req: 7);

        JsonElement answer = rig.Answer(ParkingRig.Entry, 7);
        Assert.AreEqual((CommandNames.Open, ParkingControl.Valid, ParkingControl.Valid),
            (answer.GetProperty("cmd").GetString(), answer.GetProperty("why").GetString(), answer.GetProperty("reason").GetString()));
        ParkingDecision stored = rig.Parking.Decisions(10).Single();
        Assert.AreEqual((ParkingRig.Entry, ParkingRig.Garage, Card, ParkingControl.Opened, ParkingControl.Valid, 7L),
            (stored.Barrier, stored.CarPark, stored.Card, stored.Decision, stored.Why, stored.Req));
        JsonElement logged = rig.Records("decision").Single();
        Assert.AreEqual((Card, "open", 7L), (logged.GetProperty("card").GetString(), logged.GetProperty("decision").GetString(), logged.GetProperty("req").GetInt64()));
    }

    [TestMethod]
    public async Task EntryRequest_CardNamingTheBarrierDirectly_Open()
    {
        await using var rig = new ParkingRig();
        await rig.CardAsync(Card, doors: [ParkingRig.Entry]);

        await rig.EntryRequestAsync(ParkingRig.Entry, Card, req: 1);
        await rig.EntryRequestAsync(ParkingRig.Ramp, Card, req: 1);

        Assert.AreEqual(CommandNames.Open, rig.Answer(ParkingRig.Entry, 1).GetProperty("cmd").GetString());
        Assert.AreEqual((CommandNames.Deny, AccessControl.NotAllowedHere),
            (rig.Answer(ParkingRig.Ramp, 1).GetProperty("cmd").GetString(), rig.Answer(ParkingRig.Ramp, 1).GetProperty("why").GetString()));
    }

    [TestMethod]
    [DataRow("999", AccessControl.UnknownCard)]
    [DataRow("10", AccessCard.Expired)]
    [DataRow("11", AccessCard.NotYetValid)]
    [DataRow("12", AccessControl.NotAllowedHere)]
    [DataRow("12x", AccessControl.BadCard)]
    public async Task EntryRequest_CardThatMayNotEnter_DenyWithTheReason(string card, string why)
    {
        await using var rig = new ParkingRig();
        await rig.CardAsync("10", groups: [ParkingRig.Lanes], from: ParkingRig.Start.AddDays(-30), to: ParkingRig.Start.AddDays(-1));
        await rig.CardAsync("11", groups: [ParkingRig.Lanes], from: ParkingRig.Start.AddHours(1));
        await rig.CardAsync("12", doors: [ParkingRig.Door]);

        await rig.EntryRequestAsync(ParkingRig.Entry, card, req: 3);

        JsonElement answer = rig.Answer(ParkingRig.Entry, 3);
        Assert.AreEqual((CommandNames.Deny, why), (answer.GetProperty("cmd").GetString(), answer.GetProperty("why").GetString()));
        Assert.AreEqual((ParkingControl.Denied, why), (rig.Parking.Decisions(10).Single().Decision, rig.Parking.Decisions(10).Single().Why));
    }

    [TestMethod]
    public async Task EntryRequest_CarParkFull_DeniedWithCarParkFull()
    {
        await using var rig = await FullAsync();

        await rig.EntryRequestAsync(ParkingRig.Entry, Card, req: 1);

        JsonElement answer = rig.Answer(ParkingRig.Entry, 1);
        Assert.AreEqual((CommandNames.Deny, ParkingControl.CarParkFull), (answer.GetProperty("cmd").GetString(), answer.GetProperty("why").GetString()));
    }

    [TestMethod]
    public async Task EntryRequest_RampIntoAFullLevel_DeniedWithLevelFullThoughTheCarParkIsFullToo()
    {
        await using var rig = await FullAsync();

        await rig.EntryRequestAsync(ParkingRig.Ramp, Card, req: 1);

        Assert.AreEqual(ParkingControl.LevelFull, rig.Answer(ParkingRig.Ramp, 1).GetProperty("why").GetString(),
            "a ramp adds no vehicle to the car park, only to the level it leads to");
    }

    [TestMethod]
    public async Task EntryRequest_RampWithRoomAbove_OpenEvenWhenTheCarParkIsFull()
    {
        await using var rig = new ParkingRig();
        await rig.CardAsync(Card, groups: [ParkingRig.Lanes]);
        await rig.Parking.CorrectAsync(ParkingRig.Garage, new Dictionary<string, long> { ["p0"] = 2, ["p1"] = 1 }, "alice");

        await rig.EntryRequestAsync(ParkingRig.Ramp, Card, req: 1);

        Assert.AreEqual(CommandNames.Open, rig.Answer(ParkingRig.Ramp, 1).GetProperty("cmd").GetString());
    }

    [TestMethod]
    public async Task EntryRequest_ReservedPlaceWhenFull_OpenWithReserved()
    {
        await using var rig = await FullAsync();
        Assert.IsNull(await rig.Parking.ReserveAsync(Card, ParkingRig.Garage, "alice"));

        await rig.EntryRequestAsync(ParkingRig.Entry, Card, req: 1);

        Assert.AreEqual((CommandNames.Open, ParkingControl.ReservedPlace),
            (rig.Answer(ParkingRig.Entry, 1).GetProperty("cmd").GetString(), rig.Answer(ParkingRig.Entry, 1).GetProperty("why").GetString()));
        Assert.IsTrue(await rig.Parking.ReleaseReservationAsync(Card, ParkingRig.Garage, "alice"));
        await rig.EntryRequestAsync(ParkingRig.Entry, Card, req: 2);
        Assert.AreEqual(ParkingControl.CarParkFull, rig.Answer(ParkingRig.Entry, 2).GetProperty("why").GetString());
        CollectionAssert.AreEqual(new[] { "parking-place-reserved", "parking-place-released" },
            rig.Log.ReadRecent(100, "edge").Where(e => e.Name!.StartsWith("parking-place", StringComparison.Ordinal)).OrderBy(e => e.Id).Select(e => e.Name).ToArray());
    }

    [TestMethod]
    [DataRow("4001")]
    [DataRow("999")]
    public async Task EntryRequest_AtTheExitWhenFull_OpenWithExitWhateverTheCard(string card)
    {
        await using var rig = await FullAsync();

        await rig.EntryRequestAsync(ParkingRig.ExitLane, card, req: 1);

        Assert.AreEqual((CommandNames.Open, ParkingControl.Exit),
            (rig.Answer(ParkingRig.ExitLane, 1).GetProperty("cmd").GetString(), rig.Answer(ParkingRig.ExitLane, 1).GetProperty("why").GetString()));
    }

    [TestMethod]
    public async Task EntryRequest_AtABarrierWithoutCarPark_DeniedAndCounted()
    {
        await using var rig = new ParkingRig();
        await rig.CardAsync(Card, doors: [ParkingRig.Gate]);

        await rig.EntryRequestAsync(ParkingRig.Gate, Card, req: 1);

        Assert.AreEqual(ParkingControl.NoCarPark, rig.Answer(ParkingRig.Gate, 1).GetProperty("why").GetString());
        Assert.AreEqual(1L, rig.Parking.Refused["entry-request-no-car-park"]);
    }

    [TestMethod]
    public async Task EntryRequest_WithoutReq_NoAnswerAndCounted()
    {
        await using var rig = new ParkingRig();

        await rig.BarrierAsync(ParkingRig.Entry, Channel.Event, "\"event\":\"entry-request\",\"card\":\"4001\"");

        Assert.IsEmpty(rig.Downlink.Published.Where(p => p.Topic.EndsWith("/" + ParkingRig.Entry + "/cmd", StringComparison.Ordinal)));
        Assert.AreEqual(1L, rig.Parking.Refused["entry-request-without-req"]);
    }

    [TestMethod]
    [DataRow(-1, VisitorPass.NotYetValid)]
    [DataRow(1, ParkingControl.VisitorPassValid)]
    [DataRow(3, VisitorPass.Expired)]
    public async Task EntryRequest_VisitorPass_AdmittedOnlyInsideItsWindow(int hoursAfterStart, string why)
    {
        await using var rig = new ParkingRig();
        string code = await PassAsync(rig);
        rig.Time.Advance(TimeSpan.FromHours(hoursAfterStart + 1));

        await rig.EntryRequestAsync(ParkingRig.Entry, code, req: 1);

        JsonElement answer = rig.Answer(ParkingRig.Entry, 1);
        Assert.AreEqual((why == ParkingControl.VisitorPassValid ? CommandNames.Open : CommandNames.Deny, why),
            (answer.GetProperty("cmd").GetString(), answer.GetProperty("why").GetString()));
        ParkingDecision stored = rig.Parking.Decisions(10).Single();
        Assert.AreEqual((code, (string?)null), (stored.Pass, stored.Card), "a pass is recorded as a pass, not as a card");
    }

    [TestMethod]
    public async Task EntryRequest_RevokedVisitorPass_DeniedWithPassRevoked()
    {
        await using var rig = new ParkingRig();
        string code = await PassAsync(rig);
        rig.Time.Advance(TimeSpan.FromHours(1.5));
        Assert.IsNotNull(await rig.Parking.RevokePassAsync(code, "bob"));

        await rig.EntryRequestAsync(ParkingRig.Entry, code, req: 1);

        Assert.AreEqual(VisitorPass.Revoked, rig.Answer(ParkingRig.Entry, 1).GetProperty("why").GetString());
        Assert.AreEqual("bob", rig.Parking.FindPass(code)!.RevokedBy);
    }

    [TestMethod]
    public async Task EntryRequest_VisitorPassWhenFull_DeniedWithCarParkFull()
    {
        await using var rig = await FullAsync();
        string code = await PassAsync(rig);
        rig.Time.Advance(TimeSpan.FromHours(1.5));

        await rig.EntryRequestAsync(ParkingRig.Entry, code, req: 1);

        Assert.AreEqual(ParkingControl.CarParkFull, rig.Answer(ParkingRig.Entry, 1).GetProperty("why").GetString());
    }

    [TestMethod]
    public async Task CreatePass_CodeOfAResidentsCardOrNoEnd_RefusedWithWhatToFix()
    {
        await using var rig = new ParkingRig();
        await rig.CardAsync(Card, groups: [ParkingRig.Lanes]);

        (VisitorPass? clash, IReadOnlyList<string> clashProblems) = await rig.Parking.CreatePassAsync(new VisitorPassInput(Card, ParkingRig.Garage, "Guest", null, null, rig.Time.GetUtcNow().AddHours(1)), "alice");
        (VisitorPass? endless, IReadOnlyList<string> endlessProblems) = await rig.Parking.CreatePassAsync(new VisitorPassInput(null, ParkingRig.Garage, "Guest", null, null, null), "alice");

        Assert.IsNull(clash);
        StringAssert.Contains(clashProblems.Single(), "is a resident's card");
        Assert.IsNull(endless);
        StringAssert.Contains(endlessProblems.Single(), "validTo is required");
        Assert.IsEmpty(rig.Parking.Passes);
    }

    // p0 holds 1 of 2 and p1 2 of 2: p1 is full, and so is the car park (3 of 3).
    private static async Task<ParkingRig> FullAsync()
    {
        var rig = new ParkingRig();
        await rig.CardAsync(Card, groups: [ParkingRig.Lanes]);
        await rig.Parking.CorrectAsync(ParkingRig.Garage, new Dictionary<string, long> { ["p0"] = 1, ["p1"] = 2 }, "alice");
        Assert.IsTrue(rig.Parking.Occupancy(ParkingRig.Garage)!.Full);
        return rig;
    }

    // A pass valid from one hour after the rig's start to three hours after it.
    private static async Task<string> PassAsync(ParkingRig rig)
    {
        DateTimeOffset now = rig.Time.GetUtcNow();
        (VisitorPass? pass, IReadOnlyList<string> problems) = await rig.Parking.CreatePassAsync(
            new VisitorPassInput(null, ParkingRig.Garage, "J. Visitor", "AB-123-C", now.AddHours(1), now.AddHours(3)), "alice");
        Assert.IsNotNull(pass, string.Join("; ", problems));
        Assert.AreEqual(8, pass.Code.Length);
        return pass.Code;
    }
}
