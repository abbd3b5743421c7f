namespace SmartCommunity.Simulator.Scenarios.Stimuli;

using System;
using System.Collections.Generic;
using System.Linq;
using System.Net.Http;
using System.Text.Json;
using SmartCommunity.Edge.Calls;
using SmartCommunity.Edge.Layout;
using SmartCommunity.Simulator.Scenarios.Running;

/// <summary>
/// The people who answer emergency calls (hardware-docs/emergency-calls.md): an operator through the edge's API, or a
/// backend calling back with the per-call token it received in the dispatched record, as a care centre's system would.
/// A call is named by its id, or, left out, the last call the point raised.
/// </summary>
public static class CallStimuli
{
    public static void AddTo(StimulusRegistry registry)
    {
        registry.Add(new Stimulus("ack-call",
            "ack-call: { device, call?, status? } an operator acknowledges the call: POST /calls/{device}/{call}/ack with the operator's token (call: the point's last call unless given)", a =>
        {
            a.AllowOnly("device", "call", "status");
            DeviceDefinition point = a.Device("device", IsEmergencyCallPoint);
            string? call = a.OptionalText("call");
            int? status = OperatorStimuli.Status(a);
            string what = $"operator acknowledges {(call is null ? "the last call" : $"call {call}")} of {point.Id}";
            return new ScenarioAction(what, async (world, context, cancel) =>
            {
                if (CallOf(world, context, point.Id, call, what) is not { } id)
                {
                    return;
                }

                string path = $"/calls/{Uri.EscapeDataString(point.Id)}/{Uri.EscapeDataString(id)}/ack";
                (int answer, string text) = await world.CallApiAsync(HttpMethod.Post, path, null, ApiCaller.Operator, null, cancel);
                OperatorStimuli.Report(context, $"{what}: POST {path}", answer, text, status);
            }, plan => plan.NeedsEdge(what));
        }));
        registry.Add(new Stimulus("callback-ack",
            "callback-ack: { device, call?, token?: given|wrong|none, by?, status? } the backend acknowledges the call on the callback the edge dispatched to it (its path and per-call token), without an operator token",
            BindCallback));
    }

    internal static string? IsEmergencyCallPoint(DeviceDefinition device) =>
        device.Kind == DeviceKinds.EmergencyCallPoint ? null : "is not an emergency call point";

    private static IScenarioAction BindCallback(ScenarioArguments a)
    {
        a.AllowOnly("device", "call", "token", "by", "status");
        UpstreamStimuli.RequireUpstream(a);
        DeviceDefinition point = a.Device("device", IsEmergencyCallPoint);
        string? call = a.OptionalText("call");
        string token = a.OptionalOneOf("token", "given", "wrong", "none") ?? "given";
        string by = a.OptionalText("by") ?? "scenario backend";
        int? status = OperatorStimuli.Status(a);
        string what = $"the backend acknowledges {(call is null ? "the last call" : $"call {call}")} of {point.Id} by callback"
            + (token == "given" ? "" : $" ({token} token)");
        return new ScenarioAction(what, async (world, context, cancel) =>
        {
            if (CallOf(world, context, point.Id, call, what) is not { } id)
            {
                return;
            }

            // What the backend holds: the newest dispatched (or escalated) record of that call it accepted.
            JsonElement? callback = world.Upstream!.Accepted
                .Where(e => e.Channel == CallRecords.Channel && e.Name is CallRecords.Dispatched or CallRecords.Escalated && e.Payload is { } p
                    && Field(p, "device") == point.Id && Field(p, "call") == id && p.TryGetProperty("callback", out _))
                .OrderByDescending(e => e.Id)
                .Select(e => (JsonElement?)e.Payload!.Value.GetProperty("callback"))
                .FirstOrDefault();
            if (callback is not { } found || Field(found, "path") is not { } path)
            {
                context.Check(what, false, $"the backend has received no {CallRecords.Dispatched} record with a callback for call {id} of {point.Id}");
                return;
            }

            var headers = new Dictionary<string, string>(StringComparer.Ordinal);
            if (token != "none")
            {
                headers["X-Call-Token"] = token == "given" ? Field(found, "token") ?? "" : CallToken.New();
            }

            (int answer, string text) = await world.CallApiAsync(HttpMethod.Post, path, new Dictionary<string, object?> { ["by"] = by }, ApiCaller.Anonymous, headers, cancel);
            OperatorStimuli.Report(context, $"{what}: POST {path}", answer, text, status);
        }, plan => plan.NeedsEdge(what));
    }

    // The call id a step means: the one it names, else the last one the point raised; a check fails when there is none.
    private static string? CallOf(ScenarioWorld world, StimulusContext context, string device, string? named, string what)
    {
        string? id = named ?? world.Recorder.LastCallId(device);
        if (id is null)
        {
            context.Check(what, false, $"{device} has raised no call so far, so there is none to acknowledge");
        }

        return id;
    }

    private static string? Field(JsonElement body, string name) =>
        body.TryGetProperty(name, out JsonElement value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
