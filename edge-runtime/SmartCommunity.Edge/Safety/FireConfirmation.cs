namespace SmartCommunity.Edge.Safety;

using System;
using System.Collections.Generic;
using System.Linq;
using SmartCommunity.Edge.Layout;

/// <summary>
/// What one building's smoke detectors and fire manual call points report now, and whether that confirms a fire
/// under the building's <see cref="FirePolicy"/> (hardware-docs/safety.md §4, "Confirming a fire"). Pure logic over a
/// <see cref="TimeProvider"/>'s monotonic clock: the fire rule feeds it reports and acts on its decisions.
/// <para>
/// An alarm is a signal for as long as it stands, and for <see cref="FirePolicy.Window"/> after it ends. So a
/// second detector confirms when the first one is still in alarm, however long ago that began, or when the first
/// one's alarm ended less than a window ago. The "pending" first alarm only decides when the edge says, once, that
/// the window has passed without a second signal; it is not what makes the first alarm count.
/// </para>
/// </summary>
public sealed class FireConfirmation
{
    public const string StateAlarm = "alarm";
    public const string StateActivated = "activated";

    private readonly TimeProvider _time;
    private readonly object _gate = new();
    private readonly Dictionary<string, Signal> _detectors = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Signal> _callPoints = new(StringComparer.Ordinal);

    public FireConfirmation(string building, FirePolicy policy, TimeProvider time)
    {
        Building = building;
        Policy = policy;
        _time = time;
    }

    public string Building { get; }

    public FirePolicy Policy { get; }

    public string Mode => FirePolicy.NameOf(Policy.Confirmation);

    /// <summary>A detector reports an alarm (event "alarm" or state "alarm"); <paramref name="test"/> when it is in test mode.</summary>
    public FireDecision DetectorAlarm(DeviceDefinition detector, bool test)
    {
        long now = _time.GetTimestamp();
        lock (_gate)
        {
            Signal signal = SignalOf(_detectors, detector);

            // A report that repeats a standing alarm is no new alarm. A test alarm that turns into a real one is, and
            // one the edge restored from the twin at start is judged again on the device's own word.
            bool counted = !test || Policy.TestReleasesDoors;
            if (signal.Active && !signal.Restored && (signal.Counts || !counted))
            {
                return FireDecision.Nothing;
            }

            signal.Start(now, _time.GetUtcNow(), counted, test);
            if (!counted)
            {
                return new FireDecision(FireStep.TestAlarm, [detector.Id], $"test alarm at {detector.Id}; a test does not release doors here (testReleasesDoors: false)");
            }

            string what = test ? $"test smoke alarm at {detector.Id} (testReleasesDoors: true)" : $"smoke alarm at {detector.Id}";
            switch (Policy.Confirmation)
            {
                case FireConfirmationMode.TwoDetectors:
                    Signal? partner = _detectors.Values
                        .Where(d => d != signal && d.Device.Floor == detector.Floor && d.Device.Zone == detector.Zone && IsSignal(d, now))
                        .OrderBy(d => d.StartedAt).FirstOrDefault();
                    if (partner is not null)
                    {
                        ClearPending();
                        return new FireDecision(FireStep.Confirmed, [partner.Device.Id, detector.Id],
                            $"smoke alarms at {partner.Device.Id} and {detector.Id}, both of zone {detector.Floor}/{detector.Zone}, within {Seconds(Policy.Window)} (two-detectors)");
                    }

                    signal.PendingSince = now;
                    return new FireDecision(FireStep.Suspected, [detector.Id],
                        $"{what}; waiting up to {Seconds(Policy.Window)} for a second detector of zone {detector.Floor}/{detector.Zone} (two-detectors)");

                case FireConfirmationMode.DetectorAndCallPoint:
                    Signal? callPoint = _callPoints.Values.Where(c => IsSignal(c, now)).OrderBy(c => c.StartedAt).FirstOrDefault();
                    if (callPoint is not null)
                    {
                        ClearPending();
                        return new FireDecision(FireStep.Confirmed, [callPoint.Device.Id, detector.Id],
                            $"{what} and manual call point {callPoint.Device.Id} within {Seconds(Policy.Window)} (detector-and-call-point)");
                    }

                    signal.PendingSince = now;
                    return new FireDecision(FireStep.Suspected, [detector.Id],
                        $"{what}; waiting up to {Seconds(Policy.Window)} for a manual call point of building {Building} (detector-and-call-point)");

                default:
                    ClearPending();
                    return new FireDecision(FireStep.Confirmed, [detector.Id], what);
            }
        }
    }

