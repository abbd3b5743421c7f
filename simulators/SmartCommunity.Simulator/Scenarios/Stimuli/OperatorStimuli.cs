namespace SmartCommunity.Simulator.Scenarios.Stimuli;

using System;
using System.Collections.Generic;
using System.Globalization;
using System.Net.Http;
using SmartCommunity.Edge.Layout;
using SmartCommunity.Protocol;
using SmartCommunity.Simulator.Scenarios.Running;

/// <summary>
/// An operator's actions through the edge's real HTTP API, with the runner's operator token. The answer is checked
/// (any 2xx, or the status the step names, e.g. 409 for a command a safety gate refuses) and reported like an
/// expectation.
/// </summary>
public static class OperatorStimuli
{
    public static void AddTo(StimulusRegistry registry)
    {
        registry.Add(new Stimulus("reset-fire",
            "reset-fire: { building, force?: false, as?: operator|admin, status? } POST /buildings/{building}/fire/reset (expects 2xx, or the status given); force asks an admin's override past offline detectors", a =>
        {
            a.AllowOnly("building", "force", "as", "status");
            string building = a.Building("building");
            bool force = a.OptionalBoolean("force") ?? false;
            ApiCaller caller = Caller(a);
            string who = caller == ApiCaller.Admin ? "admin" : "operator";
            string what = force ? $"{who} forces the reset of the fire alarm of {building}" : $"{who} resets the fire alarm of {building}";
            return Call(what, HttpMethod.Post, $"/buildings/{building}/fire/reset", force ? new Dictionary<string, object?> { ["force"] = true } : null, caller, Status(a));
        }));
        registry.Add(new Stimulus("operator-command",
            "operator-command: { device, cmd, ms?, reason?, as?: operator|admin, status? } POST /devices/{device}/commands (expects 2xx, or the status given, e.g. 409 for a command a safety gate refuses); a barrier takes open, close, evacuate, reset", a =>
        {
            a.AllowOnly("device", "cmd", "ms", "reason", "as", "status");
            DeviceDefinition device = a.Device("device");
            string cmd = a.OneOf("cmd", CommandNames.Release, CommandNames.Reset, CommandNames.SelfTest, CommandNames.Lock, CommandNames.Unlock, CommandNames.Close, CommandNames.Open, CommandNames.Evacuate);
            long? ms = a.OptionalDuration("ms") is { } duration ? (long)duration.TotalMilliseconds : null;
            if (ms is not null && cmd != CommandNames.Unlock)
            {
                throw a.Error("ms", "ms applies only to unlock");
            }

            var body = new Dictionary<string, object?> { ["cmd"] = cmd, ["ms"] = ms, ["reason"] = a.OptionalText("reason") ?? "scenario step" };
            string what = ms is null ? $"operator sends {cmd} to {device.Id}" : $"operator sends {cmd} ({ms} ms) to {device.Id}";
            return Call(what, HttpMethod.Post, $"/devices/{device.Id}/commands", body, Caller(a), Status(a));
        }));
    }

    private static ApiCaller Caller(ScenarioArguments a) => a.OptionalOneOf("as", "operator", "admin") == "admin" ? ApiCaller.Admin : ApiCaller.Operator;

    internal static int? Status(ScenarioArguments a) => a.OptionalInteger("status", 100, 599) is { } status ? (int)status : null;

    internal static ScenarioAction Call(string what, HttpMethod method, string path, object? body, ApiCaller caller, int? status) =>
        new(what, async (world, context, cancel) =>
        {
            (int answer, string text) = await world.CallApiAsync(method, path, body, caller, null, cancel);
            Report(context, $"{what}: {method} {path}", answer, text, status);
        }, plan => plan.NeedsEdge(what));

    /// <summary>Reports an API answer like an expectation: held when it is a 2xx, or the status the step names.</summary>
    internal static void Report(StimulusContext context, string what, int answer, string text, int? status)
    {
        bool held = status is null ? answer is >= 200 and < 300 : answer == status;
        string expected = status?.ToString(CultureInfo.InvariantCulture) ?? "2xx";
        context.Check($"{what} answers {expected}", held, held ? $"HTTP {answer}" : $"HTTP {answer}, expected {expected}: {Shorten(text)}");
    }

    private static string Shorten(string text) => text.Length <= 300 ? text : text[..300] + "...";
}
