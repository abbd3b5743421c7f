namespace SmartCommunity.Simulator.Hil;

using System;
using System.Collections.Generic;
using SmartCommunity.Edge.Layout;

/// <summary>
/// The pins a device kind has, by the names of the layout schema (hardware-docs/layout.md, "pins"), seen from the
/// bench: a device input is driven by the bench, a device output is read by it. The direction follows from the kind,
/// so a pin map cannot get it backwards.
/// </summary>
public static class HilPinRoles
{
    /// <summary>A pin of a kind: its direction, whether every map must have it, and the bench's level at start.</summary>
    public sealed record Role(HilDirection Direction, bool Required, bool InitiallyActive);

    // The bench starts by presenting a fire and a closed door: a device under test that has just been wired up stays
    // released until a test clears the fire input on purpose (door-controller.md, "Boot").
    private static readonly IReadOnlyDictionary<string, IReadOnlyDictionary<string, Role>> Roles =
        new Dictionary<string, IReadOnlyDictionary<string, Role>>(StringComparer.Ordinal)
        {
            [DeviceKinds.Door] = new Dictionary<string, Role>(StringComparer.Ordinal)
            {
                ["lock"] = new Role(HilDirection.BenchReads, Required: true, InitiallyActive: false),
                ["fire"] = new Role(HilDirection.BenchDrives, Required: true, InitiallyActive: true),
                ["doorClosed"] = new Role(HilDirection.BenchDrives, Required: false, InitiallyActive: true),
            },
        };

    /// <summary>Why a kind has no HIL pins, for kinds the layout knows but HIL cannot drive.</summary>
    public static string? Unsupported(string kind) => kind == DeviceKinds.Smoke
        ? "smoke heads are analog inputs of the device under test; driving one takes a DAC or a current source, which HIL mode does not have (an ADS1115 only measures). Test a smoke detector's logic with virtual devices, or run it on a Linux controller with the Ads1115AnalogInput adapter (hardware-docs/hil.md)"
        : null;

    public static IReadOnlyDictionary<string, Role>? Of(string kind) => Roles.GetValueOrDefault(kind);

    public static IEnumerable<string> Kinds => Roles.Keys;
}
