namespace SmartCommunity.Protocol.Osdp;

using System;
using SmartCommunity.Protocol.Crypto;

/// <summary>
/// The control panel (CP) side of OSDP v2 for one reader (PD) on an RS-485 line, as specified in
/// hardware-docs/osdp.md §6: connects (secure channel handshake, or a plain first poll), polls, resends the
/// same packet on a missed reply, declares the reader offline after <see cref="OsdpControlPanelSettings.OfflineAfterMs"/>
/// without a valid reply, takes card reads from osdp_RAW, and sends LED and buzzer commands for grant and deny
/// feedback. In install mode it accepts SCBK-D only to replace it with the real key (osdp_KEYSET).
/// </summary>
/// <remarks>
/// Single-threaded: the board's loop calls <see cref="Receive"/> with the bytes its UART adapter read and
/// <see cref="Step"/> with the monotonic time; every timeout is decided in <see cref="Step"/> or on a reply,
/// and every state change goes through <see cref="SetState"/>. Nothing allocates after construction.
/// </remarks>
public sealed class OsdpControlPanel
{
    /// <summary>LED and buzzer commands waiting to be sent in place of polls.</summary>
    public const int PendingCapacity = 4;

    /// <summary>Accepted card reads waiting for <see cref="TryTakeCardRead"/>; the oldest is dropped when full.</summary>
    public const int CardQueueCapacity = 4;

    private const int PendingDataLength = 16;
    private const int LedDataLength = 14;
    private const int BuzzerDataLength = 5;
    private const int KeySetDataLength = 2 + OsdpSecureChannel.KeyLength;

    // osdp_LED control codes and osdp_BUZ tone codes.
    private const int LedTemporarySet = 2;
    private const int LedPermanentSet = 1;
    private const int ToneDefault = 2;

    private readonly OsdpControlPanelSettings _settings;
    private readonly IOsdpLine _line;
    private readonly IRandomSource _random;
    private readonly OsdpCodec _codec = new OsdpCodec();
    private readonly OsdpSecureChannel _secure = new OsdpSecureChannel();
    private readonly OsdpReceiver _receiver = new OsdpReceiver(OsdpCodec.MaxPacketLength);
    private readonly OsdpMessage _tx = new OsdpMessage();
    private readonly OsdpMessage _rx = new OsdpMessage();
    private readonly byte[] _txBuffer = new byte[OsdpCodec.MaxPacketLength];
    private readonly byte[] _scbk = new byte[OsdpSecureChannel.KeyLength];
    private readonly byte[] _installKey = new byte[OsdpSecureChannel.KeyLength];
    private readonly byte[] _handshakeKey = new byte[OsdpSecureChannel.KeyLength];
    private readonly byte[] _cpRandom = new byte[OsdpSecureChannel.RandomLength];
    private readonly byte[] _clientUid = new byte[8];
    private readonly byte[] _scratch = new byte[OsdpMessage.MaxDataLength];
    private readonly byte[] _pendingCodes = new byte[PendingCapacity];
    private readonly int[] _pendingLengths = new int[PendingCapacity];
    private readonly byte[] _pendingData = new byte[PendingCapacity * PendingDataLength];
    private readonly OsdpCardRead[] _cards = new OsdpCardRead[CardQueueCapacity];
    private readonly OsdpCardRead _incoming = new OsdpCardRead();

    private OsdpLinkState _state = OsdpLinkState.Offline;
    private bool _hasKey;
    private bool _installMode;
    private bool _installTryInstallKey;
    private bool _handshakeWithDefaultKey;
    private bool _connectNow = true;
    private int _sequence;
    private int _txLength;
    private bool _awaiting;
    private bool _busyRetry;
    private long _sentAtMs;
    private long _lastSendMs;
    private long _lastValidReplyMs;
    private long _offlineSinceMs;
    private int _pendingHead;
    private int _pendingCount;
    private int _cardHead;
    private int _cardCount;
    private OsdpRejection _lastRejection = OsdpRejection.None;
    private int _lastNakReason;
    private OsdpStateChangedHandler _stateChanged;

