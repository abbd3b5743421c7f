namespace SmartCommunity.Firmware.Tests.Devices.PulseMeter;

using System.Collections.Generic;
using System.Text.Json;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using SmartCommunity.Firmware.Devices.PulseMeter;
using SmartCommunity.Firmware.Messaging;
using SmartCommunity.Firmware.Tests.TestSupport;
using SmartCommunity.Simulation.Hardware;

/// <summary>
/// A pulse meter on simulated S0 inputs, tamper and power-fail inputs and a <see cref="FlashStore"/>, driven in
/// virtual time. Edges are scheduled at exact milliseconds and handed to the meter, stamped with their own time, as
/// the GPIO interrupt would, whenever the clock passes them: the 50 ms loop never sees the level itself.
/// </summary>
internal sealed class PulseRig : DeviceRig
{
    public const long Boot = 3;
    public const long StepMs = 50;

    private readonly List<ScheduledEdge> _edges = new();
    private int _nextEdge;

    public PulseRig(
        PulseMeterSettings? settings = null,
        FlashStore? store = null,
        bool withTamper = true,
        bool withPowerFail = true,
        bool keepMessages = true,
        long startMs = 0,
        string deviceId = "meter-1")
        : base(PulseMeter.Kind, deviceId, "1.0.0", keepMessages, startMs)
    {
        Settings = settings ?? new PulseMeterSettings();
        Store = store ?? new FlashStore();
        Tamper = withTamper ? new SimulatedInput() : null;
        PowerFail = withPowerFail ? new SimulatedInput() : null;
        Meter = new PulseMeter(Identity, Settings, Tamper, PowerFail, Store, Clock, Transport, Boot);
    }

    public PulseMeterSettings Settings { get; }

    public FlashStore Store { get; }

    public SimulatedInput? Tamper { get; }

    public SimulatedInput? PowerFail { get; }

    public PulseMeter Meter { get; }

    protected override IFirmwareDevice Device => Meter;

    protected override long LoopMs => StepMs;

    /// <summary>Settings with channels 1-4 as cold water, hot water, gas and electricity.</summary>
    public static PulseMeterSettings FourChannels()
    {
        PulseMeterSettings s = new PulseMeterSettings();
        Fit(s, 1, MeterMedium.Water, 1000, 0);
        Fit(s, 2, MeterMedium.HotWater, 1000, 0);
        Fit(s, 3, MeterMedium.Gas, 10, 0);
        Fit(s, 4, MeterMedium.Electricity, 1250, 0);
        return s;
    }

    public static void Fit(PulseMeterSettings s, int channel, MeterMedium medium, long milliPerPulse, long startMilli)
    {
        PulseChannelSettings c = s.Channel(channel);
        c.Medium = medium;
        c.MilliPerPulse = milliPerPulse;
        c.StartMilli = startMilli;
        c.LeakSuspicionMs = PulseChannelSettings.DefaultLeakSuspicionMs(medium);
    }

    /// <summary>An edge of channel <paramref name="channel"/> at <paramref name="atMs"/> (not before the clock).</summary>
    public void EdgeAt(int channel, long atMs, bool on)
    {
        Assert.IsGreaterThanOrEqualTo(Now, atMs, "an edge cannot be scheduled in the past");
        ScheduledEdge edge = new ScheduledEdge(atMs, channel, on, _edges.Count);
        int at = _edges.BinarySearch(_nextEdge, _edges.Count - _nextEdge, edge, ScheduledEdge.ByTime);
        _edges.Insert(at < 0 ? ~at : at, edge);
    }

    /// <summary>One clean pulse: ON at <paramref name="startMs"/> for <paramref name="widthMs"/>; returns its OFF time.</summary>
    public long PulseAt(int channel, long startMs, long widthMs)
    {
        EdgeAt(channel, startMs, true);
        EdgeAt(channel, startMs + widthMs, false);
        return startMs + widthMs;
    }

    /// <summary><paramref name="count"/> clean pulses from <paramref name="startMs"/>, one per <paramref name="periodMs"/>; returns the last OFF time.</summary>
    public long PulsesAt(int channel, long startMs, int count, long widthMs, long periodMs)
    {
        long end = startMs;
        for (int i = 0; i < count; i++)
        {
            end = PulseAt(channel, startMs + (i * periodMs), widthMs);
        }

        return end;
    }

    /// <summary>Steps until the clock reaches <paramref name="timeMs"/>.</summary>
    public void RunUntil(long timeMs)
    {
        while (Now < timeMs)
        {
            Step(StepMs);
        }
    }

    public List<JsonElement> Readings(int channel) =>
        EventPayloads().FindAll(e => e.GetProperty("event").GetString() == "reading" && e.GetProperty("ch").GetInt32() == channel);

    public JsonElement LastReading(int channel)
    {
        List<JsonElement> readings = Readings(channel);
        Assert.IsNotEmpty(readings, "no reading for channel " + channel);
        return readings[readings.Count - 1];
    }

    public JsonElement LastEvent(string name)
    {
        List<JsonElement> events = EventPayloads();
        for (int i = events.Count - 1; i >= 0; i--)
        {
            if (events[i].GetProperty("event").GetString() == name)
            {
                return events[i];
            }
        }

        Assert.Fail("no event " + name + "; events: " + string.Join(", ", Events()));
        return default;
    }

    public int Count(string eventName) => Events().FindAll(e => e == eventName).Count;

    /// <summary>The interrupt: every edge the clock has passed reaches the meter with its own time.</summary>
    protected override void OnTimePassed(long advanceMs)
    {
        while (_nextEdge < _edges.Count && _edges[_nextEdge].AtMs <= Now)
        {
            ScheduledEdge edge = _edges[_nextEdge++];
            Meter.Edge(edge.Channel, edge.On, edge.AtMs);
        }
    }

    private sealed record ScheduledEdge(long AtMs, int Channel, bool On, int Order)
    {
        public static readonly IComparer<ScheduledEdge> ByTime = Comparer<ScheduledEdge>.Create(
            (a, b) => a.AtMs != b.AtMs ? a.AtMs.CompareTo(b.AtMs) : a.Order.CompareTo(b.Order));
    }
}
