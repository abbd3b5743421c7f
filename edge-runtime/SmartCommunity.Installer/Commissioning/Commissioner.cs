namespace SmartCommunity.Installer.Commissioning;

using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;

/// <summary>What to commission, who does it, where the report goes and how long to wait for the self-test report.</summary>
public sealed record CommissionRequest(string DeviceId, string ReportFolder, string By, TimeSpan SelfTestTimeout);

/// <summary>
/// <c>sc-installer commission</c> (hardware-docs/installer-guide.md, "Commissioning"), all through the edge's
/// operator API: the device must be online at the edge (<c>GET /devices/{id}</c>), pass its self-test (the
/// <c>self-test</c> command, <c>POST /devices/{id}/commands</c>, answered by a <c>self-test-report</c> event read
/// from <c>GET /events?source=ID</c>), and show readings that make sense for its kind (<see cref="ReadingChecks"/>).
/// The result is appended to the building's report whether it passed or not.
/// </summary>
public sealed class Commissioner(EdgeApiClient edge, TimeProvider time)
{
    public static readonly TimeSpan DefaultSelfTestTimeout = TimeSpan.FromSeconds(30);

    public static readonly TimeSpan PollEvery = TimeSpan.FromMilliseconds(200);

    public async Task<CommissioningResult> CommissionAsync(CommissionRequest request, CancellationToken cancel = default)
    {
        if (string.IsNullOrWhiteSpace(request.DeviceId))
        {
            throw new InstallerProblem(InstallerExit.BadInput, "--device is missing", "give the id printed on the device's label");
        }

        string id = request.DeviceId;
        string devicePath = "/devices/" + Uri.EscapeDataString(id);
        JsonElement twin = await edge.GetAsync(devicePath, cancel).ConfigureAwait(false)
            ?? throw new InstallerProblem(InstallerExit.BadInput, $"the edge {edge.Edge} does not know device '{id}'",
                "check the id on the label; the device must be in the layout the edge runs with (and provisioned: 'sc-installer provision')");
        string kind = Text(twin, "kind") ?? "";
        string building = Text(twin, "building") ?? "unknown";
        var checks = new List<CommissioningCheck>();
        string site = "unknown";

        bool online = twin.TryGetProperty("online", out JsonElement o) && o.ValueKind == JsonValueKind.True;
        checks.Add(new CommissioningCheck("online at the edge", online,
            online ? "online" : "offline" + (Text(twin, "offlineReason") is { } why ? $" ({why})" : Text(twin, "lastSeen") is null ? " (never seen)" : ""),
            "online: powered, on the network, connected to the edge's broker with its bundle's credentials"));
        if (online)
        {
            (JsonElement? report, string? reportSite, CommissioningCheck selfTest) = await SelfTestAsync(id, devicePath, request.SelfTestTimeout, cancel).ConfigureAwait(false);
            site = reportSite ?? site;
            checks.Add(selfTest);
            if (report is { } payload)
            {
                JsonElement after = await edge.GetAsync(devicePath, cancel).ConfigureAwait(false) ?? twin;
                JsonElement? state = ParseState(Text(after, "lastState"));
                checks.AddRange(ReadingChecks.For(kind, payload, state, await ParametersAsync(id, cancel).ConfigureAwait(false)));
                twin = after;
            }
        }

        var result = new CommissioningResult(site, building, id, kind, Text(twin, "firmwareVersion"), request.By, time.GetUtcNow(), checks);
        CommissioningReport.Append(request.ReportFolder, result);
        return result;
    }

    private async Task<(JsonElement? Report, string? Site, CommissioningCheck Check)> SelfTestAsync(string id, string devicePath, TimeSpan timeout, CancellationToken cancel)
    {
        const string name = "self-test passed";
        long marker = (await EventsAsync(id, 1, cancel).ConfigureAwait(false)).Select(e => e.Id).DefaultIfEmpty(0).Max();
        try
        {
            await edge.PostJsonAsync(devicePath + "/commands", new { cmd = "self-test", reason = "commissioning" }, cancel).ConfigureAwait(false);
        }
        catch (InstallerProblem ex) when (ex.ExitCode == InstallerExit.EdgeRefused)
        {
            return (null, null, new CommissioningCheck(name, false, $"the edge refused the self-test command: {ex.What}", "a self-test-report with result pass"));
        }

        DateTimeOffset deadline = time.GetUtcNow() + timeout;
        while (true)
        {
            StoredEventView? found = (await EventsAsync(id, 200, cancel).ConfigureAwait(false))
                .Where(e => e.Id > marker && e.Channel == "event" && e.Name == "self-test-report")
                .OrderBy(e => e.Id)
                .FirstOrDefault();
            if (found is not null)
            {
                JsonElement? payload = ParseState(found.Payload);
                string result = payload is { } p ? Text(p, "result") ?? "missing" : "unreadable";
                string faults = payload is { } f && f.TryGetProperty("faults", out JsonElement list) && list.ValueKind == JsonValueKind.Array && list.GetArrayLength() > 0
                    ? $" (faults: {string.Join(",", list.EnumerateArray().Select(e => e.ToString()))})"
                    : "";
                return (payload, found.Site, new CommissioningCheck(name, result == "pass", result + faults, "pass"));
            }

            if (time.GetUtcNow() >= deadline)
            {
                return (null, null, new CommissioningCheck(name, false, $"no self-test-report within {timeout.TotalSeconds:F0} s",
                    "a self-test-report with result pass (a device that takes commands answers within a second or two)"));
            }

            await Task.Delay(PollEvery, time, cancel).ConfigureAwait(false);
        }
    }

    private async Task<IReadOnlyList<StoredEventView>> EventsAsync(string id, int limit, CancellationToken cancel)
    {
        JsonElement? events = await edge.GetAsync($"/events?source={Uri.EscapeDataString(id)}&limit={limit}", cancel).ConfigureAwait(false);
        if (events is not { ValueKind: JsonValueKind.Array } list)
        {
            return [];
        }

        return list.EnumerateArray()
            .Select(e => new StoredEventView(
                e.TryGetProperty("id", out JsonElement i) && i.TryGetInt64(out long n) ? n : 0,
                Text(e, "site") ?? "",
                Text(e, "channel") ?? "",
                Text(e, "name"),
                Text(e, "payload") ?? ""))
            .ToList();
    }

    private async Task<IReadOnlyDictionary<string, long>> ParametersAsync(string id, CancellationToken cancel)
    {
        var parameters = new Dictionary<string, long>(StringComparer.Ordinal);
        if (await edge.GetAsync("/registry/devices/" + Uri.EscapeDataString(id), cancel).ConfigureAwait(false) is { ValueKind: JsonValueKind.Object } device
            && device.TryGetProperty("params", out JsonElement values) && values.ValueKind == JsonValueKind.Object)
        {
            foreach (JsonProperty p in values.EnumerateObject())
            {
                if (p.Value.TryGetInt64(out long value))
                {
                    parameters[p.Name] = value;
                }
            }
        }

        return parameters;
    }

    private static JsonElement? ParseState(string? json)
    {
        if (string.IsNullOrEmpty(json))
        {
            return null;
        }

        try
        {
            using JsonDocument document = JsonDocument.Parse(json);
            return document.RootElement.Clone();
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static string? Text(JsonElement element, string property) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(property, out JsonElement value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private sealed record StoredEventView(long Id, string Site, string Channel, string? Name, string Payload);
}
