namespace SmartCommunity.Simulator.Scenarios.Expectations;

using System;
using System.Collections.Generic;
using System.Linq;
using SmartCommunity.Edge.Layout;
using SmartCommunity.Protocol;
using SmartCommunity.Simulation.Devices;
using SmartCommunity.Simulation.Hardware;
using SmartCommunity.Simulator.Scenarios.Running;

/// <summary>
/// Expectations on what the devices themselves see and do: their output pins, the messages they send, and the
/// commands that reach their firmware (from <see cref="ScenarioRecorder"/>, so "reaches" means the firmware got it).
/// </summary>
public static class DeviceExpectations
{
    /// <summary>Every command of protocol.md §4.1, the life-safety devices' and access control's included.</summary>
    internal static readonly string[] AllCommandNames =
    [
        CommandNames.Release, CommandNames.Reset, CommandNames.SelfTest, CommandNames.Lock, CommandNames.Unlock,
        CommandNames.Close, CommandNames.CallReceived, CommandNames.CallHandled, CommandNames.Sound,
        CommandNames.AllowList, CommandNames.Grant, CommandNames.Deny, CommandNames.Open, CommandNames.Evacuate,
    ];

    public static void AddTo(ExpectationRegistry registry)
    {
        registry.Add(new ExpectationKind("output",
            "output: { devices, pin?, is: released|energised|off|on } an output's level: a door's lock (energised = locked or held open) unless pin names another (sounder, received, handled)",
            ExpectationModes.Both, ["devices", "pin", "is"], BindOutput));
        registry.Add(new ExpectationKind("valve", "valve: { devices, is: open|closed|between } where the simulated valve's ball is (the hardware, not what the controller reports)",
            ExpectationModes.Both, ["devices", "is"], BindValve));
        registry.Add(new ExpectationKind("reports", "reports: { devices, channel?, event?, fields? } each device sent such a message since the step",
            ExpectationModes.Eventually, ["devices", "channel", "event", "fields"], BindReports));
        registry.Add(new ExpectationKind("command", "command: { cmd, to, result?: done|rejected, reason? } the command reached each device's firmware (and it answered so, a rejection with that reason)",
            ExpectationModes.Eventually, ["cmd", "to", "result", "reason"], BindCommand));
        registry.Add(new ExpectationKind("no-command", "no-command: { to, cmd? } no command (or none of that name) reaches these devices during the window (for:)",
            ExpectationModes.Throughout, ["to", "cmd"], BindNoCommand));
    }

    /// <summary>Device ids for people: all of them up to six, then a count.</summary>
    public static string Names(IReadOnlyList<DeviceDefinition> devices) =>
        devices.Count <= 6 ? string.Join(", ", devices.Select(d => d.Id)) : $"{string.Join(", ", devices.Take(5).Select(d => d.Id))} and {devices.Count - 5} more";

    private static IExpectationCheck BindOutput(ScenarioArguments a)
    {
        string? named = a.OptionalText("pin");
        IReadOnlyList<DeviceDefinition> devices = a.Devices("devices", d => OutputOf(d, named) is null ? WhyNoOutput(d, named) : null);
        string level = a.OneOf("is", "released", "energised", "off", "on");
        bool energised = level is "energised" or "on";
        string opposite = level switch { "released" => "energised", "energised" => "released", "on" => "off", _ => "on" };
        string[] pins = devices.Select(d => OutputOf(d, named)!).Distinct().ToArray();
        string what = named is null && pins is ["lock"] ? "output" : string.Join("/", pins);
        return ExpectationCheck.Stateless($"{Names(devices)}: {what} {level}", (world, _, _) =>
        {
            string[] wrong = devices.Where(d => world.Device(d.Id).Output(OutputOf(d, named)!)!.Energised != energised).Select(d => d.Id).ToArray();
            if (wrong.Length > 0)
            {
                return new Observation(false, $"{string.Join(", ", wrong)} {(wrong.Length == 1 ? "is" : "are")} {opposite}");
            }

            long? since = devices.Select(d => world.Recorder.LastOutputChange(d.Id, OutputOf(d, named)!)?.RealTimestamp).Max();
            return new Observation(true, $"all {level}", since);
        });
    }

