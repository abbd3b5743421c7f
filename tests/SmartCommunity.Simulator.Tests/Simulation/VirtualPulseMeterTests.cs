namespace SmartCommunity.Simulator.Tests.Simulation;

using System;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.Time.Testing;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using SmartCommunity.Edge.Layout;
using SmartCommunity.Edge.Metering;
using SmartCommunity.Firmware.Devices.PulseMeter;
using SmartCommunity.Simulation.Devices;
using SmartCommunity.Simulation.Hardware;
using SmartCommunity.Simulator.Tests.Scenarios;

/// <summary>
/// The virtual pulse meter device of the metering site with no broker (port 1 on loopback has nothing listening): its
/// simulated meters feed the real firmware through the S0 edge API, and its store outlives a power cut.
/// </summary>
[TestClass]
public sealed class VirtualPulseMeterTests
{
    private static readonly BuildingLayout Layout = LayoutLoader.Load(ScenarioFiles.MeteringLayout);

    [TestMethod]
    public async Task Step_WaterFlows_TheFirmwareCountsEveryPulseTheMeterGave()
    {
        var time = new FakeTimeProvider();
        await using VirtualDevice device = Create("b1-flat1-meter", time);
        device.StartManual();

        Start(device, time, channel: 1, ratePerHour: 720m, TimeSpan.FromMinutes(2));
        Run(device, time, TimeSpan.FromMinutes(3), TimeSpan.FromSeconds(1));

        PulseChannel channel = ((PulseMeter)device.Firmware).Channel(1);
        Assert.AreEqual(24, device.PulseTrain(1)!.Emitted);
        Assert.AreEqual(24, channel.Pulses);
        Assert.AreEqual(0, channel.Input.Rejected);
    }

    [TestMethod]
    public async Task Step_RegisterWrapsInTheLayout_FirmwareTotalWrapsWithItAndPulsesCountOn()
    {
        // b1-flat2-meter ch2: 1 Wh/pulse from 99999.900 kWh on a register of 100 000 kWh (ch2RolloverMilli), as the
        // edge's rollover 99999.999 for b1-flat2-power says.
        var time = new FakeTimeProvider();
        await using VirtualDevice device = Create("b1-flat2-meter", time);
        device.StartManual();

        Start(device, time, channel: 2, ratePerHour: 2000m, TimeSpan.FromMinutes(6));
        Run(device, time, TimeSpan.FromMinutes(7), TimeSpan.FromSeconds(1));

        PulseChannel channel = ((PulseMeter)device.Firmware).Channel(2);
        Assert.AreEqual(200, device.PulseTrain(2)!.Emitted);
        Assert.AreEqual(200, channel.Pulses);
        Assert.AreEqual(100000L, channel.TotalMilli, "99 999 900 Wh + 200 Wh is 100 Wh past the wrap");
        MeterDefinition meter = Layout.Buildings[0].Metering.Meters.First(m => m.Id == "b1-flat2-power");
        Assert.AreEqual(meter.Modulus, meter.Convert(channel.Settings.RolloverMilli / 1000m), "the device's register is the edge's");
    }

    [TestMethod]
    public async Task Step_MoreEdgesInOneTickThanTheRingHolds_LosesNoPulse()
    {
        var time = new FakeTimeProvider();
        await using VirtualDevice device = Create("b1-flat1-meter", time);
        device.StartManual();

        // 5 pulses a second: 100 edges per 10 s tick, more than the firmware's 64-edge ring holds between two polls.
        Start(device, time, channel: 1, ratePerHour: 18_000m, TimeSpan.FromMinutes(1));
        Run(device, time, TimeSpan.FromSeconds(70), TimeSpan.FromSeconds(10));

        PulseChannel channel = ((PulseMeter)device.Firmware).Channel(1);
        Assert.AreEqual(300, device.PulseTrain(1)!.Emitted);
        Assert.AreEqual(300, channel.Pulses);
        Assert.AreEqual(0, channel.Input.Overruns);
    }

    [TestMethod]
    public async Task CutPowerAsync_WhileCounting_BootsFromItsStoreAndNeverCountsMoreThanItSaw()
    {
        var time = new FakeTimeProvider();
        await using VirtualDevice device = Create("b1-flat1-meter", time);
        device.StartManual();
        Start(device, time, channel: 1, ratePerHour: 720m, TimeSpan.FromMinutes(10));
        Run(device, time, TimeSpan.FromMinutes(8), TimeSpan.FromSeconds(1));
        long seen = device.PulseTrain(1)!.Delivered;

        await device.CutPowerAsync(TimeSpan.FromMinutes(1));
        Run(device, time, TimeSpan.FromMinutes(1), TimeSpan.FromSeconds(1));
        Assert.IsTrue(device.PoweredOff);
        await device.ConnectIfDueAsync(CancellationToken.None);

        // Restored from the 5-minute save: at most 5 min of pulses (60) and one more are lost, never one added.
        long restored = ((PulseMeter)device.Firmware).Channel(1).Pulses;
        Assert.IsFalse(device.PoweredOff);
        Assert.AreEqual(2, device.Boot);
        Assert.IsTrue(restored <= seen, $"restored {restored}, seen {seen}");
        Assert.IsTrue(seen - restored <= 61, $"restored {restored}, seen {seen}");
        Assert.IsTrue(restored > 0);

        // The pulses of the minute without power (12, and the ones cut at either end) reached nobody; counting goes on.
        Run(device, time, TimeSpan.FromMinutes(2), TimeSpan.FromSeconds(1));
        S0PulseTrain meter = device.PulseTrain(1)!;
        Assert.AreEqual(120, meter.Emitted);
        Assert.IsTrue(meter.Undelivered >= 12, $"{meter.Undelivered} undelivered");
        Assert.AreEqual(restored + (meter.Delivered - seen), ((PulseMeter)device.Firmware).Channel(1).Pulses);
    }

    private static VirtualDevice Create(string id, FakeTimeProvider time) =>
        VirtualDevice.Create(Layout.DevicesById[id], "127.0.0.1", 1, time, TimeSpan.FromMilliseconds(10));

    private static void Start(VirtualDevice device, FakeTimeProvider time, int channel, decimal ratePerHour, TimeSpan span)
    {
        long now = time.GetUtcNow().ToUnixTimeMilliseconds();
        device.PulseTrain(channel)!.SetFlow(ratePerHour, now, now + (long)span.TotalMilliseconds);
    }

    private static void Run(VirtualDevice device, FakeTimeProvider time, TimeSpan span, TimeSpan tick)
    {
        for (TimeSpan done = TimeSpan.Zero; done < span; done += tick)
        {
            time.Advance(tick);
            device.Step();
        }
    }
}
