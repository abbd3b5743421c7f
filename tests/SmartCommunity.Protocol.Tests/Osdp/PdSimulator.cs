namespace SmartCommunity.Protocol.Tests.Osdp;

using System;
using System.Collections.Generic;

/// <summary>
/// A simulated OSDP reader (PD), written from the protocol description independently of the production CP
/// and on <see cref="OsdpOracle"/> (System.Security.Cryptography AES). It answers whole packets, keeps its
/// own secure channel, caches its last reply for a repeated sequence number, and has switches for the
/// faults the CP must survive: lost commands or replies, a tampered MAC, busy replies, SCBK-D misuse.
/// </summary>
internal sealed class PdSimulator
{
    private readonly Queue<byte[]> _cards = new Queue<byte[]>();
    private byte[]? _lastReply;
    private int _lastSequence = -1;
    private bool _secure;
    private byte[] _sEnc = new byte[16];
    private byte[] _sMac1 = new byte[16];
    private byte[] _sMac2 = new byte[16];
    private byte[] _cMac = new byte[16];
    private byte[] _rMac = new byte[16];
    private byte[] _cpRandom = new byte[8];

    public PdSimulator(int address, byte[]? scbk)
    {
        Address = address;
        Scbk = scbk;
    }

    public int Address { get; }

    /// <summary>The installed base key; null for a factory-fresh reader that knows only SCBK-D.</summary>
    public byte[]? Scbk { get; set; }

    /// <summary>Accept sessions on SCBK-D (a reader being provisioned).</summary>
    public bool InstallMode { get; set; }

    /// <summary>Misbehaving reader: builds every session on SCBK-D whatever the CP asks for.</summary>
    public bool AlwaysUseDefaultKey { get; set; }

    /// <summary>With <see cref="AlwaysUseDefaultKey"/>: claims key type 1 in osdp_CCRYPT anyway.</summary>
    public bool LieAboutKeyType { get; set; }

    public bool SupportsSecureChannel { get; set; } = true;

    public byte[] ClientUid { get; set; } = Convert.FromHexString("0102030405060708");

    public byte[] PdRandom { get; set; } = Convert.FromHexString("A0A1A2A3A4A5A6A7");

    /// <summary>Commands lost on the wire before the PD sees them.</summary>
    public int DropCommands { get; set; }

    /// <summary>Replies lost on the wire after the PD processed the command.</summary>
    public int DropReplies { get; set; }

    /// <summary>Flip a bit of the next MACed reply's MAC (the CRC is recomputed so only the MAC shows it).</summary>
    public bool TamperNextReplyMac { get; set; }

    /// <summary>Answer the next commands with plain osdp_BUSY (sequence 0) instead of processing them.</summary>
    public int BusyReplies { get; set; }

    /// <summary>Answer the next POLL with a plain-text osdp_RAW even while the secure channel is up (an injected read).</summary>
    public bool PlainCardInjection { get; set; }

    /// <summary>Answer osdp_KEYSET with a NAK (a reader that will not take a new key).</summary>
    public bool RefuseKeySet { get; set; }

    /// <summary>NAK reason to answer the next command with (0 = none).</summary>
    public int NakNext { get; set; }

    public bool IsSecure => _secure;

    public int Polls { get; private set; }

    public int Challenges { get; private set; }

    public int RepeatedReplies { get; private set; }

    public List<byte[]> LedCommands { get; } = new List<byte[]>();

    public List<byte[]> BuzzerCommands { get; } = new List<byte[]>();

    public List<byte[]> KeysReceived { get; } = new List<byte[]>();

    public List<byte[]> ReceivedCommands { get; } = new List<byte[]>();

    public List<int> Sequences { get; } = new List<int>();

    public int RejectedCommands { get; private set; }

    /// <summary>Queues a card for the next POLL: reader 0, format 0, the bits given as '0'/'1' text.</summary>
    public void PresentCard(string bits)
    {
        byte[] data = new byte[4 + ((bits.Length + 7) / 8)];
        data[1] = 0;
        data[2] = (byte)bits.Length;
        data[3] = (byte)(bits.Length >> 8);
        for (int i = 0; i < bits.Length; i++)
        {
            if (bits[i] == '1')
            {
                data[4 + (i / 8)] |= (byte)(0x80 >> (i % 8));
            }
        }

        _cards.Enqueue(data);
    }