    // The output an expectation means: the one named, else a door's lock, else the device's only output.
    private static string? OutputOf(DeviceDefinition device, string? named)
    {
        string[] outputs = VirtualDevice.PinsOf(device)!.Where(p => p.Value == SimulatedPinKind.DigitalOutput).Select(p => p.Key).ToArray();
        return named is not null ? (outputs.Contains(named) ? named : null)
            : outputs.Contains("lock") ? "lock"
            : outputs.Length == 1 ? outputs[0]
            : null;
    }

    private static string WhyNoOutput(DeviceDefinition device, string? named)
    {
        string[] outputs = VirtualDevice.PinsOf(device)!.Where(p => p.Value == SimulatedPinKind.DigitalOutput).Select(p => p.Key).ToArray();
        string list = outputs.Length == 0 ? "none" : string.Join(", ", outputs);
        return named is null
            ? (outputs.Length == 0 ? "has no output pin to check" : $"has several outputs ({list}); name one with pin:")
            : $"has no output '{named}' (its outputs: {list}; optional ones exist when the layout's pins wire them)";
    }

    private static IExpectationCheck BindValve(ScenarioArguments a)
    {
        IReadOnlyList<DeviceDefinition> valves = a.Devices("devices", d => d.Kind == DeviceKinds.Leak ? null : "has no valve");
        ValvePosition wanted = a.OneOf("is", "open", "closed", "between") switch
        {
            "open" => ValvePosition.Open,
            "closed" => ValvePosition.Closed,
            _ => ValvePosition.Between,
        };
        string name = Name(wanted);
        return ExpectationCheck.Stateless($"{Names(valves)}: valve {name}", (world, _, _) =>
        {
            string[] wrong = valves.Select(d => (d.Id, Position: world.Device(d.Id).Valve!.Position)).Where(v => v.Position != wanted)
                .Select(v => $"{v.Id} is {Name(v.Position)}").ToArray();
            return wrong.Length == 0 ? new Observation(true, $"all {name}") : new Observation(false, string.Join(", ", wrong));
        });
    }

    private static string Name(ValvePosition position) => position switch
    {
        ValvePosition.Open => "open",
        ValvePosition.Closed => "closed",
        _ => "between",
    };

    private static IExpectationCheck BindReports(ScenarioArguments a)
    {
        IReadOnlyList<DeviceDefinition> devices = a.Devices("devices");
        string? eventName = a.OptionalText("event");
        string? channel = a.OptionalOneOf("channel", Channel.Telemetry, Channel.Event, Channel.State, Channel.Status, Channel.Ack);
        if (eventName is not null && channel is not null && channel != Channel.Event)
        {
            throw a.Error("channel", "an event is sent on channel event; leave channel out or write channel: event");
        }

        channel ??= eventName is null ? null : Channel.Event;
        IReadOnlyDictionary<string, string> fields = a.Has("fields") ? a.Fields("fields") : new Dictionary<string, string>();
        if (channel is null && fields.Count == 0)
        {
            throw a.Error("say what the message is: channel, event or fields (or several)");
        }

        string what = string.Join(" ", new[]
        {
            eventName is not null ? $"event '{eventName}'" : channel is null ? "a message" : $"a {channel} message",
            fields.Count == 0 ? null : "with " + string.Join(", ", fields.Select(f => $"{f.Key}={f.Value}")),
        }.Where(p => p is not null));
        return ExpectationCheck.Stateless($"{Names(devices)} send {what}", (world, window, _) =>
        {
            var missing = new List<string>();
            long? since = null;
            foreach (DeviceDefinition device in devices)
            {
                IReadOnlyList<DeviceReport> reports = world.Recorder.ReportsFrom(device.Id, window.Start);
                DeviceReport? match = reports.FirstOrDefault(r => !r.Raw && Matches(r, channel, eventName, fields));
                if (match is null)
                {
                    missing.Add(reports.LastOrDefault(r => !r.Raw && (channel is null || r.Channel == channel)) is { } last
                        ? $"{device.Id} (its last {last.Channel}: {Body(last)})"
                        : device.Id);
                    continue;
                }

                since = Math.Max(since ?? 0, match.RealTimestamp);
            }

            return missing.Count == 0 ? new Observation(true, "each sent it", since) : new Observation(false, $"nothing matching from {string.Join("; ", missing)}");
        });
    }

