namespace SmartCommunity.Simulator.Scenarios.Stimuli;

using System;
using System.Collections.Generic;
using System.Linq;
using System.Net.Http;
using SmartCommunity.Edge.Layout;
using SmartCommunity.Protocol.Wiegand;
using SmartCommunity.Simulation.Devices;
using SmartCommunity.Simulator.Scenarios.Running;

/// <summary>
/// Stimuli of access control (hardware-docs/door-controller.md, hardware-docs/access-control.md): a card at a door's
/// Wiegand reader, a damaged frame, the request-to-exit button, and an operator's card management through the edge's
/// real API (PUT and DELETE /access/cards/{card}).
/// <para>
/// A card is named by its credential number: the number the reader's frame carries between its parity bits, which is
/// what the door reports and what the API stores (for the usual formats, facility code × 65536 + card number: facility
/// 18, card 1234 is 1180882). It is sent as a 26-bit H10301 frame when it fits 24 bits, else as 34-bit H10306.
/// </para>
/// </summary>
public static class AccessStimuli
{
    /// <summary>The largest credential a 26-bit frame carries (8-bit facility, 16-bit card).</summary>
    public const long Max26 = 0xFF_FFFF;

    /// <summary>The largest credential a 34-bit frame carries (16-bit facility, 16-bit card).</summary>
    public const long Max34 = 0xFFFF_FFFF;

    /// <summary>The card whose frame a bad-frame stimulus damages (facility 1, card 1): any card would do.</summary>
    private const long BadFrameCard = 65537;

    public static void AddTo(StimulusRegistry registry)
    {
        registry.Add(new Stimulus("swipe",
            "swipe: { device, card, bits?: 26|34 } a card at the door's Wiegand reader; card is the credential number (facility × 65536 + card number), sent as 26 bits when it fits, else 34",
            BindSwipe));
        registry.Add(new Stimulus("bad-frame",
            "bad-frame: { device, fault?: parity|length, bits?: 26|34 } a damaged frame at the door's reader: a flipped parity bit, or a bit missing",
            BindBadFrame));
        registry.Add(new Stimulus("rex",
            $"rex: {{ device, hold?: {ScenarioTime.Format(DeviceStimuli.DefaultHold)} }} presses the door's request-to-exit button (pin rex)", a =>
        {
            a.AllowOnly("device", "hold");
            DeviceDefinition door = a.Device("device", d => d.Kind != DeviceKinds.Door ? "is not a door"
                : d.Pins.ContainsKey("rex") ? null : "has no request-to-exit button (wire 'rex' in the layout's pins)");
            TimeSpan hold = a.OptionalDuration("hold") ?? DeviceStimuli.DefaultHold;
            if (hold <= TimeSpan.Zero)
            {
                throw a.Error("hold", "a press of no time presses nothing; give e.g. hold: 500ms");
            }

            return DeviceStimuli.Press($"request-to-exit pressed at {door.Id}", door.Id, "rex", hold);
        }));
        registry.Add(new Stimulus("card",
            "card: { number, name?, unit?, doors?, groups?, validFrom?, validTo?, status? } an operator adds or changes a card: PUT /access/cards/{number}; validFrom/validTo are scenario times (e.g. 2m, -1h)",
            BindCard));
        registry.Add(new Stimulus("remove-card", "remove-card: { number, status? } an operator deletes a card: DELETE /access/cards/{number}", a =>
        {
            a.AllowOnly("number", "status");
            string number = CardNumber(a, "number");
            return OperatorStimuli.Call($"operator removes card {number}", HttpMethod.Delete, $"/access/cards/{number}", null, ApiCaller.Operator, OperatorStimuli.Status(a));
        }));
    }

    /// <summary>A door with a Wiegand reader (both data lines wired in the layout's pins).</summary>
    internal static string? HasReader(DeviceDefinition device) =>
        device.Kind != DeviceKinds.Door ? "is not a door" : ReaderWired(device);

    /// <summary>A device of any kind with a Wiegand reader (a door, a barrier).</summary>
    internal static string? ReaderWired(DeviceDefinition device) =>
        VirtualDevice.HasWiegandReader(device) ? null
        : $"has no card reader (wire '{VirtualDevice.WiegandD0Pin}' and '{VirtualDevice.WiegandD1Pin}' in the layout's pins)";

    /// <summary>The 26- or 34-bit frame of <paramref name="credential"/>, as the reader sends it.</summary>
    public static (long Bits, int Count) Frame(long credential, int bits) => bits == 26
        ? (WiegandEncoder.Encode26((int)(credential >> 16), (int)(credential & 0xFFFF)), 26)
        : (WiegandEncoder.Encode34((int)(credential >> 16), (int)(credential & 0xFFFF)), 34);

