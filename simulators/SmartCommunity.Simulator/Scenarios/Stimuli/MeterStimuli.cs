namespace SmartCommunity.Simulator.Scenarios.Stimuli;

using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Net.Http;
using SmartCommunity.Edge.Layout;
using SmartCommunity.Edge.Metering;
using SmartCommunity.Firmware.Devices.PulseMeter;
using SmartCommunity.Simulation.Devices;
using SmartCommunity.Simulation.Hardware;

/// <summary>
/// Stimuli of metering (issue 8): flow through a pulse meter device's simulated meters, a power cut that lasts, messages
/// lost on the way, and the operator's record of a replaced meter (hardware-docs/pulse-meter.md, metering.md).
/// </summary>
public static class MeterStimuli
{
    public static void AddTo(StimulusRegistry registry)
    {
        registry.Add(new Stimulus("flow",
            "flow: { device, channel, rate, for? } from now, rate units per hour (the channel's unit: L, m3, Wh) turn the meter on S0 channel 1-4 of a pulse meter device, which pulses (pulseWidthMs, default 60 ms) at that rate; for: stops it after that long; rate: 0 stops it",
            BindFlow));
        registry.Add(new Stimulus("power-cut",
            "power-cut: { device, off } cuts the device's power: Last Will, RAM lost, pulses meanwhile never seen; it boots from its store when off has passed (with a powerFail pin wired, the warning comes one loop step first)",
            BindPowerCut));
        registry.Add(new Stimulus("lose-messages",
            "lose-messages: { device, for } what the device publishes for that long is lost on the way to the edge (the device believes it sent it)",
            BindLoseMessages));
        registry.Add(new Stimulus("fit-new-meter",
            "fit-new-meter: { device, channel, start } an installer swaps the meter on that S0 channel for one whose register reads start (the channel's unit), sets it as the channel's start reading and restarts the device (a new commissioning: the channel counts from there)",
            BindFitNewMeter));
        registry.Add(new Stimulus("replace-meter",
            "replace-meter: { meter, oldFinal, newStart, note?, status? } POST /meters/{meter}/replacement now, readings in the meter's measuredIn (expects 2xx, or the status given)",
            BindReplace));
        registry.Add(new Stimulus("mbus-flow",
            "mbus-flow: { meter, rate } from now the register of the virtual wired M-Bus meter behind that layout meter grows by rate per hour (its measuredIn; whole litres or Wh per hour); rate: 0 stops it",
            BindMBusFlow));
        registry.Add(new Stimulus("mbus-silent",
            "mbus-silent: { meter, for } the virtual wired M-Bus meter answers nothing for that long (a cut wire): the master's polls fail, after 3 in a row it is unreachable with an alert",
            BindMBusSilent));
    }

    /// <summary>A layout meter read by the edge's M-Bus master.</summary>
    internal static MeterDefinition MBusMeter(ScenarioArguments a, string key)
    {
        MeterDefinition meter = Meter(a, key);
        if (meter.Source is not MbusSource)
        {
            throw a.Error(key, $"{meter.Id} is not read over M-Bus (it has no mbus: source in the layout)");
        }

        if (Running.ScenarioWorld.RegisterOf(meter, out string? why) is null)
        {
            throw a.Error(key, why!);
        }

        return meter;
    }

    /// <summary>A pulse meter device argument: kind meter.</summary>
    internal static DeviceDefinition PulseDevice(ScenarioArguments a, string key) =>
        a.Device(key, d => d.Kind == DeviceKinds.Meter ? null : "is not a pulse meter device (kind meter)");

    /// <summary>A fitted channel (1-4) of the pulse meter device.</summary>
    internal static int Channel(ScenarioArguments a, string key, DeviceDefinition device)
    {
        int channel = (int)a.Integer(key, 1, PulseMeterSettings.MaxChannels);
        if (!FirmwareSettings.PulseMeter(device).Channel(channel).IsFitted)
        {
            throw a.Error(key, $"channel {channel} of {device.Id} is not fitted; set ch{channel}Medium in its params");
        }

        return channel;
    }

    /// <summary>An exact decimal argument (a reading, a rate): digits as written, never through floating point.</summary>
    internal static decimal Decimal(ScenarioArguments a, string key)
    {
        string text = a.Text(key);
        return MeterValues.TryParse(text, out decimal value)
            ? value
            : throw a.Error(key, $"'{text}' is not a plain decimal number (e.g. 12.5)");
    }

    /// <summary>A meter id of the layout's metering blocks.</summary>
    internal static MeterDefinition Meter(ScenarioArguments a, string key)
    {
        string id = a.Text(key);
        MeterDefinition[] meters = a.Layout.Buildings.SelectMany(b => b.Metering.Meters).ToArray();
        return meters.FirstOrDefault(m => m.Id == id)
            ?? throw a.Error(key, $"no meter '{id}' in the layout's metering blocks (meters: {string.Join(", ", meters.Select(m => m.Id))})");
    }

