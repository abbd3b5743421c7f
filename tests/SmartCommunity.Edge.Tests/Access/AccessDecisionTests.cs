namespace SmartCommunity.Edge.Tests.Access;

using System;
using System.Linq;
using System.Text.Json;
using System.Threading.Tasks;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using SmartCommunity.Edge.Access;
using SmartCommunity.Edge.Layout;
using SmartCommunity.Protocol;

/// <summary>
/// Online decisions for doors that ask, and anti-passback counted on passages the door contact confirms
/// (hardware-docs/access-control.md, "Online decisions", "Anti-passback").
/// </summary>
[TestClass]
public sealed class AccessDecisionTests
{
    private const string Card = "77";
    private static readonly TimeSpan Second = TimeSpan.FromSeconds(1);

    [TestMethod]
    public async Task AccessRequest_ValidCard_GrantAnsweringThatRequestAndAudited()
    {
        await using var rig = await StartedAsync();
        await rig.CardAsync(Card, groups: [AccessRig.Residents]);

        await rig.AccessRequestAsync(AccessRig.Main, Card, req: 7);

        JsonElement answer = Answer(rig, AccessRig.Main);
        Assert.AreEqual((CommandNames.Grant, 7L), (answer.GetProperty("cmd").GetString(), answer.GetProperty("req").GetInt64()));
        AccessAuditEntry entry = rig.Access.Audit(new AccessAuditQuery(AccessRig.Main, null, null, null, 10)).Single();
        Assert.AreEqual((AccessControl.DecisionEntry, AccessControl.Granted, AccessControl.Valid, Card, rig.Time.GetUtcNow()),
            (entry.Event, entry.Decision, entry.Why, entry.Card, entry.At));
        JsonElement logged = rig.Records(AccessControl.DecisionEntry, AccessRig.Main).Single();
        Assert.AreEqual((Card, "granted", 7L), (logged.GetProperty("card").GetString(), logged.GetProperty("decision").GetString(), logged.GetProperty("req").GetInt64()));
    }

    [TestMethod]
    [DataRow("999", AccessControl.UnknownCard)]
    [DataRow("10", AccessCard.Expired)]
    [DataRow("11", AccessCard.NotYetValid)]
    [DataRow("12", AccessControl.NotAllowedHere)]
    [DataRow("12x", AccessControl.BadCard)]
    public async Task AccessRequest_CardThatMayNotPass_DenyWithTheReason(string card, string reason)
    {
        await using var rig = await StartedAsync();
        await rig.CardAsync("10", doors: [AccessRig.Main], from: AccessRig.Start.AddDays(-30), to: AccessRig.Start.AddDays(-1).AddHours(23));
        await rig.CardAsync("11", doors: [AccessRig.Main], from: AccessRig.Start.AddHours(1));
        await rig.CardAsync("12", doors: [AccessRig.GymIn]);

        await rig.AccessRequestAsync(AccessRig.Main, card, req: 3);

        JsonElement answer = Answer(rig, AccessRig.Main);
        Assert.AreEqual((CommandNames.Deny, 3L, reason), (answer.GetProperty("cmd").GetString(), answer.GetProperty("req").GetInt64(), answer.GetProperty("reason").GetString()));
        Assert.AreEqual(reason, rig.Access.Audit(new AccessAuditQuery(AccessRig.Main, null, null, null, 10)).Single().Why);
    }

    [TestMethod]
    public async Task AccessRequest_WithoutRequestNumber_NoAnswerAndCounted()
    {
        await using var rig = await StartedAsync();
        await rig.CardAsync(Card, doors: [AccessRig.Main]);

        await rig.EventAsync(AccessRig.Main, AccessControl.AccessRequestEvent, $"\"card\":\"{Card}\"");

        Assert.IsEmpty(rig.Sent(AccessRig.Main).Where(p => p.Json.GetProperty("cmd").GetString() is CommandNames.Grant or CommandNames.Deny));
        Assert.AreEqual(1L, rig.Access.Refused["access-request-without-req"]);
    }