    /// <summary>Handles one packet from the line; returns the reply bytes, or null when nothing is sent back.</summary>
    public byte[]? Handle(byte[] packet)
    {
        ReceivedCommands.Add(packet);
        if (DropCommands > 0)
        {
            DropCommands--;
            return null;
        }

        if (!Parse(packet, out Command command))
        {
            RejectedCommands++;
            return null;
        }

        if (command.Address != Address && command.Address != 0x7F)
        {
            return null;
        }

        Sequences.Add(command.Sequence);
        byte[]? reply;
        if (BusyReplies > 0)
        {
            BusyReplies--;
            reply = OsdpOracle.Packet(0x80 | Address, 0, command.Crc, 0x79);
            return Deliver(reply);
        }

        if (command.Sequence == 0)
        {
            // Sequence 0 restarts communication: any session is gone.
            _secure = false;
            _lastSequence = -1;
            _lastReply = null;
        }
        else if (command.Sequence == _lastSequence && _lastReply != null)
        {
            // The CP did not get our reply and sent the same packet again: repeat the reply, do not act twice.
            RepeatedReplies++;
            return Deliver(_lastReply);
        }

        reply = Process(command, packet);
        _lastSequence = command.Sequence;
        _lastReply = reply;
        return Deliver(reply);
    }

    private byte[]? Deliver(byte[]? reply)
    {
        if (reply != null && DropReplies > 0)
        {
            DropReplies--;
            return null;
        }

        return reply;
    }

    private byte[] Process(Command command, byte[] packet)
    {
        if (command.BlockType >= 0x15)
        {
            if (!_secure || command.BlockType is not (0x15 or 0x17))
            {
                return Nak(command, 0x06);
            }

            int macAt = packet.Length - (command.Crc ? 2 : 1) - 4;
            byte[] mac = OsdpOracle.Mac(_sMac1, _sMac2, _rMac, packet.AsSpan(0, macAt));
            if (!mac.AsSpan(0, 4).SequenceEqual(packet.AsSpan(macAt, 4)))
            {
                _secure = false;
                return Nak(command, 0x06);
            }

            _cMac = mac;
            if (command.BlockType == 0x17)
            {
                byte[]? plain = OsdpOracle.DecryptData(_sEnc, _rMac, command.Data);
                if (plain == null)
                {
                    _secure = false;
                    return Nak(command, 0x06);
                }

                command.Data = plain;
            }
        }
        else if (_secure && command.BlockType == 0)
        {
            _secure = false;
            return Nak(command, 0x06);
        }

        if (NakNext != 0)
        {
            int reason = NakNext;
            NakNext = 0;
            return Reply(command, 0x41, new[] { (byte)reason });
        }

        switch (command.Code)
        {
            case 0x76:
                return Challenge(command);
            case 0x77:
                return ServerCryptogram(command);
            case 0x60:
                Polls++;
                if (_cards.Count > 0)
                {
                    if (PlainCardInjection)
                    {
                        PlainCardInjection = false;
                        return OsdpOracle.Packet(0x80 | Address, command.Sequence, command.Crc, 0x50, _cards.Dequeue());
                    }

                    return Reply(command, 0x50, _cards.Dequeue());
                }

                return Reply(command, 0x40, Array.Empty<byte>());
            case 0x69:
                if (command.Data.Length % 14 != 0 || command.Data.Length == 0)
                {
                    return Reply(command, 0x41, new byte[] { 0x02 });
                }

                LedCommands.Add(command.Data);
                return Reply(command, 0x40, Array.Empty<byte>());
            case 0x6A:
                if (command.Data.Length != 5)
                {
                    return Reply(command, 0x41, new byte[] { 0x02 });
                }

                BuzzerCommands.Add(command.Data);
                return Reply(command, 0x40, Array.Empty<byte>());
            case 0x75:
                if (RefuseKeySet || !_secure || command.Data.Length != 18 || command.Data[0] != 1 || command.Data[1] != 16)
                {
                    return Reply(command, 0x41, new byte[] { 0x06 });
                }

                byte[] key = command.Data.AsSpan(2, 16).ToArray();
                KeysReceived.Add(key);
                byte[] ack = Reply(command, 0x40, Array.Empty<byte>());
                Scbk = key;
                InstallMode = false;
                return ack;
            default:
                return Reply(command, 0x41, new byte[] { 0x03 });
        }
    }

    private byte[] Challenge(Command command)
    {
        Challenges++;
        _secure = false;
        if (!SupportsSecureChannel)
        {
            return Nak(command, 0x05);
        }

        if (command.BlockType != 0x11 || command.Data.Length != 8)
        {
            return Nak(command, 0x06);
        }

        byte[]? key;
        int keyType = command.BlockValue;
        if (AlwaysUseDefaultKey)
        {
            key = OsdpOracle.DefaultKey;
            keyType = LieAboutKeyType ? 1 : 0;
        }
        else if (keyType == 0)
        {
            // A production reader refuses SCBK-D unless it is being provisioned.
            key = InstallMode ? OsdpOracle.DefaultKey : null;
        }
        else
        {
            key = Scbk;
        }

        if (key == null)
        {
            return Nak(command, 0x06);
        }

        _cpRandom = command.Data;
        _sEnc = OsdpOracle.SessionKey(key, _cpRandom, 0x82);
        _sMac1 = OsdpOracle.SessionKey(key, _cpRandom, 0x01);
        _sMac2 = OsdpOracle.SessionKey(key, _cpRandom, 0x02);
        byte[] cryptogram = OsdpOracle.Ecb(_sEnc, OsdpOracle.Concat(_cpRandom, PdRandom));
        byte[] data = OsdpOracle.Concat(OsdpOracle.Concat(ClientUid, PdRandom), cryptogram);
        return OsdpOracle.Packet(0x80 | Address, command.Sequence, command.Crc, new byte[] { 3, 0x12, (byte)keyType }, 0x76, data);
    }

