namespace SmartCommunity.Simulator.Scenarios.Expectations;

using System;
using System.Collections.Generic;
using System.Linq;
using SmartCommunity.Edge;
using SmartCommunity.Edge.Layout;
using SmartCommunity.Edge.Metering;
using SmartCommunity.Firmware.Devices.PulseMeter;
using SmartCommunity.Simulation.Hardware;
using SmartCommunity.Simulator.Scenarios.Running;
using SmartCommunity.Simulator.Scenarios.Stimuli;

/// <summary>
/// Expectations of metering (issue 8), read from the edge's meter book and the simulated meters: a meter's latest
/// reading, consumption of a meter, a flat or a building for one interval, and that no pulse was counted twice.
/// Every figure is compared as an exact decimal.
/// </summary>
public static class MeterExpectations
{
    public const string Gap = "gap";

    public static void AddTo(ExpectationRegistry registry)
    {
        registry.Add(new ExpectationKind("meter-reading",
            "meter-reading: { meter, total?, lostAtMost? } the edge's latest reading of the meter is total exactly; with lostAtMost, it is never above the simulated meter's register and at most that much below what the meter pulsed while its device was powered (both in measuredIn)",
            ExpectationModes.Both, ["meter", "total", "lostAtMost"], BindReading));
        registry.Add(new ExpectationKind("consumption",
            "consumption: { meter | flat+building | building, interval?: hour, start, value?: <decimal>|gap, status?, flag?, medium?, scope?, unit? } the interval of that kind starting start after the scenario began: its value exactly (gap = no figure), its status (measured, estimated, gap, pending) and a flag it carries; a flat or building sum by medium (and scope flats|common, and unit when its meters are kept in several)",
            ExpectationModes.Both, ["meter", "flat", "building", "interval", "start", "value", "status", "flag", "medium", "scope", "unit"], BindConsumption));
        registry.Add(new ExpectationKind("counted-once",
            "counted-once: { device } no channel of the pulse meter device has counted more pulses than its simulated meter emitted, and no meter it feeds shows more at the edge than the meter's register",
            ExpectationModes.Both, ["device"], BindCountedOnce));
        registry.Add(new ExpectationKind("mbus-meter",
            "mbus-meter: { meter, state?: pending|ok|failing|unreachable|no-register, alertOpen? } the edge's M-Bus master shows the meter in that state (GET /mbus), with or without an open unreachable alert",
            ExpectationModes.Both, ["meter", "state", "alertOpen"], BindMBusMeter));
    }

    private static IExpectationCheck BindMBusMeter(ScenarioArguments a)
    {
        MeterDefinition meter = MeterStimuli.MBusMeter(a, "meter");
        string? state = a.OptionalOneOf("state", MBusMeterStates.Pending, MBusMeterStates.Ok, MBusMeterStates.Failing, MBusMeterStates.Unreachable, MBusMeterStates.NoRegister);
        bool? alertOpen = a.OptionalBoolean("alertOpen");
        if (state is null && alertOpen is null)
        {
            throw a.Error("say what the master must show: state or alertOpen");
        }

        string what = string.Join(", ", new[]
        {
            state is null ? null : $"state {state}",
            alertOpen is null ? null : alertOpen.Value ? "alert open" : "no alert open",
        }.Where(p => p is not null));
        return ExpectationCheck.Stateless($"the M-Bus master shows {meter.Id}: {what}", (world, _, _) =>
        {
            if (world.Edge?.MBus is not { } mbus)
            {
                return new Observation(false, "the edge is not running or runs no M-Bus master");
            }

            MBusMeterStatus? status = mbus.Masters.Select(m => m.Status(meter.Id)).FirstOrDefault(s => s is not null);
            if (status is null)
            {
                return new Observation(false, $"no bus polls {meter.Id}");
            }

            string seen = $"{status.State}, {(status.AlertOpen ? "alert open" : "no alert")}, {status.Polls} polls, {status.FailedPolls} failed, last problem: {status.LastProblem ?? "none"}";
            return new Observation((state is null || status.State == state) && (alertOpen is null || status.AlertOpen == alertOpen), seen);
        });
    }