    public OsdpControlPanel(OsdpControlPanelSettings settings, IOsdpLine line, IRandomSource random)
    {
        if (settings == null || line == null || random == null)
        {
            throw new ArgumentNullException(settings == null ? nameof(settings) : line == null ? nameof(line) : nameof(random));
        }

        if (settings.Address < 0 || settings.Address > OsdpCodes.MaxAddress)
        {
            throw new ArgumentException("an OSDP reader address is 0..126");
        }

        if (settings.Scbk != null)
        {
            if (settings.Scbk.Length != OsdpSecureChannel.KeyLength)
            {
                throw new ArgumentException("the secure channel base key is 16 bytes");
            }

            Array.Copy(settings.Scbk, _scbk, OsdpSecureChannel.KeyLength);
            _hasKey = true;
        }

        _settings = settings;
        _line = line;
        _random = random;
        for (int i = 0; i < CardQueueCapacity; i++)
        {
            _cards[i] = new OsdpCardRead();
        }
    }

    /// <summary>Raised on every state change, from inside <see cref="Step"/> or <see cref="Receive"/>.</summary>
    /// <remarks>
    /// Written-out accessors: a field-like event compiles to Interlocked.CompareExchange&lt;T&gt; on net10, a
    /// generic the nano metadata check refuses; the CP is single-threaded, so plain Combine/Remove is enough.
    /// </remarks>
    public event OsdpStateChangedHandler StateChanged
    {
        add { _stateChanged = (OsdpStateChangedHandler)Delegate.Combine(_stateChanged, value); }
        remove { _stateChanged = (OsdpStateChangedHandler)Delegate.Remove(_stateChanged, value); }
    }

    public OsdpLinkState State => _state;

    public bool IsOnline => _state == OsdpLinkState.Online;

    public bool IsSecure => _secure.IsActive;

    public bool InstallMode => _installMode;

    public int Address => _settings.Address;

    /// <summary>The latest reason a packet, reply, card read or connection attempt was refused.</summary>
    public OsdpRejection LastRejection => _lastRejection;

    /// <summary>The reason byte of the latest osdp_NAK.</summary>
    public int LastNakReason => _lastNakReason;

    public long PacketsSent { get; private set; }

    /// <summary>Packets sent again, unchanged, after a missed reply or a busy PD.</summary>
    public long Resends { get; private set; }

    public long ReplyTimeouts { get; private set; }

    /// <summary>Received packets or replies refused (bad framing, check, MAC, address, sequence, plain text in SC...).</summary>
    public long RejectedReplies { get; private set; }

    public long Naks { get; private set; }

    public long BusyReplies { get; private set; }

    /// <summary>Replies this CP does not act on (e.g. osdp_KEYPAD, status reports); acknowledged, not errors.</summary>
    public long UnhandledReplies { get; private set; }

    public long CardReads { get; private set; }

    public long CardReadsRejected { get; private set; }

    public long CardReadsDropped { get; private set; }

    /// <summary>LED or buzzer requests refused because the reader was not online or the queue was full, or NAKed.</summary>
    public long CommandsDropped { get; private set; }

    public long SecureSessions { get; private set; }

    /// <summary>Handshakes that failed (bad cryptogram, refused default key, NAK, unexpected reply).</summary>
    public long HandshakeFailures { get; private set; }

    /// <summary>How many times install mode replaced SCBK-D with the real key. Persist <see cref="CopyKey"/> when it changes.</summary>
    public long KeysSet { get; private set; }

    public long OfflineTransitions { get; private set; }

    /// <summary>Card reads waiting for <see cref="TryTakeCardRead"/>.</summary>
    public int PendingCardReads => _cardCount;

