namespace SmartCommunity.Simulation.Hardware;

using System;
using System.Collections.Generic;
using System.Threading;
using SmartCommunity.Protocol.MBus;

/// <summary>
/// A wired M-Bus meter as the master sees it (hardware-docs/mbus-master.md §7): answers SND_NKE with E5, REQ_UD2 with
/// RSP_UD (CI 72), and a secondary-address selection with E5 when it matches. Its register grows with a set flow on
/// the given clock. It honours the FCB: a REQ_UD2 with the same FCB as the one before gets the same telegram again,
/// so a master that lost an answer and repeats does not skip a reading. With <see cref="RecordsPerTelegram"/> set
/// it splits its records over several telegrams, each but the last ending in DIF 1F ("more records follow").
/// Thread-safe: one bus thread calls <see cref="Handle"/>, tests read the counters and change the settings.
/// </summary>
public sealed class VirtualMBusMeter
{
    private readonly TimeProvider _clock;
    private DateTimeOffset _start;
    private readonly Lock _gate = new();
    private readonly List<Record> _extra = [];
    private bool? _lastFcb;
    private byte[]? _lastReply;
    private List<byte[]>? _parts;
    private int _nextPart;
    private int _access;

    /// <param name="primaryAddress">1-250; 0 for an unconfigured meter.</param>
    /// <param name="identification">The 8-digit identification number (secondary address).</param>
    /// <param name="startUnits">The register at the clock's current time, in units of <see cref="RegisterVif"/> (litres for VIF 13).</param>
    /// <param name="unitsPerHour">How fast the register grows.</param>
    public VirtualMBusMeter(int primaryAddress, long identification, TimeProvider clock, long startUnits = 0, long unitsPerHour = 0)
    {
        PrimaryAddress = primaryAddress;
        Identification = identification;
        _clock = clock;
        _start = clock.GetUtcNow();
        StartUnits = startUnits;
        UnitsPerHour = unitsPerHour;
    }

    public int PrimaryAddress { get; }

    public long Identification { get; }

    public string Manufacturer { get; init; } = "SCM";

    public int Version { get; init; } = 1;

    /// <summary>EN 13757-3 medium: 07 water (default), 04 heat, 02 electricity, 03 gas.</summary>
    public int Medium { get; init; } = 0x07;

    /// <summary>The register's DIF: 04 a 32-bit integer (default), 0C 8 BCD digits.</summary>
    public byte RegisterDif { get; init; } = 0x04;

    /// <summary>The register's VIF: 13 volume in litres (default), 03 energy in Wh, 06 energy in kWh.</summary>
    public byte RegisterVif { get; init; } = 0x13;

    /// <summary>The register at the start of the current flow, in units of <see cref="RegisterVif"/>.</summary>
    public long StartUnits { get; private set; }

    public long UnitsPerHour { get; private set; }

    /// <summary>Records per telegram; 0 sends them all in one.</summary>
    public int RecordsPerTelegram { get; set; }

    /// <summary>A meter that is off the bus (a cut wire, a flat battery) answers nothing.</summary>
    public bool Silent { get; set; }

    /// <summary>Until this time on the meter's clock it answers nothing, as if off the bus for a while.</summary>
    public DateTimeOffset? SilentUntil { get; set; }

    public bool Selected { get; private set; }

    public long Resets { get; private set; }

    /// <summary>Telegrams sent for a new REQ_UD2.</summary>
    public long Telegrams { get; private set; }

    /// <summary>Telegrams sent again because the FCB did not change.</summary>
    public long Repeats { get; private set; }

    public long Selections { get; private set; }

    /// <summary>The register value the last new read-out carried, in units of <see cref="RegisterVif"/>.</summary>
    public long LastRegister { get; private set; }

    /// <summary>The register now: start plus the flow so far, whole units.</summary>
    public long RegisterAt(DateTimeOffset at)
    {
        lock (_gate)
        {
            return StartUnits + (UnitsPerHour * (at - _start).Ticks / TimeSpan.TicksPerHour);
        }
    }

    /// <summary>From now on the register grows by <paramref name="unitsPerHour"/>; what it counted so far stays.</summary>
    public void SetFlow(long unitsPerHour)
    {
        lock (_gate)
        {
            DateTimeOffset now = _clock.GetUtcNow();
            StartUnits = RegisterAt(now);
            _start = now;
            UnitsPerHour = unitsPerHour;
        }
    }

    /// <summary>The register reads <paramref name="units"/> now (a meter set or swapped); the flow goes on from there.</summary>
    public void SetRegister(long units)
    {
        lock (_gate)
        {
            StartUnits = units;
            _start = _clock.GetUtcNow();
        }
    }

    /// <summary>Adds a record sent before the register (e.g. a stored value, a temperature), to check the master picks the right one.</summary>
    public VirtualMBusMeter WithRecord(byte dif, byte vif, long value, byte[]? difes = null, byte[]? vifes = null)
    {
        lock (_gate)
        {
            _extra.Add(new Record(dif, difes, vif, vifes, value));
        }

        return this;
    }