    /// <summary>A detector reports that it is no longer in alarm (alarm-cleared, test-ended, or a state other than alarm).</summary>
    public bool DetectorCleared(DeviceDefinition detector) => End(_detectors, detector);

    /// <summary>
    /// A fire manual call point reports "activated": a person saw the fire, which confirms it at once in every mode.
    /// In detector-and-call-point mode the detectors that alarmed within the window are named with it.
    /// </summary>
    public FireDecision CallPointActivated(DeviceDefinition callPoint, bool latched)
    {
        long now = _time.GetTimestamp();
        lock (_gate)
        {
            Signal signal = SignalOf(_callPoints, callPoint);
            if (signal.Active && !signal.Restored && latched)
            {
                return FireDecision.Nothing;
            }

            if (!signal.Active || signal.Restored)
            {
                signal.Start(now, _time.GetUtcNow(), counts: true, test: false);
            }

            ClearPending();
            List<string> detectors = Policy.Confirmation == FireConfirmationMode.DetectorAndCallPoint
                ? _detectors.Values.Where(d => IsSignal(d, now)).OrderBy(d => d.StartedAt).Select(d => d.Device.Id).ToList()
                : [];
            return detectors.Count > 0
                ? new FireDecision(FireStep.Confirmed, [.. detectors, callPoint.Id],
                    $"manual call point {callPoint.Id} activated after smoke alarm at {string.Join(", ", detectors)} (detector-and-call-point)")
                : new FireDecision(FireStep.Confirmed, [callPoint.Id], $"manual call point {callPoint.Id} activated");
        }
    }

    public bool CallPointRestored(DeviceDefinition callPoint) => End(_callPoints, callPoint);

    /// <summary>
    /// Remembers what a smoke detector says its state is ("normal", "pre-alarm", "alarm", "fault"); true when it was
    /// something else before, so a pre-alarm is reported once, not on every heartbeat that repeats it.
    /// </summary>
    public bool ReportedStateChanged(DeviceDefinition detector, string state)
    {
        lock (_gate)
        {
            Signal signal = SignalOf(_detectors, detector);
            bool changed = signal.ReportedState != state;
            signal.ReportedState = state;
            return changed;
        }
    }

    /// <summary>
    /// At start, from each device's last state on record (its twin): what stood when the edge stopped stands until the
    /// device says otherwise. Such an alarm blocks a reset, but it is judged again when the device reports it.
    /// </summary>
    public void Restore(DeviceDefinition device, string state, bool test)
    {
        bool callPoint = device.Kind == DeviceKinds.ManualCallPoint;
        if (state != (callPoint ? StateActivated : StateAlarm))
        {
            return;
        }

        lock (_gate)
        {
            Signal signal = SignalOf(callPoint ? _callPoints : _detectors, device);
            signal.Start(_time.GetTimestamp(), _time.GetUtcNow(), !test || Policy.TestReleasesDoors, test);
            signal.Restored = true;
            signal.ReportedState = state;
        }
    }

    /// <summary>First alarms whose window has passed without a second signal; each is reported once.</summary>
    public IReadOnlyList<ExpiredSuspicion> ExpireDue()
    {
        long now = _time.GetTimestamp();
        var expired = new List<ExpiredSuspicion>();
        lock (_gate)
        {
            foreach (Signal signal in _detectors.Values)
            {
                if (signal.PendingSince is { } since && _time.GetElapsedTime(since, now) >= Policy.Window)
                {
                    signal.PendingSince = null;
                    expired.Add(new ExpiredSuspicion(signal.Device.Id, signal.Active));
                }
            }
        }

        return expired;
    }

    /// <summary>How long until the next pending first alarm expires; null when none is pending.</summary>
    public TimeSpan? NextExpiry()
    {
        long now = _time.GetTimestamp();
        lock (_gate)
        {
            TimeSpan? next = null;
            foreach (Signal signal in _detectors.Values)
            {
                if (signal.PendingSince is { } since)
                {
                    TimeSpan left = Policy.Window - _time.GetElapsedTime(since, now);
                    left = left < TimeSpan.Zero ? TimeSpan.Zero : left;
                    next = next is null || left < next ? left : next;
                }
            }

            return next;
        }
    }