    /// <summary>LED and buzzer commands not yet sent.</summary>
    public int PendingCommands => _pendingCount;

    /// <summary>The reader's 8-byte cUID from its last osdp_CCRYPT.</summary>
    public void CopyClientUid(byte[] destination, int offset) => Array.Copy(_clientUid, 0, destination, offset, _clientUid.Length);

    /// <summary>The base key in use (after install mode: the one just set), for the board to persist.</summary>
    public void CopyKey(byte[] destination, int offset) => Array.Copy(_scbk, 0, destination, offset, OsdpSecureChannel.KeyLength);

    /// <summary>
    /// Provisioning: the next handshakes may use SCBK-D and, once one succeeds, set <paramref name="newKey"/> in the
    /// reader with osdp_KEYSET; install mode then ends by itself. A reader that already holds
    /// <paramref name="newKey"/> is accepted as is. Returns false (nothing changes) for a missing or default key.
    /// </summary>
    public bool EnterInstallMode(byte[] newKey, int offset, long nowMs)
    {
        if (newKey == null || offset < 0 || offset + OsdpSecureChannel.KeyLength > newKey.Length || OsdpSecureChannel.IsDefaultKey(newKey, offset))
        {
            return false;
        }

        Array.Copy(newKey, offset, _installKey, 0, OsdpSecureChannel.KeyLength);
        _installMode = true;
        _installTryInstallKey = false;
        Restart(nowMs);
        return true;
    }

    /// <summary>Ends install mode without setting a key; the link restarts with the configured key.</summary>
    public void LeaveInstallMode(long nowMs)
    {
        if (!_installMode)
        {
            return;
        }

        _installMode = false;
        Array.Clear(_installKey, 0, _installKey.Length);
        Restart(nowMs);
    }

    /// <summary>Feeds bytes read from the UART; whole packets are handled at once.</summary>
    public void Receive(byte[] bytes, int count, long nowMs)
    {
        for (int i = 0; i < count; i++)
        {
            long badLengths = _receiver.BadLengths;
            bool whole = _receiver.Push(bytes[i]);
            if (_receiver.BadLengths != badLengths)
            {
                Reject(OsdpRejection.BadLength);
            }

            if (whole)
            {
                HandlePacket(nowMs);
                _receiver.Clear();
            }
        }
    }

    /// <summary>Owns every timeout: reply timeout and resend, offline, reconnect, poll cadence.</summary>
    public void Step(long nowMs)
    {
        if (_awaiting)
        {
            if (nowMs - _sentAtMs < _settings.ReplyTimeoutMs)
            {
                return;
            }

            ReplyTimeouts++;
            if (nowMs - _lastValidReplyMs >= _settings.OfflineAfterMs)
            {
                GoOffline(nowMs, OsdpRejection.NoReply);
                return;
            }

            Resend(nowMs);
            return;
        }

        if (_busyRetry)
        {
            if (nowMs - _lastSendMs >= _settings.PollIntervalMs)
            {
                _busyRetry = false;
                Resend(nowMs);
            }

            return;
        }

        if (_state == OsdpLinkState.Offline)
        {
            if (_connectNow || nowMs - _offlineSinceMs >= _settings.OfflineRetryMs)
            {
                Connect(nowMs);
            }

            return;
        }

        if (_state == OsdpLinkState.Online)
        {
            if (_pendingCount > 0)
            {
                SendPending(nowMs);
            }
            else if (nowMs - _lastSendMs >= _settings.PollIntervalMs)
            {
                SendCommand(OsdpCodes.Poll, 0, nowMs);
            }

            return;
        }

        // A handshake step with nothing outstanding cannot progress; start over rather than hang.
        GoOffline(nowMs, OsdpRejection.None);
    }

    /// <summary>Takes the oldest accepted card read into <paramref name="read"/>; false when none waits.</summary>
    public bool TryTakeCardRead(OsdpCardRead read)
    {
        if (_cardCount == 0)
        {
            return false;
        }

        read.CopyFrom(_cards[_cardHead]);
        _cardHead = (_cardHead + 1) % CardQueueCapacity;
        _cardCount--;
        return true;
    }

