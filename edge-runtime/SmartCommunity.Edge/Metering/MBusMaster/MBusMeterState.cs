namespace SmartCommunity.Edge.Metering;

using System;
using System.Collections.Generic;
using System.Globalization;
using SmartCommunity.Protocol.MBus;

/// <summary>
/// What the master keeps per meter between polls (hardware-docs/mbus-master.md §4): its link state (the next FCB,
/// whether it needs a reset), when it is due, and the counters and last outcome shown by GET /mbus.
/// Changed only by the bus's poll loop; read under the bus's lock.
/// </summary>
internal sealed class MBusMeterState
{
    public MBusMeterState(MeterDefinition meter, MbusSource source)
    {
        Meter = meter;
        Source = source;
        Address = source.PrimaryAddress is { } primary ? (byte)primary : MBusLink.AddressNetworkLayer;
        Secondary = source.SecondaryAddress is { } text ? ParseSecondary(text) : null;
    }

    public MeterDefinition Meter { get; }

    public MbusSource Source { get; }

    /// <summary>The address REQ_UD2 goes to: the primary address, or FD for a meter selected by secondary address.</summary>
    public byte Address { get; }

    public MBusSecondaryAddress? Secondary { get; }

    /// <summary>The FCB of the next new request; a repeat after a lost answer keeps it.</summary>
    public bool FrameCountBit { get; set; } = true;

    /// <summary>At start and after a failed poll: SND_NKE first, so meter and master agree on the FCB again.</summary>
    public bool NeedsReset { get; set; } = true;

    public DateTimeOffset NextPoll { get; set; }

    public long Polls { get; set; }

    public long Readings { get; set; }

    public long FailedPolls { get; set; }

    public long Retries { get; set; }

    public long Timeouts { get; set; }

    public long Garbled { get; set; }

    public long Telegrams { get; set; }

    public int ConsecutiveFailures { get; set; }

    public long? AlertId { get; set; }

    public DateTimeOffset? LastPoll { get; set; }

    public DateTimeOffset? LastReading { get; set; }

    public decimal? LastValue { get; set; }

    public string? LastDetail { get; set; }

    public string? LastProblem { get; set; }

    public string? Identification { get; set; }

    public string? Manufacturer { get; set; }

    public string State { get; set; } = MBusMeterStates.Pending;

    public string Describe() => Source.Describe();

    public MBusMeterStatus Snapshot() => new(Meter.Id, Describe(), State, NextPoll, LastPoll, LastReading, LastValue, Meter.SourceUnit, LastDetail, LastProblem,
        Identification, Manufacturer, Polls, Readings, FailedPolls, ConsecutiveFailures, Retries, Timeouts, Garbled, Telegrams, AlertId is not null);

    /// <summary>"12345678" (any manufacturer, version, medium) or 16 hex digits: id, manufacturer code, version, medium, as the layout allows.</summary>
    internal static MBusSecondaryAddress ParseSecondary(string text)
    {
        if (text.Length == 8)
        {
            return new MBusSecondaryAddress(text, MBusSecondaryAddress.AnyManufacturer, MBusSecondaryAddress.AnyVersion, MBusSecondaryAddress.AnyMedium);
        }

        return new MBusSecondaryAddress(
            text[..8].ToUpperInvariant(),
            int.Parse(text[8..12], NumberStyles.HexNumber, CultureInfo.InvariantCulture),
            int.Parse(text[12..14], NumberStyles.HexNumber, CultureInfo.InvariantCulture),
            int.Parse(text[14..16], NumberStyles.HexNumber, CultureInfo.InvariantCulture));
    }
}

/// <summary>The states of a polled meter in GET /mbus.</summary>
public static class MBusMeterStates
{
    /// <summary>Not polled yet.</summary>
    public const string Pending = "pending";

    /// <summary>The last poll gave a stored reading.</summary>
    public const string Ok = "ok";

    /// <summary>The last poll failed; fewer than the alert threshold in a row.</summary>
    public const string Failing = "failing";

    /// <summary>The alert threshold of failed polls in a row is reached; an alert is open until the meter answers.</summary>
    public const string Unreachable = "unreachable";

    /// <summary>The meter answers but its telegram holds no usable register, or the reading was refused.</summary>
    public const string NoRegister = "no-register";
}

public sealed record MBusMeterStatus(
    string Meter, string Address, string State, DateTimeOffset NextPoll, DateTimeOffset? LastPoll, DateTimeOffset? LastReading, decimal? LastValue, string Unit,
    string? LastDetail, string? LastProblem, string? Identification, string? Manufacturer, long Polls, long Readings, long FailedPolls, int ConsecutiveFailures,
    long Retries, long Timeouts, long Garbled, long Telegrams, bool AlertOpen);

public sealed record MBusBusStatus(
    string Building, string Bus, string Port, int Baud, bool Open, long OpenFailures, string? LastOpenError, long LineFailures, IReadOnlyList<MBusMeterStatus> Meters);
