namespace SmartCommunity.Simulator.Scenarios.Stimuli;

using System;
using System.Collections.Generic;
using System.Globalization;
using System.Net.Http;
using SmartCommunity.Edge.Layout;
using SmartCommunity.Protocol;

/// <summary>
/// An operator's actions through the edge's real HTTP API, with the runner's operator token. The answer is checked
/// (any 2xx, or the status the step names, e.g. 409 for a command a safety gate refuses) and reported like an
/// expectation.
/// </summary>
public static class OperatorStimuli
{
    public static void AddTo(StimulusRegistry registry)
    {
        registry.Add(new Stimulus("reset-fire", "reset-fire: { building, status? } POST /buildings/{building}/fire/reset (expects 2xx, or the status given)", a =>
        {
            a.AllowOnly("building", "status");
            string building = a.Building("building");
            int? status = Status(a);
            return Call($"operator resets the fire alarm of {building}", HttpMethod.Post, $"/buildings/{building}/fire/reset", null, status);
        }));
        registry.Add(new Stimulus("operator-command",
            "operator-command: { device, cmd, ms?, reason?, status? } POST /devices/{device}/commands (expects 2xx, or the status given)", a =>
        {
            a.AllowOnly("device", "cmd", "ms", "reason", "status");
            DeviceDefinition device = a.Device("device");
            string cmd = a.OneOf("cmd", CommandNames.Release, CommandNames.Reset, CommandNames.SelfTest, CommandNames.Lock, CommandNames.Unlock);
            long? ms = a.OptionalDuration("ms") is { } duration ? (long)duration.TotalMilliseconds : null;
            if (ms is not null && cmd != CommandNames.Unlock)
            {
                throw a.Error("ms", "ms applies only to unlock");
            }

            var body = new Dictionary<string, object?> { ["cmd"] = cmd, ["ms"] = ms, ["reason"] = a.OptionalText("reason") ?? "scenario step" };
            string what = ms is null ? $"operator sends {cmd} to {device.Id}" : $"operator sends {cmd} ({ms} ms) to {device.Id}";
            return Call(what, HttpMethod.Post, $"/devices/{device.Id}/commands", body, Status(a));
        }));
    }

    private static int? Status(ScenarioArguments a) => a.OptionalInteger("status", 100, 599) is { } status ? (int)status : null;

    private static ScenarioAction Call(string what, HttpMethod method, string path, object? body, int? status) =>
        new(what, async (world, context, cancel) =>
        {
            (int answer, string text) = await world.CallApiAsync(method, path, body, cancel);
            bool held = status is null ? answer is >= 200 and < 300 : answer == status;
            string expected = status?.ToString(CultureInfo.InvariantCulture) ?? "2xx";
            context.Check($"{what}: {method} {path} answers {expected}", held, held ? $"HTTP {answer}" : $"HTTP {answer}, expected {expected}: {Shorten(text)}");
        }, plan => plan.NeedsEdge(what));

    private static string Shorten(string text) => text.Length <= 300 ? text : text[..300] + "...";
}