    /// <summary>
    /// Queues a temporary LED pattern (osdp_LED): <paramref name="onColor"/> for <paramref name="onTime100Ms"/>,
    /// <paramref name="offColor"/> for <paramref name="offTime100Ms"/> (0 = steady), for <paramref name="durationMs"/>,
    /// after which the reader's permanent state returns. False when the reader is not online or the queue is full.
    /// </summary>
    public bool RequestLed(OsdpColor onColor, OsdpColor offColor, int onTime100Ms, int offTime100Ms, long durationMs)
    {
        long timer = durationMs / 100;
        if (timer > 0xFFFF)
        {
            timer = 0xFFFF;
        }

        _scratch[0] = (byte)_settings.ReaderNumber;
        _scratch[1] = (byte)_settings.LedNumber;
        _scratch[2] = LedTemporarySet;
        _scratch[3] = ClampByte(onTime100Ms);
        _scratch[4] = ClampByte(offTime100Ms);
        _scratch[5] = (byte)onColor;
        _scratch[6] = (byte)offColor;
        _scratch[7] = (byte)(timer & 0xFF);
        _scratch[8] = (byte)(timer >> 8);

        // Permanent part: no change.
        for (int i = 9; i < LedDataLength; i++)
        {
            _scratch[i] = 0;
        }

        return Enqueue(OsdpCodes.Led, LedDataLength);
    }

    /// <summary>Queues the reader's permanent LED state (what it shows when no temporary pattern runs).</summary>
    public bool RequestPermanentLed(OsdpColor onColor, OsdpColor offColor, int onTime100Ms, int offTime100Ms)
    {
        _scratch[0] = (byte)_settings.ReaderNumber;
        _scratch[1] = (byte)_settings.LedNumber;

        // Temporary part: no change.
        for (int i = 2; i < 9; i++)
        {
            _scratch[i] = 0;
        }

        _scratch[9] = LedPermanentSet;
        _scratch[10] = ClampByte(onTime100Ms);
        _scratch[11] = ClampByte(offTime100Ms);
        _scratch[12] = (byte)onColor;
        _scratch[13] = (byte)offColor;
        return Enqueue(OsdpCodes.Led, LedDataLength);
    }

    /// <summary>Queues a buzzer pattern (osdp_BUZ): <paramref name="count"/> beeps of the given on/off times; count 0 stops it.</summary>
    public bool RequestBuzzer(int onTime100Ms, int offTime100Ms, int count)
    {
        _scratch[0] = (byte)_settings.ReaderNumber;
        _scratch[1] = count == 0 ? (byte)1 : (byte)ToneDefault;
        _scratch[2] = ClampByte(onTime100Ms);
        _scratch[3] = ClampByte(offTime100Ms);
        _scratch[4] = ClampByte(count);
        return Enqueue(OsdpCodes.Buzzer, BuzzerDataLength);
    }

    /// <summary>Grant feedback: steady green for <see cref="OsdpControlPanelSettings.GrantFeedbackMs"/> and one short beep.</summary>
    public bool SignalGranted()
    {
        bool led = RequestLed(OsdpColor.Green, OsdpColor.Green, 10, 0, _settings.GrantFeedbackMs);
        bool buzzer = RequestBuzzer(2, 0, 1);
        return led && buzzer;
    }

    /// <summary>Deny feedback: red flashing for <see cref="OsdpControlPanelSettings.DenyFeedbackMs"/> and three beeps.</summary>
    public bool SignalDenied()
    {
        bool led = RequestLed(OsdpColor.Red, OsdpColor.Black, 2, 2, _settings.DenyFeedbackMs);
        bool buzzer = RequestBuzzer(1, 1, 3);
        return led && buzzer;
    }