    private static IScenarioAction BindFlow(ScenarioArguments a)
    {
        a.AllowOnly("device", "channel", "rate", "for");
        DeviceDefinition device = PulseDevice(a, "device");
        int channel = Channel(a, "channel", device);
        decimal rate = Decimal(a, "rate");
        PulseChannelSettings settings = FirmwareSettings.PulseMeter(device).Channel(channel);
        long width = Math.Max(1, device.Parameter("pulseWidthMs", S0PulseTrain.DefaultPulseWidthMs));
        decimal max = S0PulseTrain.MaxRatePerHour(settings.MilliPerPulse, width);
        if (rate < 0 || rate > max)
        {
            throw a.Error("rate", $"rate {rate} is outside 0 to {max} per hour: faster, the meter's {width} ms pulses would run into each other");
        }

        TimeSpan? duration = a.OptionalDuration("for");
        if (duration is { } d && d <= TimeSpan.Zero)
        {
            throw a.Error("for", "a flow for no time is no flow; leave for out, or give e.g. for: 10m");
        }

        string unit = PulseChannelSettings.UnitName(settings.EffectiveUnit);
        string what = $"{rate} {unit}/h through {device.Id} ch {channel}" + (duration is { } f ? $" for {ScenarioTime.Format(f)}" : "");
        return ScenarioAction.Set(what, world =>
        {
            long now = world.Time.GetUtcNow().ToUnixTimeMilliseconds();
            world.Device(device.Id).PulseTrain(channel)!.SetFlow(rate, now, duration is { } f ? now + (long)f.TotalMilliseconds : null);
        });
    }

    private static IScenarioAction BindMBusFlow(ScenarioArguments a)
    {
        a.AllowOnly("meter", "rate");
        MeterDefinition meter = MBusMeter(a, "meter");
        decimal rate = Decimal(a, "rate");
        long perMeasured = Running.ScenarioWorld.RegisterOf(meter, out _)!.Value.UnitsPerMeasured;
        decimal units = rate * perMeasured;
        if (rate < 0 || units != decimal.Truncate(units) || units > int.MaxValue)
        {
            throw a.Error("rate", $"rate {rate} {meter.MeasuredIn}/h must be 0 or more and a whole number of the meter's register units ({(perMeasured == 1 ? meter.MeasuredIn : $"1/{perMeasured} {meter.MeasuredIn}")}) per hour");
        }

        return ScenarioAction.Set($"{rate} {meter.MeasuredIn}/h through M-Bus meter {meter.Id}", world => world.MBusMeter(meter.Id).SetFlow((long)units));
    }

    private static IScenarioAction BindMBusSilent(ScenarioArguments a)
    {
        a.AllowOnly("meter", "for");
        MeterDefinition meter = MBusMeter(a, "meter");
        TimeSpan span = a.Duration("for");
        if (span <= TimeSpan.Zero)
        {
            throw a.Error("for", "a silence of no time changes nothing; give e.g. for: 16m");
        }

        return ScenarioAction.Set($"M-Bus meter {meter.Id} answers nothing for {ScenarioTime.Format(span)}",
            world => world.MBusMeter(meter.Id).SilentUntil = world.Time.GetUtcNow() + span);
    }

    private static IScenarioAction BindPowerCut(ScenarioArguments a)
    {
        a.AllowOnly("device", "off");
        DeviceDefinition device = a.Device("device");
        TimeSpan off = a.Duration("off");
        if (off <= TimeSpan.Zero)
        {
            throw a.Error("off", "a cut of no time is a reboot; use reboot, or give e.g. off: 2m");
        }

        return new ScenarioAction($"cut the power of {device.Id} for {ScenarioTime.Format(off)}", async (world, context, cancel) =>
        {
            if (world.Device(device.Id).PoweredOff)
            {
                context.Check($"cut the power of {device.Id}", false, "it is still without power from an earlier cut");
                return;
            }

            await world.CutPowerAsync(device.Id, off, cancel);
        }, plan => plan.Reboot(device.Id));
    }

    private static IScenarioAction BindLoseMessages(ScenarioArguments a)
    {
        a.AllowOnly("device", "for");
        DeviceDefinition device = a.Device("device");
        TimeSpan span = a.Duration("for");
        return ScenarioAction.Set($"lose what {device.Id} sends for {ScenarioTime.Format(span)}",
            world => world.Device(device.Id).LoseMessagesUntil(world.Time.GetUtcNow() + span));
    }

    private static IScenarioAction BindFitNewMeter(ScenarioArguments a)
    {
        a.AllowOnly("device", "channel", "start");
        DeviceDefinition device = PulseDevice(a, "device");
        int channel = Channel(a, "channel", device);
        decimal start = Decimal(a, "start");
        decimal milli = start * 1000m;
        if (milli != decimal.Truncate(milli) || milli < 0 || milli > PulseMeterSettings.MaxStartMilli)
        {
            throw a.Error("start", $"start {start} must be 0 or more with at most three decimals (the firmware keeps thousandths of the unit)");
        }

        return new ScenarioAction($"fit a new meter reading {start} on {device.Id} ch {channel}", async (world, _, cancel) =>
        {
            world.Device(device.Id).FitNewMeter(channel, (long)milli);
            await world.RebootAsync(device.Id, cancel);
        }, plan => plan.Reboot(device.Id));
    }

    private static IScenarioAction BindReplace(ScenarioArguments a)
    {
        a.AllowOnly("meter", "oldFinal", "newStart", "note", "status");
        MeterDefinition meter = Meter(a, "meter");
        decimal oldFinal = Decimal(a, "oldFinal");
        decimal newStart = Decimal(a, "newStart");
        var body = new Dictionary<string, object?>
        {
            ["oldFinal"] = MeterValues.Format(oldFinal),
            ["newStart"] = MeterValues.Format(newStart),
            ["note"] = a.OptionalText("note") ?? "scenario step",
        };
        string what = string.Create(CultureInfo.InvariantCulture, $"operator records the replacement of {meter.Id}: old final {oldFinal}, new start {newStart} {meter.MeasuredIn}");
        return OperatorStimuli.Call(what, HttpMethod.Post, $"/meters/{Uri.EscapeDataString(meter.Id)}/replacement", body, Running.ApiCaller.Operator, OperatorStimuli.Status(a));
    }
}
