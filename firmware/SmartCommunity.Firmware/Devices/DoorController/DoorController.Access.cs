namespace SmartCommunity.Firmware.Devices.DoorController;

using SmartCommunity.Firmware.Messaging;
using SmartCommunity.Protocol;

/// <summary>
/// Card decisions (hardware-docs/door-controller.md, "Decisions"): from the local allow-list, or from the edge for
/// a door that asks it, and the access events that report every one of them, buffered while they cannot be sent.
/// </summary>
public sealed partial class DoorController
{
    private readonly ICardReader _reader;
    private readonly CardRead _read = new CardRead();
    private readonly AllowList _allowList;
    private readonly WallClock _wallClock;
    private readonly AccessJournal _journal;

    // _scratch is what a decision or an alarm fills before it is journaled; _outgoing what the flush sends.
    private readonly AccessRecord _scratch = new AccessRecord();
    private readonly AccessRecord _outgoing = new AccessRecord();
    private readonly AccessRecord _pending = new AccessRecord();
    private readonly CardPayload _card = new CardPayload();

    private long _badFrames;
    private long _ignoredReads;
    private long _requests;
    private long _pendingRequest;
    private long _pendingSinceMs;
    private long _accessSinceMs;
    private long _accessForMs;
    private bool _flushRefused;
    private long _flushRefusedAtMs;

    public AllowList AllowList => _allowList;

    public WallClock WallClock => _wallClock;

    /// <summary>Reader frames refused by the decoder ("badFrames").</summary>
    public long BadFrames => _badFrames;

    /// <summary>Card reads taken but not decided because the role has no lock (hold-open).</summary>
    public long IgnoredReads => _ignoredReads;

    /// <summary>The access request waiting for the edge's grant or deny; 0 when none.</summary>
    public long PendingRequest => _pendingRequest;

    /// <summary>Access events waiting to be sent.</summary>
    public int BufferedAccessEvents => _journal.Count;

    /// <summary>Access events dropped because the buffer was full ("accessDropped").</summary>
    public long AccessDropped => _journal.Dropped;

    private bool IsFireReleased => (_reasons & ReleaseReasons.AnyFire) != 0 || _fireInput.IsActive();

    // One read per step at most; while the edge is being asked, further reads wait in the reader.
    private void TakeCardRead(long nowMs)
    {
        if (_reader == null || _pendingRequest != 0)
        {
            return;
        }

        _read.Clear();
        if (!_reader.TryTake(_read))
        {
            return;
        }

        if (_read.BadFrame != BadFrameReason.None)
        {
            _badFrames++;
            PublishBadFrame();
            return;
        }

        if (!IsLockRole)
        {
            // A hold-open magnet has nothing to unlock: a grant would let the fire door close.
            _ignoredReads++;
            return;
        }

        _scratch.Clear(AccessRecord.KindAccess, nowMs);
        _scratch.Card = _read.Card;
        _scratch.Bits = _read.Bits;
        _scratch.Reader = _read.Reader;
        if (_settings.AskEdge && !IsFireReleased && _uplink.CanSend)
        {
            long request = ++_requests;
            if (PublishAccessRequest(request))
            {
                _scratch.CopyTo(_pending);
                _pending.Request = request;
                _pendingRequest = request;
                _pendingSinceMs = nowMs;
                return;
            }
        }

        DecideLocally(nowMs);
    }

    private void TrackPendingRequest(long nowMs)
    {
        if (_pendingRequest != 0 && nowMs - _pendingSinceMs >= _settings.OnlineWaitMs)
        {
            _pending.CopyTo(_scratch);
            _pendingRequest = 0;
            DecideLocally(nowMs);
        }
    }

    // Decides the read in _scratch without the edge, journals it, and unlocks on a grant.
    private void DecideLocally(long nowMs)
    {
        _scratch.AtMs = nowMs;
        _scratch.Offline = true;
        uint validFrom;
        uint validTo;
        if (IsFireReleased)
        {
            // Logged for the audit trail; the door is open anyway and starts no access window of its own.
            _scratch.Granted = true;
            _scratch.Why = AccessWhy.FireReleased;
        }
        else if (!_allowList.TryFind(_scratch.Card, out validFrom, out validTo))
        {
            _scratch.Granted = false;
            _scratch.Why = _allowList.Version == 0 ? AccessWhy.ListIncomplete : AccessWhy.UnknownCard;
        }
        else
        {
            _scratch.Why = CheckWindow(validFrom, validTo, nowMs);
            _scratch.Granted = _scratch.Why == AccessWhy.AllowList;
            if (_scratch.Granted)
            {
                StartAccess(nowMs, _settings.UnlockMs);
            }
        }

        _journal.Append(_scratch);
        SignalReader(_scratch.Granted);
    }