    private static byte ClampByte(int value)
    {
        return value < 0 ? (byte)0 : value > 255 ? (byte)255 : (byte)value;
    }

    private bool Enqueue(byte code, int length)
    {
        if (_state != OsdpLinkState.Online || _pendingCount == PendingCapacity)
        {
            CommandsDropped++;
            return false;
        }

        int slot = (_pendingHead + _pendingCount) % PendingCapacity;
        _pendingCodes[slot] = code;
        _pendingLengths[slot] = length;
        Array.Copy(_scratch, 0, _pendingData, slot * PendingDataLength, length);
        _pendingCount++;
        return true;
    }

    private void SendPending(long nowMs)
    {
        int slot = _pendingHead;
        _pendingHead = (_pendingHead + 1) % PendingCapacity;
        _pendingCount--;
        int length = _pendingLengths[slot];
        Array.Copy(_pendingData, slot * PendingDataLength, _scratch, 0, length);
        SendCommand(_pendingCodes[slot], length, nowMs);
    }

    private void Restart(long nowMs)
    {
        ResetLink();
        _connectNow = true;
        _offlineSinceMs = nowMs;
        SetState(OsdpLinkState.Offline);
    }

    private void ResetLink()
    {
        _secure.Reset();
        _receiver.Clear();
        _awaiting = false;
        _busyRetry = false;
        _sequence = 0;
    }

    private void GoOffline(long nowMs, OsdpRejection reason)
    {
        if (reason != OsdpRejection.None)
        {
            _lastRejection = reason;
        }

        ResetLink();
        _pendingCount = 0;
        _connectNow = false;
        _offlineSinceMs = nowMs;
        if (_state != OsdpLinkState.Offline)
        {
            OfflineTransitions++;
        }

        SetState(OsdpLinkState.Offline);
    }

    private void HandshakeFailed(long nowMs, OsdpRejection reason)
    {
        HandshakeFailures++;

        // In install mode the reader may hold either SCBK-D or the key being installed: try the other one next.
        if (_installMode)
        {
            _installTryInstallKey = !_installTryInstallKey;
        }

        GoOffline(nowMs, reason);
    }

    // Starts a connection with sequence 0, which tells the PD to drop any earlier session (hardware-docs/osdp.md §6.2).
    private void Connect(long nowMs)
    {
        ResetLink();
        _connectNow = false;
        _lastValidReplyMs = nowMs;
        _pendingCount = 0;
        if (!_settings.RequireSecureChannel)
        {
            SetState(OsdpLinkState.Connecting);
            SendCommand(OsdpCodes.Poll, 0, nowMs);
            return;
        }

        _handshakeWithDefaultKey = _installMode && !_installTryInstallKey;
        if (_handshakeWithDefaultKey)
        {
            OsdpSecureChannel.CopyDefaultKey(_handshakeKey, 0);
        }
        else if (_installMode)
        {
            Array.Copy(_installKey, _handshakeKey, OsdpSecureChannel.KeyLength);
        }
        else if (!_hasKey)
        {
            HandshakeFailed(nowMs, OsdpRejection.NoKey);
            return;
        }
        else if (OsdpSecureChannel.IsDefaultKey(_scbk, 0))
        {
            // A production link on the publicly known key would be no security at all (hardware-docs/osdp.md §4.3).
            HandshakeFailed(nowMs, OsdpRejection.DefaultKeyRefused);
            return;
        }
        else
        {
            Array.Copy(_scbk, _handshakeKey, OsdpSecureChannel.KeyLength);
        }

        _random.Fill(_cpRandom, 0, OsdpSecureChannel.RandomLength);
        Array.Copy(_cpRandom, _scratch, OsdpSecureChannel.RandomLength);
        SetState(OsdpLinkState.SecureChallenge);
        SendHandshake(OsdpCodes.Challenge, OsdpCodes.ScsChallenge, OsdpSecureChannel.RandomLength, nowMs);
    }

