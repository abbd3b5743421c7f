namespace SmartCommunity.Simulator.Tests.Simulation;

using System;
using System.Linq;
using System.Threading.Tasks;
using Microsoft.Extensions.Time.Testing;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using SmartCommunity.Edge.Layout;
using SmartCommunity.Firmware.Devices.DoorController;
using SmartCommunity.Protocol.Wiegand;
using SmartCommunity.Simulation.Devices;
using SmartCommunity.Simulation.Hardware;
using SmartCommunity.Simulator.Tests.Scenarios;

/// <summary>
/// The doors of the access-control site as virtual devices with no broker: the layout's door keys reach the
/// firmware's settings, and a card at the simulated reader goes through the real collector to the controller.
/// Port 1 on loopback has nothing listening; the devices are never connected.
/// </summary>
[TestClass]
public sealed class AccessDoorTests
{
    private static readonly BuildingLayout Layout = LayoutLoader.Load(ScenarioFiles.AccessLayout);

    [TestMethod]
    public void Door_FailSecureEntryLock_MapsRoleLockModeAndParams()
    {
        DoorSettings store = FirmwareSettings.Door(Device("b1-store-door"));
        DoorSettings stair = FirmwareSettings.Door(Device("b1-stair-door"));
        DoorSettings garage = FirmwareSettings.Door(Device("b1-garage-in"));

        Assert.AreEqual(DoorRole.EntryLock, store.Role);
        Assert.AreEqual(LockMode.FailSecure, store.LockMode);
        Assert.IsFalse(store.EgressCritical);
        Assert.AreEqual(20000L, store.HeldOpenMs);
        Assert.AreEqual(30000L, store.LinkLostMs);
        Assert.AreEqual(DoorRole.EgressLock, stair.Role);
        Assert.AreEqual(LockMode.FailSafe, stair.LockMode);
        Assert.IsTrue(stair.EgressCritical);
        Assert.IsTrue(garage.AskEdge);
        Assert.AreEqual(new DoorSettings().AllowListCapacity, garage.AllowListCapacity);
    }

    [TestMethod]
    public void PinsOf_DoorWithReaderAndRex_FitsTheRexButton()
    {
        string[] entrance = VirtualDevice.PinsOf(Device("b1-entrance"))!.Keys.ToArray();
        string[] garage = VirtualDevice.PinsOf(Device("b1-garage-in"))!.Keys.ToArray();

        CollectionAssert.AreEquivalent(new[] { "lock", "fire", "doorClosed", "rex" }, entrance);
        CollectionAssert.DoesNotContain(garage, "rex");
        Assert.IsTrue(VirtualDevice.HasWiegandReader(Device("b1-garage-in")));
    }

    [TestMethod]
    public async Task Step_CardAtReaderWithNoList_DeniedAndKeptForTheEdge()
    {
        var time = new FakeTimeProvider();
        await using VirtualDevice door = Create(Device("b1-entrance"), time);
        door.StartManual();
        Run(door, time, TimeSpan.FromMilliseconds(100));

        door.CardReader!.Send(WiegandEncoder.Encode26(18, 1234), 26);
        Run(door, time, TimeSpan.FromMilliseconds(300));

        var controller = (DoorController)door.Firmware;
        Assert.AreEqual(0L, controller.BadFrames);
        Assert.IsGreaterThanOrEqualTo(1, controller.BufferedAccessEvents, "the decision waits for the edge");
        Assert.AreEqual(1L, door.CardReaderInput!.Collector.Accepted);
    }

    [TestMethod]
    public async Task RebootAsync_DoorWithReader_NewCollectorSameReader()
    {
        var time = new FakeTimeProvider();
        await using VirtualDevice door = Create(Device("b1-store-door"), time);
        door.StartManual();
        SimulatedReaderCheck before = new(door.CardReader!, door.CardReaderInput!);

        await door.RebootAsync();
        door.CardReader!.Send(WiegandEncoder.Encode26(1, 1) ^ 1, 26);
        Run(door, time, TimeSpan.FromMilliseconds(300));

        Assert.AreSame(before.Line, door.CardReader);
        Assert.AreNotSame(before.Input, door.CardReaderInput);
        Assert.AreEqual(1L, ((DoorController)door.Firmware).BadFrames);
    }

    private static DeviceDefinition Device(string id) => Layout.DevicesById[id];

    private static VirtualDevice Create(DeviceDefinition definition, FakeTimeProvider time) =>
        VirtualDevice.Create(definition, "127.0.0.1", 1, time, TimeSpan.FromMilliseconds(10));

    private static void Run(VirtualDevice device, FakeTimeProvider time, TimeSpan span)
    {
        for (TimeSpan done = TimeSpan.Zero; done < span; done += TimeSpan.FromMilliseconds(10))
        {
            time.Advance(TimeSpan.FromMilliseconds(10));
            device.Step();
        }
    }

    private sealed record SimulatedReaderCheck(SimulatedWiegandReader Line, WiegandCardReader Input);
}
