namespace SmartCommunity.Simulation.Hardware;

using System;
using System.Collections.Generic;

/// <summary>
/// The S0 output of one simulated utility meter (hardware-docs/pulse-meter.md, "S0 in short"): a flow in units per
/// hour turns the meter's dial, and every <c>milliPerPulse</c> thousandths of the unit that pass close the output for
/// <see cref="PulseWidthMs"/>. The meter keeps its own register whether or not anything listens, so pulses emitted while
/// the controller is off are in <see cref="Emitted"/> but never reach it.
/// <para>
/// Exact on purpose: the volume that passed is kept as a whole number of "thousandths of the unit × ms per hour", so a
/// flow of 360 L/h at 1 L/pulse gives a pulse every 10 000 ms exactly, for ever, and a change of flow carries the part
/// of a pulse already through the dial into the new rate (a dial does not start again from zero). Times are the
/// virtual clock's milliseconds; an edge is the level after the change, as the board's interrupt handler reads it.
/// </para>
/// </summary>
public sealed class S0PulseTrain
{
    /// <summary>A common S0 width (EN 62053-31 asks at least 30 ms; most meters give 30-120 ms).</summary>
    public const long DefaultPulseWidthMs = 60;

    private const long MsPerHour = 3_600_000;

    private readonly Queue<(long AtMs, bool On)> _edges = new();
    private readonly long _milliPerPulse;
    private decimal _ratePerHourMilli;
    private long? _flowUntilMs;
    private decimal _passed;
    private long _lastMs;
    private long? _offDueMs;
    private bool _onTaken;

    /// <param name="milliPerPulse">The meter constant in thousandths of the unit per pulse (the channel's <c>chNMilliPerPulse</c>).</param>
    /// <param name="startMilli">The meter's register when the model starts, in thousandths of the unit.</param>
    /// <param name="startMs">The virtual time the model starts at.</param>
    public S0PulseTrain(long milliPerPulse, long startMilli, long startMs, long pulseWidthMs = DefaultPulseWidthMs)
    {
        if (milliPerPulse < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(milliPerPulse), milliPerPulse, "a meter constant is at least one thousandth of the unit per pulse");
        }

