namespace SmartCommunity.Firmware.Devices.EmergencyCallPoint;

using SmartCommunity.Firmware.Hal;
using SmartCommunity.Firmware.Messaging;
using SmartCommunity.Protocol;

/// <summary>
/// An elderly resident's emergency call point (hardware-docs/call-points.md): a call button, a cancel button, an
/// optional presence input for the welfare (no-activity) check, a "received" and an optional "handled" indicator
/// and a local sounder. At most one call is open; it is sent again until the edge answers, and every way a call
/// ends at the point is sent until the transport takes it. Outputs are written only in <see cref="ApplyOutputs"/>.
/// Never a fire source.
/// </summary>
public sealed class EmergencyCallPoint : IFirmwareDevice, ICommandTarget
{
    public const string Kind = "emergency-call-point";
    public const string Role = "resident";

    /// <summary>Room for "{boot}-{n}" with both numbers up to 20 digits; ids the edge can echo are at most 32.</summary>
    public const int CallIdCapacity = 48;

    /// <summary>Call endings kept while the transport refuses them; beyond this the oldest is given up and counted.</summary>
    public const int PendingEndingCapacity = 4;

    private const int EndingCancelled = 0;
    private const int EndingWelfareCleared = 1;

    private readonly Uplink _uplink;
    private readonly CommandHandler _commands;
    private readonly Presence _presence;
    private readonly Cadence _heartbeat;
    private readonly string[] _subscriptions;
    private readonly DebouncedInput _callButton;
    private readonly DebouncedInput _cancelButton;
    private readonly IDigitalInput _motion;
    private readonly IDigitalOutput _receivedIndicator;
    private readonly IDigitalOutput _handledIndicator;
    private readonly IDigitalOutput _sounder;
    private readonly long _callResendMs;
    private readonly long _noActivityMs;
    private readonly long _handledShowMs;

    private readonly byte[] _callId = new byte[CallIdCapacity];
    private int _callIdLength;
    private readonly byte[] _finishedCallId = new byte[CallIdCapacity];
    private int _finishedCallIdLength;
    private EmergencyCallState _callState = EmergencyCallState.Idle;
    private EmergencyCallKind _callKind = EmergencyCallKind.None;
    private long _calls;
    private long _presses;
    private long _idleAtRaiseMs;
    private bool _callSent;
    private long _lastCallAttemptMs;
    private long _handledSinceMs;

    private readonly byte[][] _endingIds = new byte[PendingEndingCapacity][];
    private readonly int[] _endingLengths = new int[PendingEndingCapacity];
    private readonly int[] _endingEvents = new int[PendingEndingCapacity];
    private readonly EmergencyCallKind[] _endingKinds = new EmergencyCallKind[PendingEndingCapacity];
    private int _endingHead;
    private int _endingCount;
    private long _lastEndingAttemptMs;
    private long _lostEndings;

    private long _lastActivityMs;
    private long _quietSinceMs;
    private bool _receivedOn;
    private bool _handledOn;
    private bool _sounderOn;