    [TestMethod]
    public async Task HardAntiPassback_SecondEntryOnlyDeniedAfterTheDoorConfirmedTheFirst()
    {
        await using var rig = await StartedAsync();
        await rig.CardAsync(Card, groups: [AccessRig.Residents, AccessRig.Garage]);

        await rig.AccessRequestAsync(AccessRig.GarageIn, Card, req: 1);
        await rig.AccessRequestAsync(AccessRig.GarageIn, Card, req: 2);
        Assert.AreEqual(CommandNames.Grant, Answer(rig, AccessRig.GarageIn).GetProperty("cmd").GetString(), "a grant the door never opened for is no passage");

        rig.Time.Advance(Second);
        await rig.EventAsync(AccessRig.GarageIn, AccessControl.DoorOpenedEvent);
        await rig.AccessRequestAsync(AccessRig.GarageIn, Card, req: 3);

        JsonElement denied = Answer(rig, AccessRig.GarageIn);
        Assert.AreEqual((CommandNames.Deny, AccessControl.AntiPassbackDenied), (denied.GetProperty("cmd").GetString(), denied.GetProperty("reason").GetString()));
        AccessAuditEntry violation = rig.Access.Audit(new AccessAuditQuery(AccessRig.GarageIn, Card, null, null, 10)).First(e => e.Event == AccessControl.AntiPassbackEntry);
        Assert.AreEqual((AccessControl.Denied, AntiPassback.EntryWithoutExit), (violation.Decision, violation.Why));
        Assert.HasCount(1, rig.Access.Audit(new AccessAuditQuery(AccessRig.GarageIn, Card, null, null, 10)).Where(e => e.Event == AccessControl.PassageEntry));
    }

    [TestMethod]
    public async Task HardAntiPassback_ConfirmedExit_LetsTheCardInAgain()
    {
        await using var rig = await StartedAsync();
        await rig.CardAsync(Card, groups: [AccessRig.Residents, AccessRig.Garage]);
        await PassAsync(rig, AccessRig.GarageIn, req: 1);

        await rig.AccessRequestAsync(AccessRig.GarageOut, Card, req: 1);
        Assert.AreEqual(CommandNames.Grant, Answer(rig, AccessRig.GarageOut).GetProperty("cmd").GetString(), "exits are never refused for anti-passback");
        rig.Time.Advance(Second);
        await rig.EventAsync(AccessRig.GarageOut, AccessControl.DoorOpenedEvent);
        await rig.AccessRequestAsync(AccessRig.GarageIn, Card, req: 2);

        Assert.AreEqual(CommandNames.Grant, Answer(rig, AccessRig.GarageIn).GetProperty("cmd").GetString());
        Assert.AreEqual(DeviceKinds.DirectionOut, rig.Access.Passback(Card).Single().Direction);
    }

    [TestMethod]
    public async Task HardAntiPassback_DoorOpenedAfterTheUnlockWindow_IsNoPassage()
    {
        await using var rig = await StartedAsync();
        await rig.CardAsync(Card, groups: [AccessRig.Garage]);
        await rig.AccessRequestAsync(AccessRig.GarageIn, Card, req: 1);
        TimeSpan window = rig.Access.PassageWindow(rig.Device(AccessRig.GarageIn));
        Assert.AreEqual(TimeSpan.FromSeconds(6), window, "the door's unlockMs (4000) plus the slack");

        rig.Time.Advance(window + Second);
        await rig.EventAsync(AccessRig.GarageIn, AccessControl.DoorOpenedEvent);
        await rig.AccessRequestAsync(AccessRig.GarageIn, Card, req: 2);

        Assert.AreEqual(CommandNames.Grant, Answer(rig, AccessRig.GarageIn).GetProperty("cmd").GetString());
        Assert.IsEmpty(rig.Access.Passback(Card));
    }

    [TestMethod]
    public async Task SoftAntiPassback_SecondEntry_GrantedAndTheViolationLogged()
    {
        await using var rig = await StartedAsync();
        await rig.CardAsync(Card, groups: [AccessRig.Gym]);
        await PassAsync(rig, AccessRig.GymIn, req: 1);

        await rig.AccessRequestAsync(AccessRig.GymIn, Card, req: 2);

        JsonElement answer = Answer(rig, AccessRig.GymIn);
        Assert.AreEqual((CommandNames.Grant, AccessControl.ValidSoftViolation), (answer.GetProperty("cmd").GetString(), answer.GetProperty("reason").GetString()));
        JsonElement violation = rig.Records(AccessControl.AntiPassbackEntry, AccessRig.GymIn).Single();
        Assert.AreEqual((AccessRig.Gym, "soft", "granted", AntiPassback.EntryWithoutExit),
            (violation.GetProperty("group").GetString(), violation.GetProperty("mode").GetString(), violation.GetProperty("decision").GetString(), violation.GetProperty("why").GetString()));
    }

    [TestMethod]
    public async Task TimedAntiPassback_SameCardRefusedForTimedSAfterItsPassage()
    {
        await using var rig = await StartedAsync();
        await rig.CardAsync(Card, groups: [AccessRig.PoolGroup]);
        await PassAsync(rig, AccessRig.Pool, req: 1);
        DateTimeOffset passed = rig.Time.GetUtcNow();

        rig.Time.Advance(TimeSpan.FromSeconds(58));
        await rig.AccessRequestAsync(AccessRig.Pool, Card, req: 2);
        Assert.AreEqual((CommandNames.Deny, AccessControl.AntiPassbackDenied), (Answer(rig, AccessRig.Pool).GetProperty("cmd").GetString(), Answer(rig, AccessRig.Pool).GetProperty("reason").GetString()));

        rig.Time.SetUtcNow(passed + TimeSpan.FromSeconds(60));
        await rig.AccessRequestAsync(AccessRig.Pool, Card, req: 3);
        Assert.AreEqual(CommandNames.Grant, Answer(rig, AccessRig.Pool).GetProperty("cmd").GetString());
    }