    /// <summary>The answer to one frame addressed to the bus, or null when this meter stays quiet.</summary>
    public byte[]? Handle(MBusFrame frame)
    {
        lock (_gate)
        {
            if (Silent || (SilentUntil is { } until && _clock.GetUtcNow() < until))
            {
                return null;
            }

            if (frame.Kind == MBusFrameKind.Short && frame.Control == MBusLink.SndNke)
            {
                return OnReset(frame.Address);
            }

            if (frame.Kind == MBusFrameKind.Short && (frame.Control & 0xDF) == MBusLink.ReqUd2 && Addressed(frame.Address))
            {
                return OnRequest(frame.Control);
            }

            if ((frame.Kind == MBusFrameKind.Long || frame.Kind == MBusFrameKind.Control) && (frame.Control & 0xDF) == MBusLink.SndUd
                && frame.Address == MBusLink.AddressNetworkLayer && frame.ControlInformation == MBusLink.CiSelectSlave)
            {
                return OnSelect(frame);
            }

            return null;
        }
    }

    private bool Addressed(byte address) =>
        address == PrimaryAddress || address == MBusLink.AddressBroadcastReply || (address == MBusLink.AddressNetworkLayer && Selected);

    private byte[]? OnReset(byte address)
    {
        bool broadcast = address is MBusLink.AddressBroadcastNoReply or MBusLink.AddressBroadcastReply;
        if (!broadcast && !Addressed(address))
        {
            return null;
        }

        Resets++;
        _lastFcb = null;
        _lastReply = null;
        _parts = null;
        if (address is MBusLink.AddressNetworkLayer or MBusLink.AddressBroadcastNoReply)
        {
            Selected = false;
        }

        return address == MBusLink.AddressBroadcastNoReply ? null : [MBusLink.Ack];
    }

    private byte[] OnRequest(byte control)
    {
        bool fcv = (control & MBusLink.Fcv) != 0;
        bool fcb = (control & MBusLink.Fcb) != 0;
        if (fcv && _lastFcb == fcb && _lastReply is not null)
        {
            Repeats++;
            return _lastReply;
        }

        if (_parts is null || _nextPart >= _parts.Count)
        {
            _parts = ReadOut();
            _nextPart = 0;
        }

        byte[] reply = _parts[_nextPart++];
        _lastFcb = fcv ? fcb : null;
        _lastReply = reply;
        Telegrams++;
        return reply;
    }

    private byte[]? OnSelect(MBusFrame frame)
    {
        Selected = frame.DataLength == MBusSecondaryAddress.Length && Matches(frame.Buffer, frame.DataOffset);
        if (!Selected)
        {
            return null;
        }

        Selections++;
        return [MBusLink.Ack];
    }

    private bool Matches(byte[] bytes, int at)
    {
        long id = Identification;
        for (int i = 0; i < 4; i++)
        {
            int low = bytes[at + i] & 0xF;
            int high = bytes[at + i] >> 4;
            if ((low != 0xF && low != id % 10) || (high != 0xF && high != (id / 10) % 10))
            {
                return false;
            }

            id /= 100;
        }

        int manufacturer = bytes[at + 4] | (bytes[at + 5] << 8);
        return (manufacturer == MBusSecondaryAddress.AnyManufacturer || manufacturer == MBusManufacturer.Encode(Manufacturer))
            && (bytes[at + 6] == MBusSecondaryAddress.AnyVersion || bytes[at + 6] == Version)
            && (bytes[at + 7] == MBusSecondaryAddress.AnyMedium || bytes[at + 7] == Medium);
    }

    // A new read-out: the register as of now, and the telegrams that carry it.
    private List<byte[]> ReadOut()
    {
        LastRegister = RegisterAt(_clock.GetUtcNow());
        var records = new List<Record>(_extra) { new(RegisterDif, null, RegisterVif, null, LastRegister) };
        int perTelegram = RecordsPerTelegram > 0 ? RecordsPerTelegram : records.Count;
        var parts = new List<byte[]>();
        for (int first = 0; first < records.Count; first += perTelegram)
        {
            var data = new MBusUserDataWriter();
            data.AddLongHeader(Identification, MBusManufacturer.Encode(Manufacturer), Version, Medium, _access++ & 0xFF, 0);
            for (int i = first; i < Math.Min(records.Count, first + perTelegram); i++)
            {
                Record r = records[i];
                if (!data.AddRecord(r.Dif, r.Difes, r.Vif, r.Vifes, r.Value))
                {
                    throw new InvalidOperationException($"record {i + 1} (DIF 0x{r.Dif:X2}, VIF 0x{r.Vif:X2}) does not fit the telegram");
                }
            }

            if (first + perTelegram < records.Count)
            {
                data.AddBytes([0x1F]);
            }

            parts.Add(MBusFrameWriter.RspUd((byte)PrimaryAddress, MBusLink.CiResponseLong, data.ToArray(), false, false));
        }

        return parts;
    }

    private sealed record Record(byte Dif, byte[]? Difes, byte Vif, byte[]? Vifes, long Value);
}