    /// <param name="motion">The presence/motion sensor (active = activity seen); null when none is fitted (no welfare check).</param>
    /// <param name="handledIndicator">The "handled" indicator; null when not fitted.</param>
    /// <param name="boot">This boot's number; it is part of every call id, so ids stay unique across restarts.</param>
    public EmergencyCallPoint(
        DeviceIdentity identity,
        EmergencyCallPointSettings settings,
        IDigitalInput callButton,
        IDigitalInput cancelButton,
        IDigitalInput motion,
        IDigitalOutput receivedIndicator,
        IDigitalOutput handledIndicator,
        IDigitalOutput sounder,
        IClock clock,
        IMessageTransport transport,
        long boot)
    {
        _receivedIndicator = receivedIndicator;
        _handledIndicator = handledIndicator;
        _sounder = sounder;

        // Everything off at boot, whatever the pins did during reset; a call open before a restart is not resumed.
        _receivedIndicator.Write(false);
        if (_handledIndicator != null)
        {
            _handledIndicator.Write(false);
        }

        _sounder.Write(false);

        long now = clock.UptimeMs;
        _callButton = new DebouncedInput(callButton, settings.ButtonDebounceMs, false);
        _cancelButton = new DebouncedInput(cancelButton, settings.ButtonDebounceMs, false);
        _motion = motion;
        _callResendMs = Clamp(settings.CallResendMs, EmergencyCallPointSettings.MinCallResendMs, EmergencyCallPointSettings.MaxCallResendMs);
        _noActivityMs = motion == null || settings.NoActivityMs <= 0
            ? 0
            : Clamp(settings.NoActivityMs, EmergencyCallPointSettings.MinNoActivityMs, EmergencyCallPointSettings.MaxNoActivityMs);
        _handledShowMs = settings.HandledShowMs < 0 ? 0 : settings.HandledShowMs;
        _lastActivityMs = now;
        _quietSinceMs = now;
        for (int i = 0; i < PendingEndingCapacity; i++)
        {
            _endingIds[i] = new byte[CallIdCapacity];
        }

        _uplink = new Uplink(identity, clock, transport, boot);
        _commands = new CommandHandler(_uplink, this);
        _presence = new Presence(_uplink, transport, Role);
        _heartbeat = new Cadence(settings.HeartbeatMs, now);
        _subscriptions = new string[] { identity.CommandTopic };
    }

    public DeviceIdentity Identity => _uplink.Identity;

    public string[] Subscriptions => _subscriptions;

    public EmergencyCallState CallState => _callState;

    public EmergencyCallKind CallKind => _callKind;

    /// <summary>Calls raised since boot (button and welfare); the n of the last call id.</summary>
    public long Calls => _calls;

    /// <summary>The open call's id ("{boot}-{n}"), or "" when idle. Allocates: for tests and tools, not the loop.</summary>
    public string CallId => Text(_callId, _callIdLength);

    /// <summary>The no-activity window in use after clamping; 0 when the welfare check is off.</summary>
    public long NoActivityMs => _noActivityMs;

    public long CallResendMs => _callResendMs;

    /// <summary>Call endings given up because more were waiting than <see cref="PendingEndingCapacity"/>.</summary>
    public long LostEndings => _lostEndings;

    public bool IsSounding => _sounderOn;

    public Uplink Uplink => _uplink;

    public CommandHandler Commands => _commands;

    public void Step(long nowMs)
    {
        if (_motion != null && _motion.IsActive())
        {
            NoteActivity(nowMs);
            if (_callKind == EmergencyCallKind.Welfare && IsOpen)
            {
                // The resident is moving about: the welfare call resolves itself. A button call never does.
                EndCall(EndingWelfareCleared, nowMs);
            }
        }

        if (_callButton.Update(nowMs) && _callButton.IsActive)
        {
            NoteActivity(nowMs);
            OnCallPressed(nowMs);
        }

        if (_cancelButton.Update(nowMs) && _cancelButton.IsActive)
        {
            NoteActivity(nowMs);
            OnCancelPressed(nowMs);
        }

        if (_callState == EmergencyCallState.Handled && nowMs - _handledSinceMs >= _handledShowMs)
        {
            FinishCall();
            PublishState(nowMs);
        }

        if (_noActivityMs > 0 && _callState == EmergencyCallState.Idle && nowMs - _quietSinceMs >= _noActivityMs)
        {
            // Counted again from here, so a resident who stays still gets another welfare call one window later.
            _quietSinceMs = nowMs;
            RaiseCall(EmergencyCallKind.Welfare, nowMs);
        }

        if (_presence.IsStateDue(_heartbeat, nowMs))
        {
            PublishState(nowMs);
        }

        SendPendingEndings(nowMs);
        ResendCall(nowMs);
    }

    public void HandleMessage(string topic, byte[] payload, int length, long nowMs)
    {
        if (topic == _uplink.Identity.CommandTopic)
        {
            _commands.Handle(payload, length, nowMs);
        }
    }