    private static IExpectationCheck BindCommand(ScenarioArguments a)
    {
        string cmd = a.OneOf("cmd", AllCommandNames);
        IReadOnlyList<DeviceDefinition> devices = a.Devices("to");
        string? result = a.OptionalOneOf("result", CommandNames.ResultDone, "rejected");
        string? reason = a.OptionalText("reason");
        if (reason is not null && result != CommandNames.ResultRejected)
        {
            throw a.Error("reason", "a reason goes with result: rejected");
        }

        string answered = result is null ? "" : reason is null ? $", answered {result}" : $", answered {result} ({reason})";
        return ExpectationCheck.Stateless($"{cmd} reaches {Names(devices)}{answered}", (world, window, _) =>
        {
            var missing = new List<string>();
            long? since = null;
            foreach (DeviceDefinition device in devices)
            {
                IReadOnlyList<DeviceDelivery> commands = world.Recorder.CommandsTo(device.Id, window.Start).Where(c => c.Command == cmd).ToList();
                if (commands.Count == 0)
                {
                    missing.Add($"{device.Id} got no {cmd}");
                    continue;
                }

                if (result is null)
                {
                    since = Math.Max(since ?? 0, commands[0].RealTimestamp);
                    continue;
                }

                DeviceReport? ack = world.Recorder.ReportsFrom(device.Id, window.Start).FirstOrDefault(r => r.Channel == Channel.Ack && r.Body is { } body
                    && commands.Any(c => c.CommandId == ScenarioRecorder.FieldText(body, "id")) && ScenarioRecorder.FieldText(body, "result") == result
                    && (reason is null || ScenarioRecorder.FieldText(body, "reason") == reason));
                if (ack is null)
                {
                    missing.Add($"{device.Id} did not answer {result}{(reason is null ? "" : $" ({reason})")}");
                    continue;
                }

                since = Math.Max(since ?? 0, ack.RealTimestamp);
            }

            return missing.Count == 0 ? new Observation(true, "each got it", since) : new Observation(false, string.Join("; ", missing));
        });
    }

    private static IExpectationCheck BindNoCommand(ScenarioArguments a)
    {
        IReadOnlyList<DeviceDefinition> devices = a.Devices("to");
        string? cmd = a.Has("cmd") ? a.OneOf("cmd", AllCommandNames) : null;
        return ExpectationCheck.Stateless($"no {cmd ?? "command"} reaches {Names(devices)}", (world, window, _) =>
        {
            foreach (DeviceDefinition device in devices)
            {
                if (world.Recorder.CommandsTo(device.Id, window.Start).FirstOrDefault(c => cmd is null || c.Command == cmd) is { } got)
                {
                    return new Observation(false, $"{device.Id} got {got.Command} (id {got.CommandId}) at {ScenarioTime.Format(got.At)}");
                }
            }

            return new Observation(true, $"none reached {(devices.Count == 1 ? "it" : "them")}");
        });
    }

    private static bool Matches(DeviceReport report, string? channel, string? eventName, IReadOnlyDictionary<string, string> fields) =>
        (channel is null || report.Channel == channel)
        && (eventName is null || report.EventName == eventName)
        && (fields.Count == 0 || (report.Body is { } body && fields.All(f => ScenarioRecorder.FieldText(body, f.Key) == f.Value)));

    private static string Body(DeviceReport report)
    {
        string text = report.Body?.GetRawText() ?? "(not JSON)";
        return text.Length <= 160 ? text : text[..157] + "...";
    }
}
