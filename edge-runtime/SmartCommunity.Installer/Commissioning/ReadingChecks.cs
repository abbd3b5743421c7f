namespace SmartCommunity.Installer.Commissioning;

using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text.Json;
using SmartCommunity.Edge.Layout;
using SmartCommunity.Firmware.Devices.SmokeDetector;
using SmartCommunity.Firmware.Boot;

/// <summary>
/// Whether a freshly installed device's readings make sense for its kind (hardware-docs/installer-guide.md,
/// "Commissioning"), from its self-test report and its last state message: what a wiring mistake or a faulty part
/// typically shows. A door whose fire input is active, a smoke head reading open or short circuit or already
/// smoke, a barrier with both limit switches made, a valve with both position switches made or a wet probe, a
/// broken glass, a call button stuck pressed, a meter in power-fail or tamper.
/// </summary>
public static class ReadingChecks
{
    public static IReadOnlyList<CommissioningCheck> For(string kind, JsonElement report, JsonElement? state, IReadOnlyDictionary<string, long> parameters)
    {
        var checks = new List<CommissioningCheck>();
        switch (kind)
        {
            case DeviceKinds.Door:
                checks.Add(Flag("fire input not active", report, "fireInput", expected: false,
                    "false (the fire alarm panel's relay closed, wired per door-controller.md)"));
                break;
            case DeviceKinds.Smoke:
                checks.AddRange(Smoke(state, parameters));
                break;
            case DeviceKinds.Barrier:
                bool open = Bool(report, "openLimit") == true;
                bool closed = Bool(report, "closedLimit") == true;
                checks.Add(new CommissioningCheck("limit switches not both active", !(open && closed),
                    $"openLimit={Text(report, "openLimit")}, closedLimit={Text(report, "closedLimit")}", "at most one limit switch made (parking-barrier.md)"));
                checks.Add(Flag("safety sensor OK", report, "sensorOk", expected: true, "true (the photo-eye's OK contact, parking-barrier.md)"));
                break;
            case DeviceKinds.Leak:
                bool openSwitch = Bool(report, "openSwitch") == true;
                bool closedSwitch = Bool(report, "closedSwitch") == true;
                checks.Add(new CommissioningCheck("valve position switches agree", openSwitch != closedSwitch,
                    $"openSwitch={Text(report, "openSwitch")}, closedSwitch={Text(report, "closedSwitch")}", "exactly one position switch made (leak-valve.md)"));
                checks.Add(new CommissioningCheck("leak probe dry", Text(report, "probe") != "wet", $"probe={Text(report, "probe")}", "dry, or none for a valve alone"));
                break;
            case DeviceKinds.ManualCallPoint:
                checks.Add(new CommissioningCheck("glass intact", Text(state, "glass") == "intact", $"glass={Text(state, "glass")}", "intact (call-points.md)"));
                break;
            case DeviceKinds.EmergencyCallPoint:
                checks.Add(Flag("call button not held", report, "callButton", expected: false, "false (a button stuck pressed raises a call; call-points.md)"));
                break;
            case DeviceKinds.Meter:
                checks.Add(Flag("no power-fail warning", report, "powerFail", expected: false, "false (pulse-meter.md)"));
                checks.Add(Flag("no tamper", report, "tamper", expected: false, "false: the enclosure closed (pulse-meter.md)"));
                break;
        }

        return checks;
    }

    // smoke-detector.md: the head reads open circuit below openCircuitBelow, short circuit above shortCircuitAbove, smoke from alarmThreshold.
    private static IEnumerable<CommissioningCheck> Smoke(JsonElement? state, IReadOnlyDictionary<string, long> parameters)
    {
        SmokeDetectorSettings settings = SmokeDetectorSettings.Read(new Parameters(parameters));
        long? level = state is { ValueKind: JsonValueKind.Object } s && s.TryGetProperty("level", out JsonElement l) && l.TryGetInt64(out long v) ? v : null;
        bool inRange = level is { } value && value >= settings.OpenCircuitBelow && value < settings.AlarmThreshold;
        yield return new CommissioningCheck("chamber reading in range", inRange, level?.ToString(CultureInfo.InvariantCulture) ?? "no reading",
            $"{settings.OpenCircuitBelow} to {settings.AlarmThreshold - 1} in clean air (below is an open circuit, from {settings.AlarmThreshold} smoke; smoke-detector.md)");
        string faults = state is { ValueKind: JsonValueKind.Object } f && f.TryGetProperty("faults", out JsonElement list) && list.ValueKind == JsonValueKind.Array
            ? string.Join(",", list.EnumerateArray().Select(e => e.ToString()))
            : "?";
        yield return new CommissioningCheck("no standing faults", faults.Length == 0, faults.Length == 0 ? "none" : faults, "none");
    }

    private static CommissioningCheck Flag(string name, JsonElement? source, string field, bool expected, string explanation) =>
        new(name, Bool(source, field) == expected, $"{field}={Text(source, field)}", explanation);

    private static bool? Bool(JsonElement? source, string field) =>
        source is { ValueKind: JsonValueKind.Object } o && o.TryGetProperty(field, out JsonElement value) && value.ValueKind is JsonValueKind.True or JsonValueKind.False
            ? value.GetBoolean()
            : null;

    private static string Text(JsonElement? source, string field) =>
        source is { ValueKind: JsonValueKind.Object } o && o.TryGetProperty(field, out JsonElement value)
            ? (value.ValueKind == JsonValueKind.String ? value.GetString() ?? "" : value.GetRawText())
            : "missing";

    private sealed class Parameters(IReadOnlyDictionary<string, long> values) : IParameterSource
    {
        public long Parameter(string name, long fallback) => values.TryGetValue(name, out long value) ? value : fallback;
    }
}