    public CommandRejection Execute(Command command, long nowMs)
    {
        switch (command.Kind)
        {
            case CommandKind.CallReceived:
            case CommandKind.CallHandled:
            case CommandKind.Sound:
                return AnswerCall(command, nowMs);
            case CommandKind.SelfTest:
                PublishSelfTest(nowMs);
                return CommandRejection.None;
            default:
                return CommandRejection.NotSupportedByDevice;
        }
    }

    private bool IsOpen => _callState == EmergencyCallState.Calling
        || _callState == EmergencyCallState.Received
        || _callState == EmergencyCallState.Sounding;

    private CommandRejection AnswerCall(Command command, long nowMs)
    {
        bool current = _callIdLength > 0 && SameId(command.CallId, command.CallIdLength, _callId, _callIdLength);
        if (!current)
        {
            // A late received/handled for the call that just ended (handled, cancelled or cleared) changes nothing
            // and is harmless to confirm; a late sound must not sound, and anything else is stale.
            bool justFinished = _finishedCallIdLength > 0
                && SameId(command.CallId, command.CallIdLength, _finishedCallId, _finishedCallIdLength);
            return justFinished && command.Kind != CommandKind.Sound ? CommandRejection.None : CommandRejection.BadArgument;
        }

        EmergencyCallState next = _callState;
        switch (command.Kind)
        {
            case CommandKind.CallReceived:
                if (_callState == EmergencyCallState.Calling)
                {
                    next = EmergencyCallState.Received;
                }

                break;
            case CommandKind.Sound:
                // Someone already acknowledged: help is coming, so a sound that crossed with it is refused.
                if (_callState == EmergencyCallState.Handled)
                {
                    return CommandRejection.BadArgument;
                }

                next = EmergencyCallState.Sounding;
                break;
            case CommandKind.CallHandled:
                if (_callState != EmergencyCallState.Handled)
                {
                    _handledSinceMs = nowMs;
                    next = EmergencyCallState.Handled;
                }

                break;
        }

        if (next != _callState)
        {
            _callState = next;
            ApplyOutputs();
            PublishState(nowMs);
        }

        return CommandRejection.None;
    }

    private void OnCallPressed(long nowMs)
    {
        if (IsOpen && _callKind == EmergencyCallKind.Call)
        {
            // No second call while one is open: the press repeats the call at once, as the resident clearly wants.
            _presses++;
            SendCallNow(nowMs);
            return;
        }

        if (IsOpen)
        {
            // A welfare call is open: the resident is there and asks for help, which is a different call.
            EndCall(EndingWelfareCleared, nowMs);
        }
        else if (_callState == EmergencyCallState.Handled)
        {
            FinishCall();
        }

        RaiseCall(EmergencyCallKind.Call, nowMs);
    }

    private void OnCancelPressed(long nowMs)
    {
        if (IsOpen)
        {
            // Cancel during a welfare call is the resident saying they are fine: that is what welfare-cleared means,
            // and the edge closes welfare calls only on that event.
            EndCall(_callKind == EmergencyCallKind.Welfare ? EndingWelfareCleared : EndingCancelled, nowMs);
        }
        else if (_callState == EmergencyCallState.Handled)
        {
            // Already closed by the edge; cancel only ends the "handled" display early.
            FinishCall();
            PublishState(nowMs);
        }
    }

    private void RaiseCall(EmergencyCallKind kind, long nowMs)
    {
        _calls++;
        _callIdLength = WriteCallId(_callId, _uplink.Boot, _calls);
        _callKind = kind;
        _callState = EmergencyCallState.Calling;
        _presses = kind == EmergencyCallKind.Call ? 1 : 0;
        _idleAtRaiseMs = nowMs - _lastActivityMs;
        ApplyOutputs();

        // The first attempt is made even when offline, so a refused one leaves a gap the edge can count.
        _lastCallAttemptMs = nowMs;
        _callSent = PublishCallEvent();
        PublishState(nowMs);
    }

    private void SendCallNow(long nowMs)
    {
        if (!_uplink.CanSend)
        {
            _callSent = false;
            return;
        }

        _lastCallAttemptMs = nowMs;
        _callSent = PublishCallEvent();
    }