        _milliPerPulse = milliPerPulse;
        StartMilli = startMilli;
        _lastMs = startMs;
        PulseWidthMs = Math.Max(1, pulseWidthMs);
    }

    public long MilliPerPulse => _milliPerPulse;

    public long StartMilli { get; }

    /// <summary>How long the output stays closed per pulse.</summary>
    public long PulseWidthMs { get; set; }

    /// <summary>The flow now, in units per hour.</summary>
    public decimal RatePerHour => _ratePerHourMilli / 1000m;

    /// <summary>Pulses the meter completed (its OFF edge passed): the meter's own count.</summary>
    public long Emitted { get; private set; }

    /// <summary>Pulses whose both edges reached a powered controller: the most it can have counted.</summary>
    public long Delivered { get; private set; }

    /// <summary>Pulses the meter completed that never reached a powered controller whole (it was off, or lost power mid-pulse).</summary>
    public long Undelivered => Emitted - Delivered;

    /// <summary>The meter's register, in thousandths of the unit: what its display shows (it does not wrap here).</summary>
    public long RegisterMilli => StartMilli + (Emitted * _milliPerPulse);

    /// <summary>The fastest flow in units per hour the meter can show with <paramref name="pulseWidthMs"/> pulses: ON and OFF at least as long.</summary>
    public static decimal MaxRatePerHour(long milliPerPulse, long pulseWidthMs) => milliPerPulse * (decimal)MsPerHour / (2m * pulseWidthMs) / 1000m;

    /// <summary>From <paramref name="atMs"/> on, <paramref name="ratePerHour"/> units per hour flow, until <paramref name="untilMs"/> when given.</summary>
    public void SetFlow(decimal ratePerHour, long atMs, long? untilMs = null)
    {
        if (ratePerHour < 0 || ratePerHour > MaxRatePerHour(_milliPerPulse, PulseWidthMs))
        {
            throw new ArgumentOutOfRangeException(nameof(ratePerHour), ratePerHour,
                $"the flow must be 0 to {MaxRatePerHour(_milliPerPulse, PulseWidthMs)} per hour for {PulseWidthMs} ms pulses at this meter constant");
        }

        Advance(atMs);
        _ratePerHourMilli = ratePerHour * 1000m;
        _flowUntilMs = untilMs;
    }

    /// <summary>
    /// Hands the edges up to <paramref name="upToMs"/> to <paramref name="edge"/>, oldest first, as the interrupt handler
    /// of a powered controller would see them; stops early (and keeps the rest) after <paramref name="max"/> edges.
    /// Returns how many it handed over.
    /// </summary>
    public int Take(long upToMs, Action<bool, long> edge, int max = int.MaxValue)
    {
        Advance(upToMs);
        int taken = 0;
        while (taken < max && _edges.TryPeek(out var next) && next.AtMs <= upToMs)
        {
            _edges.Dequeue();
            if (next.On)
            {
                _onTaken = true;
            }
            else if (_onTaken)
            {
                _onTaken = false;
                Delivered++;
            }

            edge(next.On, next.AtMs);
            taken++;
        }

        return taken;
    }

    /// <summary>The edges up to <paramref name="upToMs"/> happen with nobody listening (the controller is off); a pulse it saw start is lost with its RAM.</summary>
    public void Discard(long upToMs)
    {
        Advance(upToMs);
        _onTaken = false;
        while (_edges.TryPeek(out var next) && next.AtMs <= upToMs)
        {
            _edges.Dequeue();
        }
    }

    /// <summary>The controller lost power: what it had seen of a pulse in progress is gone.</summary>
    public void PowerLost() => _onTaken = false;

    /// <summary>The time of the next edge not yet handed over, if any is known up to <paramref name="upToMs"/>.</summary>
    public long? NextEdgeAt(long upToMs)
    {
        Advance(upToMs);
        return _edges.TryPeek(out var next) ? next.AtMs : null;
    }

    // Runs the dial up to `toMs`: every whole pulse's worth of volume gives an ON edge, and its OFF edge a width later.
    private void Advance(long toMs)
    {
        while (true)
        {
            if (_offDueMs is { } off)
            {
                if (off > toMs)
                {
                    // The next ON comes after this OFF (the rate limit keeps OFF at least as long as ON).
                    Accumulate(toMs);
                    return;
                }

                _edges.Enqueue((off, false));
                _offDueMs = null;
                Emitted++;
            }

            long end = _flowUntilMs is { } until && until < toMs ? until : toMs;
            if (_ratePerHourMilli <= 0 || end <= _lastMs)
            {
                Accumulate(toMs);
                return;
            }

            decimal needed = (_milliPerPulse * (decimal)MsPerHour) - _passed;
            long onAt = _lastMs + (long)Math.Ceiling(needed / _ratePerHourMilli);
            if (onAt > end)
            {
                Accumulate(toMs);
                return;
            }

            Accumulate(onAt);
            _passed -= _milliPerPulse * (decimal)MsPerHour;
            _edges.Enqueue((onAt, true));
            _offDueMs = onAt + PulseWidthMs;
        }
    }

    // The volume that passed up to `toMs`; the flow stops at its end time, and what passed stays on the dial.
    private void Accumulate(long toMs)
    {
        if (_flowUntilMs is { } until && until <= toMs)
        {
            if (until > _lastMs)
            {
                _passed += _ratePerHourMilli * (until - _lastMs);
            }

            _ratePerHourMilli = 0;
            _flowUntilMs = null;
        }

        if (toMs > _lastMs)
        {
            _passed += _ratePerHourMilli * (toMs - _lastMs);
            _lastMs = toMs;
        }
    }
}