    private static IExpectationCheck BindReading(ScenarioArguments a)
    {
        MeterDefinition meter = MeterStimuli.Meter(a, "meter");
        decimal? total = a.Has("total") ? MeterStimuli.Decimal(a, "total") : null;
        decimal? lost = a.Has("lostAtMost") ? MeterStimuli.Decimal(a, "lostAtMost") : null;
        if (total is null && lost is null)
        {
            throw a.Error("say what the reading must be: total (exact) or lostAtMost (against the simulated meter)");
        }

        if (lost is not null && meter.Source is not PulseSource)
        {
            throw a.Error("lostAtMost", $"{meter.Id} is not fed by a pulse meter device, so there is no simulated meter to compare with");
        }

        string what = string.Join(", ", new[]
        {
            total is { } t ? $"is {MeterValues.Format(t)} {meter.MeasuredIn}" : null,
            lost is { } l ? $"is within {MeterValues.Format(l)} {meter.MeasuredIn} below what its meter pulsed while powered, never above its register" : null,
        }.Where(p => p is not null));
        return ExpectationCheck.Stateless($"the latest reading of {meter.Id} {what}", (world, _, _) =>
        {
            if (world.Edge is not { } edge)
            {
                return new Observation(false, EdgeLogEvaluator.EdgeStopped);
            }

            if (edge.Meters.Latest(meter.Id) is not { } latest)
            {
                return new Observation(false, $"{meter.Id} has no reading yet");
            }

            string seen = $"latest {MeterValues.Format(latest.Value)} {meter.MeasuredIn} at {ScenarioTime.Format(latest.At - ScenarioWorld.Epoch)}";
            if (total is { } expected && latest.Value != expected)
            {
                return new Observation(false, seen);
            }

            if (lost is { } allowed)
            {
                var source = (PulseSource)meter.Source;
                S0PulseTrain train = world.Device(source.Device).PulseTrain(source.Channel)!;
                decimal register = meter.Convert(train.RegisterMilli / 1000m);
                decimal pulsedWhilePowered = meter.Convert((train.StartMilli + (train.Delivered * train.MilliPerPulse)) / 1000m);
                seen += $"; meter register {MeterValues.Format(register)}, pulsed while powered {MeterValues.Format(pulsedWhilePowered)}";
                if (latest.Value > register || pulsedWhilePowered - latest.Value > allowed)
                {
                    return new Observation(false, seen);
                }
            }

            return new Observation(true, seen);
        });
    }