    private static IScenarioAction BindSwipe(ScenarioArguments a)
    {
        a.AllowOnly("device", "card", "bits");
        DeviceDefinition door = a.Device("device", HasReader);
        long card = a.Integer("card", 0, Max34);
        int bits = a.Has("bits") ? (int)a.Integer("bits", 26, 34) : card <= Max26 ? 26 : 34;
        if (bits is not (26 or 34))
        {
            throw a.Error("bits", "bits must be 26 (H10301) or 34 (H10306)");
        }

        if (bits == 26 && card > Max26)
        {
            throw a.Error("card", $"card {card} does not fit a 26-bit frame (at most {Max26}); leave bits out or give bits: 34");
        }

        (long frame, int count) = Frame(card, bits);
        return ScenarioAction.Set($"card {card} ({bits}-bit) at the reader of {door.Id}", world => world.Device(door.Id).CardReader!.Send(frame, count));
    }

    private static IScenarioAction BindBadFrame(ScenarioArguments a)
    {
        a.AllowOnly("device", "fault", "bits");
        DeviceDefinition door = a.Device("device", HasReader);
        string fault = a.OptionalOneOf("fault", "parity", "length") ?? "parity";
        int bits = (int)(a.OptionalInteger("bits", 26, 34) ?? 26);
        if (bits is not (26 or 34))
        {
            throw a.Error("bits", "bits must be 26 (H10301) or 34 (H10306)");
        }

        (long frame, int count) = Frame(BadFrameCard, bits);

        // parity: the trailing (odd) parity bit flipped; length: the frame's last bit never sent.
        (long sent, int sentCount) = fault == "parity" ? (frame ^ 1, count) : (frame >> 1, count - 1);
        string what = fault == "parity" ? $"a {bits}-bit frame with a flipped parity bit" : $"a {bits}-bit frame missing its last bit";
        return ScenarioAction.Set($"{what} at the reader of {door.Id}", world => world.Device(door.Id).CardReader!.Send(sent, sentCount));
    }

    private static IScenarioAction BindCard(ScenarioArguments a)
    {
        a.AllowOnly("number", "name", "unit", "doors", "groups", "validFrom", "validTo", "status");
        string number = CardNumber(a, "number");
        IReadOnlyList<string> doors = a.Has("doors")
            ? a.Devices("doors", d => d.Kind == DeviceKinds.Door ? null : "is not a door").Select(d => d.Id).ToList()
            : [];
        IReadOnlyList<string> groups = a.Has("groups") ? a.Texts("groups") : [];
        foreach (string group in groups)
        {
            if (a.Layout.FindDoorGroup(group) is null)
            {
                throw a.Error("groups", a.Layout.DoorGroups.Count == 0
                    ? $"unknown door group '{group}'; the layout declares no doorGroups"
                    : $"unknown door group '{group}'; the layout's door groups: {string.Join(", ", a.Layout.DoorGroups.Select(g => g.Id))}");
            }
        }

        // The edge refuses a card that opens nothing (400); a step that means that says status: 400.
        TimeSpan? from = a.OptionalDuration("validFrom", allowNegative: true);
        TimeSpan? to = a.OptionalDuration("validTo", allowNegative: true);
        var body = new Dictionary<string, object?>
        {
            ["name"] = a.OptionalText("name") ?? $"resident {number}",
            ["unit"] = a.OptionalText("unit"),
            ["validFrom"] = from is { } f ? ScenarioWorld.WallClockIso(f) : null,
            ["validTo"] = to is { } t ? ScenarioWorld.WallClockIso(t) : null,
            ["doors"] = doors,
            ["groups"] = groups,
        };
        string opens = string.Join(", ", doors.Concat(groups.Select(g => $"group {g}")));
        string window = from is null && to is null ? "" : $" valid {(from is { } ff ? "from " + ScenarioTime.Format(ff) : "")}{(from is not null && to is not null ? " " : "")}{(to is { } tt ? "until " + ScenarioTime.Format(tt) : "")}";
        return OperatorStimuli.Call($"operator saves card {number} for {(opens.Length == 0 ? "no door" : opens)}{window}", HttpMethod.Put, $"/access/cards/{number}", body,
            ApiCaller.Operator, OperatorStimuli.Status(a));
    }

    private static string CardNumber(ScenarioArguments a, string key)
    {
        string text = a.Text(key);
        return Edge.Access.CardNumber.TryNormalize(text, out string number)
            ? number
            : throw a.Error(key, $"card number '{text}' must be 1-{Edge.Access.CardNumber.MaxDigits} decimal digits (the credential number the reader reports)");
    }
}