    // Valid from "from" (inclusive) until "to" (exclusive); 0 = unbounded. With only the saved lower bound of the
    // time, an expiry during the power cut is not seen (hardware-docs/door-controller.md, "Time").
    private int CheckWindow(uint validFrom, uint validTo, long nowMs)
    {
        if (validFrom == 0 && validTo == 0)
        {
            return AccessWhy.AllowList;
        }

        if (!_wallClock.IsKnown)
        {
            return AccessWhy.NoTime;
        }

        long now = _wallClock.UnixSeconds(nowMs);
        if (validTo != 0 && now >= validTo)
        {
            return AccessWhy.Expired;
        }

        if (validFrom != 0 && now < validFrom)
        {
            return AccessWhy.NotYetValid;
        }

        return AccessWhy.AllowList;
    }

    // grant / deny: only the request still waiting may be answered; a late answer finds the door already decided.
    private CommandRejection Answer(Command command, long nowMs)
    {
        if (_pendingRequest == 0 || command.Request != _pendingRequest)
        {
            return CommandRejection.Expired;
        }

        _pending.CopyTo(_scratch);
        _scratch.AtMs = nowMs;
        _scratch.Offline = false;
        if (command.Kind == CommandKind.Grant)
        {
            long duration = command.DurationMs == 0 ? _settings.UnlockMs : command.DurationMs;
            if (duration > _settings.MaxUnlockMs)
            {
                return CommandRejection.BadArgument;
            }

            _scratch.Granted = true;
            _scratch.Why = AccessWhy.Edge;
            StartAccess(nowMs, duration);
        }
        else
        {
            _scratch.Granted = false;
            _scratch.Why = AccessWhy.EdgeDenied;
        }

        _pendingRequest = 0;
        _journal.Append(_scratch);
        ApplyOutput();
        SignalReader(_scratch.Granted);
        return CommandRejection.None;
    }

    // Reader feedback, once per reported decision (hardware-docs/door-controller.md, "Reader feedback").
    private void SignalReader(bool granted)
    {
        if (_reader != null)
        {
            _reader.Signal(granted);
        }
    }

    private void StartAccess(long nowMs, long durationMs)
    {
        _accessSinceMs = nowMs;
        _accessForMs = durationMs;
        SetReason(ReleaseReasons.Access, true);
    }

    private void Journal(int kind, long nowMs)
    {
        _scratch.Clear(kind, nowMs);
        _journal.Append(_scratch);
    }

    // Sends buffered access events oldest first while the transport takes them; a refusal is retried after
    // Uplink.RetryIntervalMs so a full queue does not burn sequence numbers.
    private void FlushJournal(long nowMs)
    {
        while (_journal.Count > 0 && _uplink.CanSend)
        {
            if (_flushRefused && nowMs - _flushRefusedAtMs < Uplink.RetryIntervalMs)
            {
                return;
            }

            _journal.TryPeekOldest(_outgoing);
            if (!SendRecord(_outgoing))
            {
                _flushRefused = true;
                _flushRefusedAtMs = nowMs;
                return;
            }

            _flushRefused = false;
            _journal.RemoveOldest();
        }
    }

    private bool SendRecord(AccessRecord record)
    {
        PayloadWriter writer = _uplink.BeginEvent(AccessRecord.NameOf(record.Kind));
        switch (record.Kind)
        {
            case AccessRecord.KindAccess:
                _card.Write(writer, record.Card, record.Bits, record.Reader);
                writer.Property("decision", record.Granted ? "granted" : "denied");
                writer.Property("why", AccessWhy.NameOf(record.Why));
                writer.Property("offline", record.Offline);
                if (record.Request != 0)
                {
                    writer.Property("req", record.Request);
                }

                break;
            case AccessRecord.KindLinkLost:
            case AccessRecord.KindLinkRestored:
                writer.Property("egressCritical", _settings.EgressCritical);
                break;
            case AccessRecord.KindLockModeRefused:
                writer.Property("asked", LockModeFailSecure);
                writer.Property("lockMode", LockModeFailSafe);
                writer.Property("role", RoleName);
                break;
        }

        writer.Property("at", record.AtMs);
        return _uplink.Send(_uplink.Identity.EventTopic, 1);
    }

    private bool PublishAccessRequest(long request)
    {
        PayloadWriter writer = _uplink.BeginEvent("access-request");
        _card.Write(writer, _scratch.Card, _scratch.Bits, _scratch.Reader);
        writer.Property("req", request);
        return _uplink.Send(_uplink.Identity.EventTopic, 1);
    }

    // Bad frames are counted always ("badFrames") but sent only while connected: buffering them would push real
    // access events out of the buffer when a faulty or attacked reader sends noise.
    private void PublishBadFrame()
    {
        if (!_uplink.CanSend)
        {
            return;
        }

        PayloadWriter writer = _uplink.BeginEvent("bad-frame");
        CardPayload.WriteBadFrame(writer, _read);
        writer.Property("badFrames", _badFrames);
        _uplink.Send(_uplink.Identity.EventTopic, 1);
    }
}
