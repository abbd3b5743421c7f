namespace SmartCommunity.Simulator.Tests.Simulation;

using System;
using System.Linq;
using System.Threading.Tasks;
using Microsoft.Extensions.Time.Testing;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using SmartCommunity.Edge.Layout;
using SmartCommunity.Firmware.Devices.LeakValve;
using SmartCommunity.Firmware.Devices.SmokeDetector;
using SmartCommunity.Simulation.Devices;
using SmartCommunity.Simulation.Hardware;
using SmartCommunity.Simulator.Tests.Scenarios;

/// <summary>
/// The virtual devices of the life-safety kinds on their simulated hardware, with no broker: what the firmware does
/// on its own. Port 1 on loopback has nothing listening; the devices are never connected.
/// </summary>
[TestClass]
public sealed class VirtualDeviceTests
{
    private static readonly BuildingLayout Layout = LayoutLoader.Load(ScenarioFiles.LifeSafetyLayout);

    [TestMethod]
    public void PinsOf_DetectorWiredForHeadAndSounder_HasOnlyThose()
    {
        string[] pins = VirtualDevice.PinsOf(Device("b1-f1-smoke"))!.Keys.ToArray();

        CollectionAssert.AreEqual(new[] { "head", "sounder" }, pins);
        CollectionAssert.IsSubsetOf(new[] { "head", "hush", "test", "lowBattery", "sounder" }, VirtualDevice.PinsOf(DeviceKinds.Smoke)!.Keys.ToArray());
    }

    [TestMethod]
    public void PinsOf_ValveWithoutProbe_HasNoProbe()
    {
        var pins = VirtualDevice.PinsOf(Device("b2-riser"))!;

        Assert.IsFalse(pins.ContainsKey("probe"));
        Assert.AreEqual(SimulatedPinKind.ModelledInput, pins["closedSwitch"]);
        Assert.AreEqual(SimulatedPinKind.DigitalOutput, pins["driveClose"]);
    }

    [TestMethod]
    public async Task Create_EveryDeviceOfTheLifeSafetySite_BuildsItsFirmware()
    {
        var time = new FakeTimeProvider();
        foreach (DeviceDefinition definition in Layout.DeclaredDevices)
        {
            await using VirtualDevice device = Create(definition, time);

            Assert.AreEqual(definition.Id, device.Firmware.Identity.DeviceId);
            Assert.AreEqual(definition.Kind == DeviceKinds.Leak, device.Valve is not null, definition.Id);
        }
    }

    [TestMethod]
    public async Task Create_SmokeDetector_SoundsOnItsSounderPin()
    {
        var time = new FakeTimeProvider();
        await using VirtualDevice detector = Create(Device("b2-lobby-smoke"), time);
        detector.StartManual();

        detector.SmokeHead!.Value = 800;
        Run(detector, time, TimeSpan.FromSeconds(3));

        Assert.AreEqual(SmokeState.Alarm, ((SmokeDetector)detector.Firmware).State);
        Assert.IsTrue(detector.Output("sounder")!.Energised);
    }

    [TestMethod]
    public async Task Step_LeakWithNoBroker_ClosesTheSimulatedValve()
    {
        var time = new FakeTimeProvider();
        await using VirtualDevice sensor = Create(Device("b2-flat3-leak"), time);
        sensor.StartManual();

        sensor.DigitalInputs["probe"].Active = true;
        Run(sensor, time, TimeSpan.FromSeconds(2) + sensor.Valve!.Travel + TimeSpan.FromSeconds(1));

        Assert.IsFalse(sensor.Transport.IsConnected);
        Assert.AreEqual(ValvePosition.Closed, sensor.Valve.Position);
        Assert.IsFalse(sensor.Valve.DriveClose.Energised, "the motor stops at the closed switch");
        Assert.AreEqual(0L, sensor.Valve.BothDrivesEnergised);
        Assert.AreEqual("closed", LeakValveController.PositionName(((LeakValveController)sensor.Firmware).State));
    }

    [TestMethod]
    public async Task Step_SeizedValve_StaysOpenAndTheMotorStopsAfterTravelMs()
    {
        var time = new FakeTimeProvider();
        await using VirtualDevice sensor = Create(Device("b1-f1-flat11-leak"), time);
        sensor.StartManual();
        sensor.Valve!.Seized = true;

        sensor.DigitalInputs["probe"].Active = true;
        Run(sensor, time, TimeSpan.FromSeconds(2 + 8 + 1));

        Assert.AreEqual(ValvePosition.Open, sensor.Valve.Position);
        Assert.IsFalse(sensor.Valve.DriveClose.Energised);
    }

    [TestMethod]
    public async Task RebootAsync_WhileTheValveMoves_StopsTheMotorAndTheBallStays()
    {
        var time = new FakeTimeProvider();
        await using VirtualDevice sensor = Create(Device("b2-flat3-leak"), time);
        sensor.StartManual();
        sensor.DigitalInputs["probe"].Active = true;
        Run(sensor, time, TimeSpan.FromSeconds(3));
        Assert.AreEqual(ValvePosition.Between, sensor.Valve!.Position);
        double openness = sensor.Valve.Openness;

        await sensor.RebootAsync();
        sensor.DigitalInputs["probe"].Active = false;
        sensor.Step();
        time.Advance(TimeSpan.FromSeconds(10));

        Assert.AreEqual(openness, sensor.Valve.Openness, 1e-9, "a controller never moves the valve at boot");
        Assert.AreEqual(2L, sensor.Boot);
    }

    private static DeviceDefinition Device(string id) => Layout.DevicesById[id];

    private static VirtualDevice Create(DeviceDefinition definition, FakeTimeProvider time) =>
        VirtualDevice.Create(definition, "127.0.0.1", 1, time, TimeSpan.FromMilliseconds(10));

    // The device's main loop in virtual time, every 10 ms.
    private static void Run(VirtualDevice device, FakeTimeProvider time, TimeSpan span)
    {
        for (TimeSpan done = TimeSpan.Zero; done < span; done += TimeSpan.FromMilliseconds(10))
        {
            time.Advance(TimeSpan.FromMilliseconds(10));
            device.Step();
        }
    }
}