    [TestMethod]
    public async Task OfflineGrantReportedByTheDoor_ConfirmedByDoorOpened_CountsForAntiPassback()
    {
        await using var rig = await StartedAsync();
        await rig.CardAsync(Card, groups: [AccessRig.Garage]);
        long up = rig.UptimeMs(AccessRig.GarageIn);

        await rig.EventAsync(AccessRig.GarageIn, AccessControl.AccessEvent,
            $"\"card\":\"{Card}\",\"bits\":26,\"reader\":\"wiegand\",\"decision\":\"granted\",\"why\":\"allow-list\",\"offline\":true,\"at\":{up}");
        rig.Time.Advance(Second);
        await rig.EventAsync(AccessRig.GarageIn, AccessControl.DoorOpenedEvent);
        await rig.AccessRequestAsync(AccessRig.GarageIn, Card, req: 1);

        Assert.AreEqual(CommandNames.Deny, Answer(rig, AccessRig.GarageIn).GetProperty("cmd").GetString());
    }

    [TestMethod]
    public async Task FireReleasedPassage_IsLoggedButNoGrantForAntiPassback()
    {
        await using var rig = await StartedAsync();
        await rig.CardAsync(Card, groups: [AccessRig.Garage]);

        await rig.EventAsync(AccessRig.GarageIn, AccessControl.AccessEvent,
            $"\"card\":\"{Card}\",\"bits\":26,\"reader\":\"wiegand\",\"decision\":\"granted\",\"why\":\"fire-released\",\"offline\":false,\"at\":{rig.UptimeMs(AccessRig.GarageIn)}");
        await rig.EventAsync(AccessRig.GarageIn, AccessControl.DoorOpenedEvent);

        Assert.IsEmpty(rig.Access.Passback(Card));
        Assert.AreEqual("fire-released", rig.Access.Audit(new AccessAuditQuery(null, Card, null, null, 10)).Single().Why, "the swipe during the fire is still in the trail");
    }

    [TestMethod]
    public async Task ResetPassback_ForgivesTheCardAndIsAudited()
    {
        await using var rig = await StartedAsync();
        await rig.CardAsync(Card, groups: [AccessRig.Garage]);
        await PassAsync(rig, AccessRig.GarageIn, req: 1);

        Assert.AreEqual(1, await rig.Access.ResetPassbackAsync(Card, "alice"));
        await rig.AccessRequestAsync(AccessRig.GarageIn, Card, req: 2);

        Assert.AreEqual(CommandNames.Grant, Answer(rig, AccessRig.GarageIn).GetProperty("cmd").GetString());
        Assert.IsTrue(rig.Log.ReadRecent(100, "edge").Any(e => e.Name == "access-passback-reset" && e.Payload.Contains("\"by\":\"alice\"", StringComparison.Ordinal)));
    }

    [TestMethod]
    public async Task Passback_SurvivesARestartOfTheEdge()
    {
        await using var rig = await StartedAsync();
        await rig.CardAsync(Card, groups: [AccessRig.Garage]);
        await PassAsync(rig, AccessRig.GarageIn, req: 1);

        await rig.RestartAsync();
        await rig.AccessRequestAsync(AccessRig.GarageIn, Card, req: 2);

        Assert.AreEqual(CommandNames.Deny, Answer(rig, AccessRig.GarageIn).GetProperty("cmd").GetString());
    }

    private static async Task<AccessRig> StartedAsync()
    {
        var rig = new AccessRig();
        await rig.StartAsync();
        return rig;
    }

    // Granted online, then the door contact reports the opening a second later: a confirmed passage.
    private static async Task PassAsync(AccessRig rig, string door, long req)
    {
        await rig.AccessRequestAsync(door, Card, req);
        Assert.AreEqual(CommandNames.Grant, Answer(rig, door).GetProperty("cmd").GetString());
        rig.Time.Advance(Second);
        await rig.EventAsync(door, AccessControl.DoorOpenedEvent);
        Assert.IsNotEmpty(rig.Access.Passback(Card), "the passage counted");
    }

    /// <summary>The newest grant or deny sent to the door.</summary>
    private static JsonElement Answer(AccessRig rig, string door) =>
        rig.Sent(door).Select(p => p.Json).Last(c => c.GetProperty("cmd").GetString() is CommandNames.Grant or CommandNames.Deny);
}
