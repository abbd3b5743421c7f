namespace SmartCommunity.Edge.Tests.Safety;

using System.Linq;
using System.Threading.Tasks;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using SmartCommunity.Edge.Commands;
using SmartCommunity.Protocol;

/// <summary>
/// A confirmed fire opens the building's parking barriers for evacuation and nothing closes them until the reset
/// (hardware-docs/safety.md §8, hardware-docs/parking-barrier.md).
/// </summary>
[TestClass]
public sealed class BarrierEvacuationTests
{
    [TestMethod]
    public async Task Latch_ConfirmedFire_SendsEvacuateToTheBuildingsBarrier()
    {
        await using var rig = new FireRig();

        await rig.EventAsync(FireRig.CallPoint, "activated");

        CollectionAssert.AreEqual(new[] { FireRig.Barrier }, rig.Sent(CommandNames.Evacuate).ToList());
    }

    [TestMethod]
    [DataRow(CommandOrigin.Operator)]
    [DataRow(CommandOrigin.Rule)]
    public async Task Close_WhileTheFireStands_RefusedWhoeverAsks(CommandOrigin origin)
    {
        await using var rig = new FireRig();
        await rig.EventAsync(FireRig.CallPoint, "activated");

        CommandTicket close = await rig.Commands.RequestAsync(new CommandRequest(rig.Device(FireRig.Barrier), CommandKind.Close, "tidy up", origin, "alice"));
        CommandTicket reset = await rig.Commands.RequestAsync(new CommandRequest(rig.Device(FireRig.Barrier), CommandKind.Reset, "tidy up", origin, "alice"));

        Assert.IsFalse(close.Accepted);
        StringAssert.Contains(close.RefusedBecause, "barriers stay open for evacuation");
        Assert.IsFalse(reset.Accepted);
        Assert.IsEmpty(rig.Sent(CommandNames.Close));
    }

    [TestMethod]
    public async Task Close_NoFire_Sent()
    {
        await using var rig = new FireRig();

        CommandTicket close = await rig.Commands.RequestAsync(new CommandRequest(rig.Device(FireRig.Barrier), CommandKind.Close, "night", CommandOrigin.Operator, "alice"));

        Assert.IsTrue(close.Accepted);
    }

    [TestMethod]
    public async Task BackOnline_WhileTheFireStands_GetsEvacuateAgain()
    {
        await using var rig = new FireRig();
        await rig.EventAsync(FireRig.CallPoint, "activated");

        await rig.WillAsync(FireRig.Barrier);
        await rig.StatusOnlineAsync(FireRig.Barrier);

        Assert.AreEqual(2, rig.Sent(CommandNames.Evacuate).Count(d => d == FireRig.Barrier));
    }
}
