namespace SmartCommunity.Firmware.Devices.DoorController;

using SmartCommunity.Firmware.Hal;

/// <summary>
/// The door contact, the request-to-exit button, the forced and held-open alarms, and the edge link
/// (hardware-docs/door-controller.md, "Door alarms" and "Edge link").
/// </summary>
public sealed partial class DoorController
{
    private readonly DebouncedInput _rex;
    private readonly DebouncedInput _doorContact;
    private long _rexSinceMs;
    private bool _openedDuringPassage;
    private bool _forced;
    private bool _held;
    private long _heldSinceMs;
    private bool _linkLost;
    private long _lastLinkMs;
    private int _fireStateSession = -1;

    /// <summary>The door opened while secured, with no grant and no request-to-exit, and has not closed since.</summary>
    public bool IsDoorForced => _forced;

    /// <summary>The door has stood open longer than the held-open time and has not closed since.</summary>
    public bool IsDoorHeld => _held;

    /// <summary>The edge link has been missing for the link-lost time (hardware-docs/door-controller.md, "Edge link").</summary>
    public bool IsLinkLost => _linkLost;

    private void TrackDoorContact(long nowMs)
    {
        if (!_doorContact.Update(nowMs))
        {
            return;
        }

        bool closed = _doorContact.IsActive;
        PublishEvent(closed ? "door-closed" : "door-opened");
        if (!IsLockRole)
        {
            return;
        }

        if (closed)
        {
            OnDoorClosed(nowMs);
        }
        else
        {
            OnDoorOpened(nowMs);
        }
    }

    private void OnDoorOpened(long nowMs)
    {
        _heldSinceMs = nowMs;
        if ((_reasons & ReleaseReasons.Passage) != 0)
        {
            _openedDuringPassage = true;
        }

        // Opened while the lock was in its locked level: no grant, no request-to-exit, no release of any kind.
        if (IsSecured && !_forced)
        {
            _forced = true;
            Journal(AccessRecord.KindDoorForced, nowMs);
        }
    }

    private void OnDoorClosed(long nowMs)
    {
        // One passage per grant: the door locks again as soon as it has opened and closed (anti-tailgating).
        if (_openedDuringPassage && (_reasons & ReleaseReasons.Passage) != 0)
        {
            SetReason(ReleaseReasons.Passage, false);
        }

        _openedDuringPassage = false;
        if (_forced)
        {
            _forced = false;
            Journal(AccessRecord.KindDoorForcedCleared, nowMs);
        }

        if (_held)
        {
            _held = false;
            Journal(AccessRecord.KindDoorHeldCleared, nowMs);
        }
    }

    // Open too long counts only while the door should be secured or is open for one passage; a door released
    // for a fire, a command, a timed unlock or the link may stand open, and the time starts again after that ends.
    private void TrackHeldOpen(long nowMs)
    {
        if (!IsLockRole || _doorClosedInput == null || _settings.HeldOpenMs <= 0 || _doorContact.IsActive || _held)
        {
            return;
        }

        if ((_reasons & ~ReleaseReasons.Passage) != 0 || _fireInput.IsActive())
        {
            _heldSinceMs = nowMs;
            return;
        }

        if (nowMs - _heldSinceMs >= _settings.HeldOpenMs)
        {
            _held = true;
            Journal(AccessRecord.KindDoorHeld, nowMs);
        }
    }

    private void TrackRex(long nowMs)
    {
        if (!_rex.Update(nowMs) || !_rex.IsActive)
        {
            return;
        }

        Journal(AccessRecord.KindRex, nowMs);
        if (IsLockRole)
        {
            _rexSinceMs = nowMs;
            SetReason(ReleaseReasons.Rex, true);
        }
    }

    // The link is up while the transport is connected and the building's fire state has been read in this session
    // (the edge keeps it retained, so it arrives right after every subscribe). Lost after LinkLostMs without that.
    private void TrackLink(long nowMs)
    {
        bool up = _transport.IsConnected && _fireStateSession == _transport.Sessions;
        if (up)
        {
            _lastLinkMs = nowMs;
            if (_linkLost)
            {
                _linkLost = false;
                SetReason(ReleaseReasons.LinkLost, false);
                Journal(AccessRecord.KindLinkRestored, nowMs);
            }

            return;
        }

        if (_linkLost || _settings.LinkLostMs <= 0 || nowMs - _lastLinkMs < _settings.LinkLostMs)
        {
            return;
        }

        _linkLost = true;
        if (_settings.EgressCritical)
        {
            SetReason(ReleaseReasons.LinkLost, true);
        }

        Journal(AccessRecord.KindLinkLost, nowMs);
    }
}