    // Until the edge answers: every resend period after an accepted attempt; after a refused one, as soon as the
    // link is back and at most once a second (no attempts while offline, so no sequence numbers are wasted).
    private void ResendCall(long nowMs)
    {
        if (_callState != EmergencyCallState.Calling)
        {
            return;
        }

        long wait = _callSent ? _callResendMs : Uplink.RetryIntervalMs;
        if (nowMs - _lastCallAttemptMs < wait)
        {
            return;
        }

        SendCallNow(nowMs);
    }

    /// <summary>Ends the open call at the point and makes sure the edge hears how it ended.</summary>
    private void EndCall(int ending, long nowMs)
    {
        bool wasEmpty = _endingCount == 0;
        QueueEnding(ending);
        FinishCall();
        if (wasEmpty)
        {
            // Attempted at once, like the first call attempt; later attempts wait for the link.
            _lastEndingAttemptMs = nowMs;
            if (PublishEnding(_endingHead))
            {
                DropOldestEnding();
            }
        }

        SendPendingEndings(nowMs);
        PublishState(nowMs);
    }

    private void QueueEnding(int ending)
    {
        if (_endingCount == PendingEndingCapacity)
        {
            DropOldestEnding();
            _lostEndings++;
        }

        int slot = (_endingHead + _endingCount) % PendingEndingCapacity;
        CopyId(_callId, _callIdLength, _endingIds[slot]);
        _endingLengths[slot] = _callIdLength;
        _endingEvents[slot] = ending;
        _endingKinds[slot] = _callKind;
        _endingCount++;
    }

    private void DropOldestEnding()
    {
        _endingHead = (_endingHead + 1) % PendingEndingCapacity;
        _endingCount--;
    }

    private void SendPendingEndings(long nowMs)
    {
        while (_endingCount > 0 && _uplink.CanSend && nowMs - _lastEndingAttemptMs >= Uplink.RetryIntervalMs)
        {
            if (!PublishEnding(_endingHead))
            {
                _lastEndingAttemptMs = nowMs;
                return;
            }

            DropOldestEnding();
        }
    }

    /// <summary>The open call is over at the point: remember its id for late answers, indicators and sounder off.</summary>
    private void FinishCall()
    {
        CopyId(_callId, _callIdLength, _finishedCallId);
        _finishedCallIdLength = _callIdLength;
        _callIdLength = 0;
        _callKind = EmergencyCallKind.None;
        _callState = EmergencyCallState.Idle;
        _presses = 0;
        ApplyOutputs();
    }

    private void NoteActivity(long nowMs)
    {
        _lastActivityMs = nowMs;
        _quietSinceMs = nowMs;
    }

    // The one place outputs are written, from the call state alone, so no path leaves a sounder on by mistake.
    private void ApplyOutputs()
    {
        bool received = _callState == EmergencyCallState.Received
            || _callState == EmergencyCallState.Sounding
            || _callState == EmergencyCallState.Handled;
        bool handled = _callState == EmergencyCallState.Handled;
        bool sounder = _callState == EmergencyCallState.Sounding;
        if (received != _receivedOn)
        {
            _receivedOn = received;
            _receivedIndicator.Write(received);
        }

        if (handled != _handledOn)
        {
            _handledOn = handled;
            if (_handledIndicator != null)
            {
                _handledIndicator.Write(handled);
            }
        }

        if (sounder != _sounderOn)
        {
            _sounderOn = sounder;
            _sounder.Write(sounder);
        }
    }

    private bool PublishCallEvent()
    {
        bool welfare = _callKind == EmergencyCallKind.Welfare;
        PayloadWriter writer = _uplink.BeginEvent(welfare ? "welfare" : "call");
        writer.Property("call", _callId, _callIdLength);
        writer.Property("kind", KindName(_callKind));
        writer.Property("callState", StateName(_callState));
        if (welfare)
        {
            writer.Property("idleMs", _idleAtRaiseMs);
        }
        else
        {
            writer.Property("presses", _presses);
        }

        return _uplink.Send(_uplink.Identity.EventTopic, 1);
    }

