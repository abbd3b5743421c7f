namespace SmartCommunity.Simulator.Scenarios.Expectations;

using System;
using System.Linq;
using System.Net.Http;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using SmartCommunity.Edge.Layout;
using SmartCommunity.Simulator.Scenarios.Running;

/// <summary>Expectations on the edge's emergency and welfare calls, as its API shows them (GET /calls/{device}/{call}).</summary>
public static class CallExpectations
{
    public static readonly string[] States = ["held", "open", "acknowledged", "cancelled"];

    public static readonly string[] Stages = ["held", "received", "dispatched", "escalated", "operator-alert", "sounder", "acknowledged", "cancelled"];

    public static void AddTo(ExpectationRegistry registry)
    {
        registry.Add(new ExpectationKind("call",
            "call: { device, call?, kind?: call|welfare, state?: held|open|acknowledged|cancelled, stage?, via?: operator|webhook } the edge's call as GET /calls/{device}/{call} shows it (call: the point's last call unless given)",
            ExpectationModes.Both, ["device", "call", "kind", "state", "stage", "via"], Bind));
    }

    private static IExpectationCheck Bind(ScenarioArguments a)
    {
        DeviceDefinition point = a.Device("device", d => d.Kind == DeviceKinds.EmergencyCallPoint ? null : "is not an emergency call point");
        string? call = a.OptionalText("call");
        string? kind = a.OptionalOneOf("kind", "call", "welfare");
        string? state = a.OptionalOneOf("state", States);
        string? stage = a.OptionalOneOf("stage", Stages);
        string? via = a.OptionalOneOf("via", "operator", "webhook");
        if (kind is null && state is null && stage is null && via is null)
        {
            throw a.Error("say what the call must show: kind, state, stage or via");
        }

        string what = string.Join(", ", new[]
        {
            kind, state, stage is null || stage == state ? null : $"stage {stage}", via is null ? null : $"acknowledged via {via}",
        }.Where(p => p is not null));
        return new ExpectationCheck($"{(call is null ? "the last call" : $"call {call}")} of {point.Id} is {what}", (_, _) => new Evaluator(point.Id, call, kind, state, stage, via));
    }

    private sealed class Evaluator(string device, string? named, string? kind, string? state, string? stage, string? via) : IExpectationEvaluator
    {
        public async ValueTask<Observation> CheckAsync(ScenarioWorld world, TimeSpan now, CancellationToken cancel)
        {
            string? id = named ?? world.Recorder.LastCallId(device);
            if (id is null)
            {
                return new Observation(false, $"{device} has raised no call");
            }

            (int status, string body) = await world.CallApiAsync(HttpMethod.Get, $"/calls/{Uri.EscapeDataString(device)}/{Uri.EscapeDataString(id)}", null, cancel);
            if (status != 200)
            {
                return new Observation(false, status == 0 ? body : $"GET /calls/{device}/{id}: HTTP {status}");
            }

            using JsonDocument document = JsonDocument.Parse(body);
            JsonElement c = document.RootElement;
            string seenKind = Text(c, "kind"), seenState = Text(c, "state"), seenStage = Text(c, "stage");
            string? seenVia = c.TryGetProperty("acknowledged", out JsonElement ack) && ack.ValueKind == JsonValueKind.Object ? Text(ack, "via") : null;
            bool holds = (kind is null || seenKind == kind) && (state is null || seenState == state) && (stage is null || seenStage == stage) && (via is null || seenVia == via);
            string seen = $"call {id}: {seenKind}, {seenState}, stage {seenStage}{(seenVia is null ? "" : $", acknowledged via {seenVia}")}";
            return new Observation(holds, seen);
        }

        private static string Text(JsonElement e, string name) =>
            e.TryGetProperty(name, out JsonElement value) && value.ValueKind == JsonValueKind.String ? value.GetString() ?? "" : "";
    }
}