    private static IExpectationCheck BindConsumption(ScenarioArguments a)
    {
        string intervalName = a.OptionalOneOf("interval", "15m", "hour", "day", "month") ?? "hour";
        IntervalNames.TryParse(intervalName, out IntervalKind kind);
        TimeSpan start = a.Duration("start");
        bool gap = a.Has("value") && a.Text("value") == Gap;
        decimal? value = a.Has("value") && !gap ? MeterStimuli.Decimal(a, "value") : null;
        string? status = a.OptionalOneOf("status", "measured", "estimated", "gap", "pending");
        string? flag = a.OptionalOneOf("flag", "interpolated", "reset", "rollover", "replacement");
        if (!a.Has("value") && status is null && flag is null)
        {
            throw a.Error("say what the interval must show: value, status or flag");
        }

        string target;
        Func<EdgeHost, DateTimeOffset, (decimal? Value, string Status, IReadOnlyList<string> Flags, string Seen)?> read;
        if (a.Has("meter"))
        {
            MeterDefinition meter = MeterStimuli.Meter(a, "meter");
            if (a.OptionalText("unit") is { } unit && unit != meter.MeasuredIn)
            {
                throw a.Error("unit", $"{meter.Id} is kept in {meter.MeasuredIn}, not '{unit}'");
            }

            target = meter.Id;
            read = (edge, from) =>
            {
                IntervalConsumption? c = edge.Meters.Consumption(meter, kind, from, from.AddTicks(1)).FirstOrDefault();
                return c is null ? null : (c.Value, IntervalNames.NameOf(c.Status), c.Flags,
                    $"{Show(c.Value)} {meter.MeasuredIn}, {IntervalNames.NameOf(c.Status)}{Flags(c.Flags)} (series {Show(c.StartValue)}..{Show(c.EndValue)})");
            };
        }
        else
        {
            string building = a.Building("building");
            string? flat = a.OptionalText("flat");
            string? medium = a.OptionalText("medium");
            string? scope = flat is null ? a.OptionalOneOf("scope", "flats", "common") ?? "flats" : null;
            if (flat is not null && a.Has("scope"))
            {
                throw a.Error("scope", "a flat's sum has no scope; scope (flats, common) is for a building's sums");
            }

            MeterDefinition[] members = a.Layout.Buildings.First(b => b.Id == building).Metering.Meters
                .Where(m => flat is null ? (scope == "common") == (m.Unit is null) : m.Unit == flat).ToArray();
            if (members.Length == 0)
            {
                throw a.Error(flat is null ? "scope" : "flat", flat is null ? $"{building} has no {scope} meters" : $"{building} has no meters of '{flat}'");
            }

            string[] media = members.Select(m => m.Medium).Distinct().ToArray();
            if (medium is null && media.Length > 1)
            {
                throw a.Error($"those meters measure {string.Join(", ", media)}; name one with medium:");
            }

            medium ??= media[0];

            // The edge sums per medium and unit (hardware-docs/metering.md, "Sums"): with several units there are several sums.
            string[] units = members.Where(m => m.Medium == medium).Select(m => m.MeasuredIn).Distinct().ToArray();
            string? unit = a.OptionalText("unit");
            if (unit is null && units.Length > 1)
            {
                throw a.Error($"those {medium} meters are kept in {string.Join(", ", units)}, summed apart; name one with unit:");
            }

            if (unit is not null && !units.Contains(unit))
            {
                throw a.Error("unit", $"no {medium} meter there is kept in '{unit}'; they are kept in {string.Join(", ", units)}");
            }

            unit ??= units.FirstOrDefault();
            target = flat is null ? $"{building} ({scope}, {medium})" : $"{flat} of {building} ({medium})";
            read = (edge, from) =>
            {
                ConsumptionSum? s = edge.Meters.Sums(building, flat, kind, from, from.AddTicks(1))
                    .FirstOrDefault(x => x.Medium == medium && (unit is null || x.MeasuredIn == unit) && (flat is not null || x.Scope == scope));
                if (s is null)
                {
                    return null;
                }

                string sumStatus = s.Value is null ? (s.Gaps.Count > 0 ? "gap" : "pending") : s.Incomplete ? "estimated" : "measured";
                return (s.Value, sumStatus, [],
                    $"{Show(s.Value)} {s.MeasuredIn} (partial {MeterValues.Format(s.Partial)}; gaps: {string.Join(", ", s.Gaps)}; estimated: {string.Join(", ", s.Estimated)})");
            };
        }

        string want = string.Join(", ", new[]
        {
            gap ? "no figure (gap)" : value is { } v ? $"value {MeterValues.Format(v)}" : null,
            status is null ? null : $"status {status}",
            flag is null ? null : $"flag {flag}",
        }.Where(p => p is not null));
        return ExpectationCheck.Stateless($"{target}: the {intervalName} from {ScenarioTime.Format(start)} shows {want}", (world, _, _) =>
        {
            if (world.Edge is not { } edge)
            {
                return new Observation(false, EdgeLogEvaluator.EdgeStopped);
            }

            if (read(edge, ScenarioWorld.Epoch + start) is not { } seen)
            {
                return new Observation(false, "no such interval");
            }

            bool holds = (!gap || seen.Value is null)
                && (value is null || seen.Value == value)
                && (status is null || seen.Status == status)
                && (flag is null || seen.Flags.Contains(flag));
            return new Observation(holds, seen.Seen);
        });
    }

    private static IExpectationCheck BindCountedOnce(ScenarioArguments a)
    {
        DeviceDefinition device = MeterStimuli.PulseDevice(a, "device");
        MeterDefinition[] fed = a.Layout.Buildings.SelectMany(b => b.Metering.Meters)
            .Where(m => m.Source is PulseSource p && p.Device == device.Id).ToArray();
        return ExpectationCheck.Stateless($"{device.Id}: no pulse counted twice", (world, _, _) =>
        {
            var simulated = world.Device(device.Id);
            var seen = new List<string>();
            bool holds = true;
            if (simulated.Firmware is PulseMeter meter)
            {
                for (int n = 1; n <= PulseMeterSettings.MaxChannels; n++)
                {
                    if (meter.Channel(n) is { } channel && simulated.PulseTrain(n) is { } train)
                    {
                        holds &= channel.Pulses <= train.Emitted;
                        seen.Add($"ch {n}: counted {channel.Pulses} of {train.Emitted} emitted");
                    }
                }
            }

            foreach (MeterDefinition m in fed)
            {
                var source = (PulseSource)m.Source;
                if (world.Edge?.Meters.Latest(m.Id) is { } latest && simulated.PulseTrain(source.Channel) is { } train)
                {
                    decimal register = m.Convert(train.RegisterMilli / 1000m);
                    holds &= latest.Value <= register;
                    seen.Add($"{m.Id}: edge {MeterValues.Format(latest.Value)} <= register {MeterValues.Format(register)}");
                }
            }

            return new Observation(holds, string.Join("; ", seen));
        });
    }

    private static string Show(decimal? value) => value is { } v ? MeterValues.Format(v) : "null";

    private static string Flags(IReadOnlyList<string> flags) => flags.Count == 0 ? "" : $" [{string.Join(", ", flags)}]";
}