    private void SendHandshake(byte code, int blockType, int dataLength, long nowMs)
    {
        _tx.SecurityBlockType = blockType;
        _tx.SecurityBlockValue = _handshakeWithDefaultKey ? OsdpCodes.KeyDefault : OsdpCodes.KeyProvisioned;
        Send(code, dataLength, nowMs);
    }

    private void SendCommand(byte code, int dataLength, long nowMs)
    {
        _tx.SecurityBlockType = _secure.IsActive ? OsdpCodes.ScsCommandMac : 0;
        _tx.SecurityBlockValue = -1;
        Send(code, dataLength, nowMs);
    }

    // The data is in _scratch. The packet is kept in _txBuffer so a resend repeats it byte for byte: same
    // sequence number, same MAC, so the PD (which may have seen it) can answer with its cached reply.
    private void Send(byte code, int dataLength, long nowMs)
    {
        _tx.Address = _settings.Address;
        _tx.IsReply = false;
        _tx.Sequence = _sequence;
        _tx.UseCrc = _settings.UseCrc;
        _tx.SetPayload(code, _scratch, 0, dataLength);
        int length = _codec.Encode(_tx, _secure, _txBuffer, 0);
        if (length < 0)
        {
            // Only a programming error gets here (data longer than the buffers); drop the command, keep the link.
            CommandsDropped++;
            return;
        }

        _txLength = length;
        _receiver.Clear();
        _line.Write(_txBuffer, _txLength);
        PacketsSent++;
        _awaiting = true;
        _sentAtMs = nowMs;
        _lastSendMs = nowMs;
    }

    private void Resend(long nowMs)
    {
        _receiver.Clear();
        _line.Write(_txBuffer, _txLength);
        Resends++;
        _awaiting = true;
        _sentAtMs = nowMs;
    }

    private void Reject(OsdpRejection reason)
    {
        RejectedReplies++;
        _lastRejection = reason;
    }

    private void HandlePacket(long nowMs)
    {
        byte[] packet = _receiver.Buffer;
        OsdpRejection rejection = _codec.Decode(packet, 0, _receiver.Length, _rx);
        if (rejection != OsdpRejection.None)
        {
            Reject(rejection);
            return;
        }

        // Our own transmission echoed by the transceiver, another CP's traffic, or another PD's reply.
        if (!_rx.IsReply || _rx.Address != _settings.Address)
        {
            Reject(OsdpRejection.WrongAddress);
            return;
        }

        if (!_awaiting)
        {
            Reject(OsdpRejection.UnexpectedReply);
            return;
        }

        // osdp_BUSY may carry sequence 0 whatever the command had (hardware-docs/osdp.md §6.3).
        bool busy = _rx.Code == OsdpCodes.Busy && _rx.DataLength == 0 && _rx.SecurityBlockType == 0;
        if (_rx.Sequence != _sequence && !(busy && _rx.Sequence == 0))
        {
            Reject(OsdpRejection.WrongSequence);
            return;
        }

        bool macd = OsdpCodes.HasMac(_rx.SecurityBlockType);
        if (macd)
        {
            rejection = _codec.Open(packet, 0, _rx, _secure);
            if (rejection != OsdpRejection.None)
            {
                Reject(rejection);
                if (rejection == OsdpRejection.BadMac || rejection == OsdpRejection.BadPadding)
                {
                    // The chain can no longer be trusted: start a fresh secure channel at once.
                    Connect(nowMs);
                }

                return;
            }
        }
        else if (_secure.IsActive && !busy && !PlainReplyAllowed())
        {
            Reject(OsdpRejection.PlainTextInSecureChannel);
            return;
        }

        _awaiting = false;
        _lastValidReplyMs = nowMs;
        if (busy)
        {
            BusyReplies++;
            _busyRetry = true;
            return;
        }

        _sequence = _sequence == 3 ? 1 : _sequence + 1;
        switch (_state)
        {
            case OsdpLinkState.Connecting:
                SetState(OsdpLinkState.Online);
                HandleOnlineReply(nowMs, macd);
                break;
            case OsdpLinkState.SecureChallenge:
                HandleClientCryptogram(nowMs);
                break;
            case OsdpLinkState.SecureCryptogram:
                HandleInitialReplyMac(nowMs);
                break;
            case OsdpLinkState.SettingKey:
                HandleKeySetReply(nowMs);
                break;
            case OsdpLinkState.Online:
                HandleOnlineReply(nowMs, macd);
                break;
        }
    }