    private byte[] ServerCryptogram(Command command)
    {
        if (command.BlockType != 0x13 || command.Data.Length != 16)
        {
            return Nak(command, 0x06);
        }

        byte[] expected = OsdpOracle.Ecb(_sEnc, OsdpOracle.Concat(PdRandom, _cpRandom));
        if (!expected.AsSpan().SequenceEqual(command.Data))
        {
            return OsdpOracle.Packet(0x80 | Address, command.Sequence, command.Crc, new byte[] { 3, 0x14, 0xFF }, 0x78, new byte[16]);
        }

        _rMac = OsdpOracle.Ecb(_sMac2, OsdpOracle.Ecb(_sMac1, command.Data));
        _secure = true;
        return OsdpOracle.Packet(0x80 | Address, command.Sequence, command.Crc, new byte[] { 3, 0x14, 0x01 }, 0x78, _rMac);
    }

    private byte[] Nak(Command command, byte reason)
    {
        return OsdpOracle.Packet(0x80 | Address, command.Sequence, command.Crc, 0x41, reason);
    }

    private byte[] Reply(Command command, byte code, byte[] data)
    {
        if (!_secure)
        {
            return OsdpOracle.Packet(0x80 | Address, command.Sequence, command.Crc, code, data);
        }

        byte[] wireData = data.Length > 0 ? OsdpOracle.EncryptData(_sEnc, _cMac, data) : data;
        int type = data.Length > 0 ? 0x18 : 0x16;
        int checkLength = command.Crc ? 2 : 1;
        int length = 5 + 2 + 1 + wireData.Length + 4 + checkLength;
        byte[] packet = new byte[length];
        packet[0] = 0x53;
        packet[1] = (byte)(0x80 | Address);
        packet[2] = (byte)length;
        packet[3] = (byte)(length >> 8);
        packet[4] = (byte)(command.Sequence | (command.Crc ? 4 : 0) | 8);
        packet[5] = 2;
        packet[6] = (byte)type;
        packet[7] = code;
        wireData.CopyTo(packet, 8);
        int macAt = 8 + wireData.Length;
        _rMac = OsdpOracle.Mac(_sMac1, _sMac2, _cMac, packet.AsSpan(0, macAt));
        _rMac.AsSpan(0, 4).CopyTo(packet.AsSpan(macAt));
        if (TamperNextReplyMac)
        {
            TamperNextReplyMac = false;
            packet[macAt + 1] ^= 0x10;
        }

        OsdpOracle.Seal(packet);
        return packet;
    }

    private static bool Parse(byte[] packet, out Command command)
    {
        command = new Command();
        if (packet.Length < 7 || packet[0] != 0x53 || (packet[2] | (packet[3] << 8)) != packet.Length)
        {
            return false;
        }

        command.Crc = (packet[4] & 4) != 0;
        if (command.Crc)
        {
            ushort crc = OsdpOracle.Crc(packet.AsSpan(0, packet.Length - 2));
            if (packet[^2] != (byte)crc || packet[^1] != (byte)(crc >> 8))
            {
                return false;
            }
        }
        else if (OsdpOracle.Checksum(packet.AsSpan(0, packet.Length - 1)) != packet[^1])
        {
            return false;
        }

        if ((packet[1] & 0x80) != 0)
        {
            return false;
        }

        command.Address = packet[1] & 0x7F;
        command.Sequence = packet[4] & 3;
        int p = 5;
        if ((packet[4] & 8) != 0)
        {
            int blockLength = packet[5];
            command.BlockType = packet[6];
            command.BlockValue = blockLength > 2 ? packet[7] : -1;
            p += blockLength;
        }

        command.Code = packet[p++];
        int end = packet.Length - (command.Crc ? 2 : 1) - (command.BlockType >= 0x15 ? 4 : 0);
        command.Data = packet.AsSpan(p, end - p).ToArray();
        return true;
    }

    private sealed class Command
    {
        public int Address { get; set; }

        public int Sequence { get; set; }

        public bool Crc { get; set; }

        public int BlockType { get; set; }

        public int BlockValue { get; set; } = -1;

        public byte Code { get; set; }

        public byte[] Data { get; set; } = Array.Empty<byte>();
    }
}