    /// <summary>The detectors and call points of the building that report alarm now (test alarms only where they count).</summary>
    public IReadOnlyList<StandingSignal> Standing()
    {
        lock (_gate)
        {
            return _detectors.Values.Concat(_callPoints.Values)
                .Where(s => s.Active && s.Counts)
                .OrderBy(s => s.Device.Id, StringComparer.Ordinal)
                .Select(s => new StandingSignal(s.Device, s.Device.Kind == DeviceKinds.ManualCallPoint ? StateActivated : StateAlarm, s.Test, s.Since))
                .ToList();
        }
    }

    /// <summary>
    /// After an operator's reset: the incident's history is closed. Alarms that ended, and first alarms still
    /// waiting, no longer count towards a new fire; <paramref name="overridden"/> (offline devices a forced reset went
    /// past) count as clear until they report again.
    /// </summary>
    public void AfterReset(IEnumerable<string> overridden)
    {
        var ids = new HashSet<string>(overridden, StringComparer.Ordinal);
        lock (_gate)
        {
            foreach (Signal signal in _detectors.Values.Concat(_callPoints.Values))
            {
                signal.PendingSince = null;
                if (ids.Contains(signal.Device.Id))
                {
                    signal.Active = false;
                    signal.ReportedState = null;
                }

                if (!signal.Active)
                {
                    signal.EndedAt = null;
                }
            }
        }
    }

    private static string Seconds(TimeSpan span) => $"{span.TotalSeconds:0.#} s";

    private static Signal SignalOf(Dictionary<string, Signal> signals, DeviceDefinition device)
    {
        if (!signals.TryGetValue(device.Id, out Signal? signal))
        {
            signal = new Signal(device);
            signals[device.Id] = signal;
        }

        signal.Device = device;
        return signal;
    }

    // A counted alarm that stands, or that ended less than a window ago.
    private bool IsSignal(Signal signal, long now) =>
        signal.Counts && (signal.Active || (signal.EndedAt is { } ended && _time.GetElapsedTime(ended, now) <= Policy.Window));

    private void ClearPending()
    {
        foreach (Signal signal in _detectors.Values)
        {
            signal.PendingSince = null;
        }
    }

    private bool End(Dictionary<string, Signal> signals, DeviceDefinition device)
    {
        long now = _time.GetTimestamp();
        lock (_gate)
        {
            if (!signals.TryGetValue(device.Id, out Signal? signal) || !signal.Active)
            {
                return false;
            }

            signal.Active = false;
            signal.Restored = false;
            signal.EndedAt = now;
            return true;
        }
    }

    private sealed class Signal(DeviceDefinition device)
    {
        public DeviceDefinition Device { get; set; } = device;

        public bool Active { get; set; }

        /// <summary>False for a test alarm where tests do not release doors: logged, never a signal, never blocks a reset.</summary>
        public bool Counts { get; set; }

        public bool Test { get; set; }

        /// <summary>Restored from the twin at start rather than reported since.</summary>
        public bool Restored { get; set; }

        public long StartedAt { get; set; }

        public long? EndedAt { get; set; }

        public DateTimeOffset Since { get; set; }

        /// <summary>When a first alarm began waiting for its second (two-signal modes); null when none waits.</summary>
        public long? PendingSince { get; set; }

        public string? ReportedState { get; set; }

        public void Start(long now, DateTimeOffset wallNow, bool counts, bool test)
        {
            Active = true;
            Restored = false;
            Counts = counts;
            Test = test;
            StartedAt = now;
            EndedAt = null;
            Since = wallNow;
        }
    }
}

/// <summary>What the fire rule does about one report.</summary>
public enum FireStep
{
    /// <summary>Nothing new: a repeat of what stands.</summary>
    None,

    /// <summary>A fire is confirmed: latch the building.</summary>
    Confirmed,

    /// <summary>A first alarm that does not confirm yet: log it and raise "fire suspected".</summary>
    Suspected,

    /// <summary>A detector's test alarm that does not count here: log it and raise an info alert.</summary>
    TestAlarm,
}

/// <param name="Devices">The devices behind the decision, first signal first.</param>
/// <param name="Cause">In words, with the devices and the mode.</param>
public sealed record FireDecision(FireStep Step, IReadOnlyList<string> Devices, string Cause)
{
    public static readonly FireDecision Nothing = new(FireStep.None, [], "");
}

/// <summary>A first alarm whose window passed without a second signal; <see cref="StillInAlarm"/> when it still stands (and so still counts).</summary>
public sealed record ExpiredSuspicion(string Device, bool StillInAlarm);

/// <summary>A detector ("alarm") or fire manual call point ("activated") that reports alarm now.</summary>
public sealed record StandingSignal(DeviceDefinition Device, string State, bool Test, DateTimeOffset Since);