    // While the secure channel is up, a plain reply is taken only as a NAK (the PD lost its session and says so)
    // or as the ACK to osdp_KEYSET (some PDs switch keys before answering).
    private bool PlainReplyAllowed()
    {
        return _rx.Code == OsdpCodes.Nak
            || (_state == OsdpLinkState.SettingKey && _rx.Code == OsdpCodes.Ack && _rx.DataLength == 0);
    }

    private void HandleClientCryptogram(long nowMs)
    {
        if (_rx.Code == OsdpCodes.Nak)
        {
            NoteNak();
            HandshakeFailed(nowMs, OsdpRejection.Nak);
            return;
        }

        if (_rx.Code != OsdpCodes.ClientCryptogram || _rx.SecurityBlockType != OsdpCodes.ScsClientCryptogram || _rx.DataLength != 32)
        {
            HandshakeFailed(nowMs, OsdpRejection.UnexpectedReply);
            return;
        }

        // The PD says which key it used; SCBK-D is acceptable only when we asked for it (install mode).
        int expectedKey = _handshakeWithDefaultKey ? OsdpCodes.KeyDefault : OsdpCodes.KeyProvisioned;
        if (_rx.SecurityBlockValue != expectedKey)
        {
            HandshakeFailed(nowMs, _rx.SecurityBlockValue == OsdpCodes.KeyDefault ? OsdpRejection.DefaultKeyRefused : OsdpRejection.BadCryptogram);
            return;
        }

        Array.Copy(_rx.Data, 0, _clientUid, 0, _clientUid.Length);
        _secure.DeriveSessionKeys(_handshakeKey, 0, _cpRandom, 0);
        Array.Clear(_handshakeKey, 0, _handshakeKey.Length);
        _secure.SetPdRandom(_rx.Data, 8);
        if (!_secure.VerifyPdCryptogram(_rx.Data, 16))
        {
            HandshakeFailed(nowMs, OsdpRejection.BadCryptogram);
            return;
        }

        _secure.ComputeCpCryptogram(_scratch, 0);
        SetState(OsdpLinkState.SecureCryptogram);
        SendHandshake(OsdpCodes.ServerCryptogram, OsdpCodes.ScsServerCryptogram, OsdpSecureChannel.CryptogramLength, nowMs);
    }

    private void HandleInitialReplyMac(long nowMs)
    {
        if (_rx.Code == OsdpCodes.Nak)
        {
            NoteNak();
            HandshakeFailed(nowMs, OsdpRejection.Nak);
            return;
        }

        if (_rx.Code != OsdpCodes.InitialReplyMac || _rx.SecurityBlockType != OsdpCodes.ScsInitialReplyMac || _rx.DataLength != OsdpSecureChannel.MacLength)
        {
            HandshakeFailed(nowMs, OsdpRejection.UnexpectedReply);
            return;
        }

        // Status byte: the PD refused our cryptogram, or its R-MAC-I does not match ours: no shared key.
        if (_rx.SecurityBlockValue != OsdpCodes.CryptogramAccepted || !_secure.Activate(_rx.Data, 0))
        {
            HandshakeFailed(nowMs, OsdpRejection.BadCryptogram);
            return;
        }

        SecureSessions++;
        if (_handshakeWithDefaultKey)
        {
            // Install mode: replace SCBK-D before anything else happens on this link (hardware-docs/osdp.md §4.3).
            _scratch[0] = OsdpCodes.KeyProvisioned;
            _scratch[1] = OsdpSecureChannel.KeyLength;
            Array.Copy(_installKey, 0, _scratch, 2, OsdpSecureChannel.KeyLength);
            SetState(OsdpLinkState.SettingKey);
            SendCommand(OsdpCodes.KeySet, KeySetDataLength, nowMs);

            // The packet went out encrypted; do not leave the key in clear in the working buffers.
            Array.Clear(_scratch, 0, KeySetDataLength);
            Array.Clear(_tx.Data, 0, KeySetDataLength);
            return;
        }

        if (_installMode)
        {
            // The reader already holds the key being installed: adopt it and leave install mode.
            AdoptInstallKey();
        }

        SetState(OsdpLinkState.Online);
    }