    private bool PublishEnding(int slot)
    {
        PayloadWriter writer = _uplink.BeginEvent(_endingEvents[slot] == EndingWelfareCleared ? "welfare-cleared" : "call-cancelled");
        writer.Property("call", _endingIds[slot], _endingLengths[slot]);
        writer.Property("kind", KindName(_endingKinds[slot]));
        return _uplink.Send(_uplink.Identity.EventTopic, 1);
    }

    private void PublishState(long nowMs)
    {
        PayloadWriter writer = _uplink.Begin();
        writer.Property("call", _callId, _callIdLength);
        writer.Property("callState", StateName(_callState));
        writer.Property("kind", KindName(_callKind));
        writer.Property("lastActivityMs", nowMs - _lastActivityMs);
        writer.Property("sounder", _sounderOn);
        writer.Property("calls", _calls);
        writer.Property("welfare", _noActivityMs > 0);
        writer.Property("lostEndings", _lostEndings);
        writer.Property("dropped", _uplink.Dropped);
        _uplink.Send(_uplink.Identity.StateTopic, 1);
    }

    private void PublishSelfTest(long nowMs)
    {
        PayloadWriter writer = _uplink.BeginEvent("self-test-report");
        // The board cannot read its indicators or sounder back; the report states what it can observe.
        writer.Property("result", "pass");
        writer.Property("call", _callId, _callIdLength);
        writer.Property("callState", StateName(_callState));
        writer.Property("callButton", _callButton.IsActive);
        writer.Property("cancelButton", _cancelButton.IsActive);
        writer.Property("motionFitted", _motion != null);
        writer.Property("lastActivityMs", nowMs - _lastActivityMs);
        _uplink.Send(_uplink.Identity.EventTopic, 1);
    }

    /// <summary>Writes "{boot}-{n}" as ASCII into <paramref name="buffer"/>; returns its length. No allocation.</summary>
    public static int WriteCallId(byte[] buffer, long boot, long number)
    {
        int length = WriteDigits(buffer, 0, boot);
        buffer[length++] = (byte)'-';
        return WriteDigits(buffer, length, number);
    }

    private static int WriteDigits(byte[] buffer, int offset, long value)
    {
        // Boots and call numbers start at 1; a negative value would be a bug upstream, written as 0 to keep the id well-formed.
        if (value <= 0)
        {
            buffer[offset] = (byte)'0';
            return offset + 1;
        }

        int start = offset;
        while (value != 0)
        {
            buffer[offset++] = (byte)('0' + (value % 10));
            value /= 10;
        }

        int end = offset - 1;
        while (start < end)
        {
            byte t = buffer[start];
            buffer[start] = buffer[end];
            buffer[end] = t;
            start++;
            end--;
        }

        return offset;
    }

    private static bool SameId(byte[] a, int aLength, byte[] b, int bLength)
    {
        if (aLength != bLength)
        {
            return false;
        }

        for (int i = 0; i < aLength; i++)
        {
            if (a[i] != b[i])
            {
                return false;
            }
        }

        return true;
    }

    private static void CopyId(byte[] from, int length, byte[] to)
    {
        for (int i = 0; i < length; i++)
        {
            to[i] = from[i];
        }
    }

    private static long Clamp(long value, long min, long max)
    {
        return value < min ? min : value > max ? max : value;
    }

    private static string Text(byte[] buffer, int length)
    {
        char[] chars = new char[length];
        for (int i = 0; i < length; i++)
        {
            chars[i] = (char)buffer[i];
        }

        return new string(chars);
    }

    public static string StateName(EmergencyCallState state)
    {
        switch (state)
        {
            case EmergencyCallState.Calling: return "calling";
            case EmergencyCallState.Received: return "received";
            case EmergencyCallState.Sounding: return "sounding";
            case EmergencyCallState.Handled: return "handled";
            default: return "idle";
        }
    }

    public static string KindName(EmergencyCallKind kind)
    {
        switch (kind)
        {
            case EmergencyCallKind.Call: return "call";
            case EmergencyCallKind.Welfare: return "welfare";
            default: return "";
        }
    }
}