    private void HandleKeySetReply(long nowMs)
    {
        if (_rx.Code == OsdpCodes.Ack)
        {
            AdoptInstallKey();
            KeysSet++;

            // Prove the new key at once with a fresh handshake on it.
            Connect(nowMs);
            return;
        }

        if (_rx.Code == OsdpCodes.Nak)
        {
            NoteNak();
            HandshakeFailed(nowMs, OsdpRejection.Nak);
            return;
        }

        HandshakeFailed(nowMs, OsdpRejection.UnexpectedReply);
    }

    private void AdoptInstallKey()
    {
        Array.Copy(_installKey, _scbk, OsdpSecureChannel.KeyLength);
        Array.Clear(_installKey, 0, _installKey.Length);
        _hasKey = true;
        _installMode = false;
        _installTryInstallKey = false;
    }

    private void HandleOnlineReply(long nowMs, bool macd)
    {
        switch (_rx.Code)
        {
            case OsdpCodes.Ack:
                return;
            case OsdpCodes.Nak:
                NoteNak();
                _lastRejection = OsdpRejection.Nak;

                // A sequence or security NAK, or any NAK in plain text while the channel was up, means the PD has
                // lost our session: start again with sequence 0. Other NAKs refuse just this command.
                if (_lastNakReason == OsdpCodes.NakSequence
                    || _lastNakReason == OsdpCodes.NakSecurityConditions
                    || _lastNakReason == OsdpCodes.NakSecurityBlockUnsupported
                    || (_secure.IsActive && !macd))
                {
                    Connect(nowMs);
                }
                else if (_tx.Code != OsdpCodes.Poll)
                {
                    CommandsDropped++;
                }

                return;
            case OsdpCodes.RawCard:
                HandleCardRead(nowMs);
                return;
            default:
                UnhandledReplies++;
                return;
        }
    }

    private void NoteNak()
    {
        Naks++;
        _lastNakReason = _rx.DataLength > 0 ? _rx.Data[0] : 0;
    }

    private void HandleCardRead(long nowMs)
    {
        OsdpRejection rejection = _incoming.Load(_rx.Data, 0, _rx.DataLength, nowMs);
        if (rejection != OsdpRejection.None)
        {
            CardReadsRejected++;
            _lastRejection = rejection;
            return;
        }

        if (_cardCount == CardQueueCapacity)
        {
            // Keep the newest: the person at the reader now matters more than one who has moved on.
            _cardHead = (_cardHead + 1) % CardQueueCapacity;
            _cardCount--;
            CardReadsDropped++;
        }

        _cards[(_cardHead + _cardCount) % CardQueueCapacity].CopyFrom(_incoming);
        _cardCount++;
        CardReads++;
    }

    private void SetState(OsdpLinkState next)
    {
        if (next == _state)
        {
            return;
        }

        OsdpLinkState previous = _state;
        _state = next;
        OsdpStateChangedHandler handler = _stateChanged;
        if (handler != null)
        {
            handler(this, previous, next);
        }
    }
}
