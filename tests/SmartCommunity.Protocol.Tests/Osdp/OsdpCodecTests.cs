namespace SmartCommunity.Protocol.Tests.Osdp;

using System;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using SmartCommunity.Protocol.Osdp;
using SmartCommunity.Protocol.Tests.Crypto;

[TestClass]
public sealed class OsdpCodecTests
{
    [TestMethod]
    [DataRow(0x65, true, (byte)0x60, "", "5365080004606090")]
    [DataRow(0x65, true, (byte)0x61, "00", "53650900046100D97A")]
    [DataRow(0x7F, true, (byte)0x6E, "0080250000", "537F0D00046E00802500006E38")]
    [DataRow(0x7F, false, (byte)0x6E, "0080250000", "537F0C00006E00802500000F")]
    [DataRow(0x00, true, (byte)0x61, "00", "53000900046100C066")]
    [DataRow(0x00, false, (byte)0x61, "00", "5300080000610044")]
    public void Encode_LibosdpAndAnnexECommands_GivesExactBytes(int address, bool crc, byte code, string data, string expected)
    {
        // libosdp tests/unit-tests/test-cp-phy.c (POLL, ID to 0x65) and SIA Annex E (COMSET broadcast, ID to 0).
        OsdpMessage message = Command(address, 0, crc, code, Hex.Bytes(data));
        byte[] output = new byte[OsdpCodec.MaxPacketLength];

        int length = new OsdpCodec().Encode(message, null!, output, 0);

        Assert.AreEqual(expected, Hex.Of(output, 0, length));
    }

    [TestMethod]
    [DataRow("5365080004606090", 0x65, true, (byte)0x60, "")]
    [DataRow("537F0C00006E00802500000F", 0x7F, false, (byte)0x6E, "0080250000")]
    [DataRow("53000900046100C066", 0x00, true, (byte)0x61, "00")]
    public void Decode_KnownCommands_GivesFields(string packet, int address, bool crc, byte code, string data)
    {
        byte[] bytes = Hex.Bytes(packet);
        OsdpMessage message = new OsdpMessage();

        OsdpRejection rejection = new OsdpCodec().Decode(bytes, 0, bytes.Length, message);

        Assert.AreEqual(OsdpRejection.None, rejection);
        Assert.AreEqual(address, message.Address);
        Assert.IsFalse(message.IsReply);
        Assert.AreEqual(0, message.Sequence);
        Assert.AreEqual(crc, message.UseCrc);
        Assert.AreEqual(0, message.SecurityBlockType);
        Assert.AreEqual(code, message.Code);
        Assert.AreEqual(data, Hex.Of(message.Data, 0, message.DataLength));
        Assert.AreEqual(-1, message.MacOffset);
    }

    [TestMethod]
    public void Decode_ReplyWithSequenceAndData_SetsReplyFlagAndSequence()
    {
        byte[] packet = OsdpOracle.Packet(0x80 | 0x65, 2, true, 0x41, 0x03);
        OsdpMessage message = new OsdpMessage();

        Assert.AreEqual(OsdpRejection.None, new OsdpCodec().Decode(packet, 0, packet.Length, message));
        Assert.IsTrue(message.IsReply);
        Assert.AreEqual(0x65, message.Address);
        Assert.AreEqual(2, message.Sequence);
        Assert.AreEqual(OsdpCodes.Nak, message.Code);
        Assert.AreEqual("03", Hex.Of(message.Data, 0, message.DataLength));
    }

    [TestMethod]
    [DataRow("4465080004606090", OsdpRejection.BadStartOfMessage)]
    [DataRow("5365090004606090", OsdpRejection.BadLength)]
    [DataRow("53650800046060", OsdpRejection.BadLength)]
    [DataRow("536508", OsdpRejection.BadLength)]
    [DataRow("5365FFFF04606090", OsdpRejection.Oversized)]
    [DataRow("5365080004606091", OsdpRejection.BadCrc)]
    [DataRow("5365080004616090", OsdpRejection.BadCrc)]
    [DataRow("537F0C00006E00802500000E", OsdpRejection.BadChecksum)]
    public void Decode_BadPacket_ReportsReason(string packet, OsdpRejection expected)
    {
        byte[] bytes = Hex.Bytes(packet);

        Assert.AreEqual(expected, new OsdpCodec().Decode(bytes, 0, bytes.Length, new OsdpMessage()));
    }

    [TestMethod]
    [DataRow("0311", "60")]
    [DataRow("0211", "60")]
    [DataRow("0215", "")]
    [DataRow("0312", "60")]
    [DataRow("0216", "60")]
    [DataRow("0219", "60")]
    [DataRow("0210", "60")]
    [DataRow("03", "")]
    public void Decode_MalformedSecurityBlock_ReportsBadSecurityBlockOrLength(string block, string rest)
    {
        // Command packets (no reply flag): 0x12/0x16 are reply types, 0x19/0x10 unknown, lengths must fit the type.
        byte[] packet = Raw(0x65, 0x08 | 0x04, Hex.Bytes(block + rest));

        OsdpRejection rejection = new OsdpCodec().Decode(packet, 0, packet.Length, new OsdpMessage());

        Assert.IsTrue(rejection == OsdpRejection.BadSecurityBlock || rejection == OsdpRejection.BadLength, rejection.ToString());
    }

    [TestMethod]
    public void Decode_AtOffsetInLargerBuffer_ReadsOnlyThatPacket()
    {
        byte[] packet = Hex.Bytes("5365080004606090");
        byte[] buffer = new byte[32];
        Array.Fill(buffer, (byte)0xEE);
        packet.CopyTo(buffer, 5);
        OsdpMessage message = new OsdpMessage();

        Assert.AreEqual(OsdpRejection.None, new OsdpCodec().Decode(buffer, 5, packet.Length, message));
        Assert.AreEqual(OsdpCodes.Poll, message.Code);
    }

    [TestMethod]
    public void Decode_RandomAndMutatedBytes_NeverThrows()
    {
        Random random = new Random(53);
        OsdpCodec codec = new OsdpCodec();
        OsdpMessage message = new OsdpMessage();
        OsdpSecureChannel secure = ActiveChannel();
        for (int round = 0; round < 20000; round++)
        {
            byte[] bytes = new byte[random.Next(0, 200)];
            random.NextBytes(bytes);
            if (bytes.Length >= 7 && round % 2 == 0)
            {
                // Make most of them structurally plausible so the deeper checks run too.
                bytes[0] = 0x53;
                bytes[2] = (byte)bytes.Length;
                bytes[3] = 0;
                OsdpOracle.Seal(bytes);
            }

            OsdpRejection rejection = codec.Decode(bytes, 0, bytes.Length, message);
            if (rejection == OsdpRejection.None)
            {
                codec.Open(bytes, 0, message, secure);
            }
        }
    }

    [TestMethod]
    public void Encode_MacWithoutActiveSecureChannel_ReturnsMinusOne()
    {
        OsdpMessage message = Command(0x65, 1, true, OsdpCodes.Poll, Array.Empty<byte>());
        message.SecurityBlockType = OsdpCodes.ScsCommandMac;

        Assert.AreEqual(-1, new OsdpCodec().Encode(message, new OsdpSecureChannel(), new byte[OsdpCodec.MaxPacketLength], 0));
        Assert.AreEqual(-1, new OsdpCodec().Encode(message, null!, new byte[OsdpCodec.MaxPacketLength], 0));
    }

    [TestMethod]
    public void Encode_OutputTooSmall_ReturnsMinusOne()
    {
        OsdpMessage message = Command(0x65, 1, true, OsdpCodes.Poll, Array.Empty<byte>());

        Assert.AreEqual(-1, new OsdpCodec().Encode(message, null!, new byte[7], 0));
        Assert.AreEqual(8, new OsdpCodec().Encode(message, null!, new byte[8], 0));
    }

    [TestMethod]
    public void EncodeThenDecode_SecureCommandWithData_EncryptsMacsAndRoundTrips()
    {
        OsdpSecureChannel cp = ActiveChannel();
        OsdpSecureChannel pd = ActiveChannel();
        OsdpCodec codec = new OsdpCodec();
        byte[] led = Hex.Bytes("0000020A000202001E000000000000");
        OsdpMessage command = Command(0x65, 2, true, OsdpCodes.Led, led);
        command.SecurityBlockType = OsdpCodes.ScsCommandMac;
        byte[] packet = new byte[OsdpCodec.MaxPacketLength];

        int length = codec.Encode(command, cp, packet, 0);

        // Header 5, block 2, code 1, 15 data bytes padded to 16, MAC 4, CRC 2.
        Assert.AreEqual(30, length);
        Assert.AreEqual(30, packet[2] | (packet[3] << 8));
        Assert.AreEqual(0x08 | 0x04 | 2, packet[4]);
        Assert.AreEqual("0217", Hex.Of(packet, 5, 2));
        OsdpMessage received = new OsdpMessage();
        Assert.AreEqual(OsdpRejection.None, codec.Decode(packet, 0, length, received));
        Assert.AreEqual(OsdpCodes.ScsCommandMacEncrypted, received.SecurityBlockType);
        Assert.AreEqual(24, received.MacOffset);
        Assert.AreEqual(OsdpRejection.None, codec.Open(packet, 0, received, pd));
        Assert.AreEqual(Hex.Of(led), Hex.Of(received.Data, 0, received.DataLength));
    }

    [TestMethod]
    public void Encode_SecureCommand_MatchesOracleEncryptionAndMac()
    {
        OsdpSecureChannel cp = ActiveChannel();
        byte[] sEnc = new byte[16];
        byte[] sMac1 = new byte[16];
        byte[] sMac2 = new byte[16];
        byte[] rMac = new byte[16];
        cp.CopyEncryptionKey(sEnc, 0);
        cp.CopyMacKey1(sMac1, 0);
        cp.CopyMacKey2(sMac2, 0);
        cp.CopyChain(command: false, rMac, 0);
        byte[] buzzer = Hex.Bytes("0002020003");
        OsdpMessage command = Command(0x65, 1, true, OsdpCodes.Buzzer, buzzer);
        command.SecurityBlockType = OsdpCodes.ScsCommandMac;
        byte[] packet = new byte[OsdpCodec.MaxPacketLength];

        int length = new OsdpCodec().Encode(command, cp, packet, 0);

        byte[] cipher = OsdpOracle.EncryptData(sEnc, rMac, buzzer);
        Assert.AreEqual(Hex.Of(cipher), Hex.Of(packet, 8, 16));
        byte[] mac = OsdpOracle.Mac(sMac1, sMac2, rMac, packet.AsSpan(0, 24));
        Assert.AreEqual(Hex.Of(mac, 0, 4), Hex.Of(packet, 24, 4));
        ushort crc = OsdpOracle.Crc(packet.AsSpan(0, 28));
        Assert.AreEqual(crc, packet[28] | (packet[29] << 8));
        Assert.AreEqual(30, length);
    }

    [TestMethod]
    public void Encode_SecurePollWithoutData_UsesScs15AndNoEncryption()
    {
        OsdpSecureChannel cp = ActiveChannel();
        OsdpMessage poll = Command(0x65, 3, true, OsdpCodes.Poll, Array.Empty<byte>());
        poll.SecurityBlockType = OsdpCodes.ScsCommandMacEncrypted;
        byte[] packet = new byte[OsdpCodec.MaxPacketLength];

        int length = new OsdpCodec().Encode(poll, cp, packet, 0);

        Assert.AreEqual(14, length);
        Assert.AreEqual("53650E000F021560", Hex.Of(packet, 0, 8));
    }

    [TestMethod]
    public void Open_ReplyWithTamperedMac_ReportsBadMac()
    {
        OsdpSecureChannel cp = ActiveChannel();
        OsdpSecureChannel pd = ActiveChannel();
        OsdpCodec codec = new OsdpCodec();
        byte[] packet = SecureReply(cp, pd, codec, Hex.Bytes("00000A0012"));
        packet[packet.Length - 4] ^= 0x01;
        OsdpOracle.Seal(packet);
        OsdpMessage received = new OsdpMessage();

        Assert.AreEqual(OsdpRejection.None, codec.Decode(packet, 0, packet.Length, received));
        Assert.AreEqual(OsdpRejection.BadMac, codec.Open(packet, 0, received, cp));
    }

    [TestMethod]
    public void Open_ReplyWithTamperedCipherText_ReportsBadMac()
    {
        OsdpSecureChannel cp = ActiveChannel();
        OsdpSecureChannel pd = ActiveChannel();
        OsdpCodec codec = new OsdpCodec();
        byte[] packet = SecureReply(cp, pd, codec, Hex.Bytes("00000A0012"));
        packet[9] ^= 0x40;
        OsdpOracle.Seal(packet);
        OsdpMessage received = new OsdpMessage();

        Assert.AreEqual(OsdpRejection.None, codec.Decode(packet, 0, packet.Length, received));
        Assert.AreEqual(OsdpRejection.BadMac, codec.Open(packet, 0, received, cp));
    }

    [TestMethod]
    public void Open_GenuineEncryptedReply_VerifiesAndDecrypts()
    {
        OsdpSecureChannel cp = ActiveChannel();
        OsdpSecureChannel pd = ActiveChannel();
        OsdpCodec codec = new OsdpCodec();
        byte[] packet = SecureReply(cp, pd, codec, Hex.Bytes("00000A0012"));
        OsdpMessage received = new OsdpMessage();

        Assert.AreEqual(OsdpRejection.None, codec.Decode(packet, 0, packet.Length, received));
        Assert.AreEqual(OsdpCodes.ScsReplyMacEncrypted, received.SecurityBlockType);
        Assert.AreEqual(OsdpRejection.None, codec.Open(packet, 0, received, cp));
        Assert.AreEqual("00000A0012", Hex.Of(received.Data, 0, received.DataLength));
    }

    [TestMethod]
    public void Open_MacedReplyWithoutActiveChannel_ReportsNoSecureChannel()
    {
        OsdpSecureChannel cp = ActiveChannel();
        OsdpSecureChannel pd = ActiveChannel();
        OsdpCodec codec = new OsdpCodec();
        byte[] packet = SecureReply(cp, pd, codec, Array.Empty<byte>());
        OsdpMessage received = new OsdpMessage();

        Assert.AreEqual(OsdpRejection.None, codec.Decode(packet, 0, packet.Length, received));
        Assert.AreEqual(OsdpRejection.NoSecureChannel, codec.Open(packet, 0, received, new OsdpSecureChannel()));
    }

    private static OsdpMessage Command(int address, int sequence, bool crc, byte code, byte[] data)
    {
        OsdpMessage message = new OsdpMessage
        {
            Address = address,
            Sequence = sequence,
            UseCrc = crc,
        };
        Assert.IsTrue(message.SetPayload(code, data, 0, data.Length));
        return message;
    }

    // Both ends of a link after a handshake on SCBK-D with the Annex E randoms.
    internal static OsdpSecureChannel ActiveChannel()
    {
        OsdpSecureChannel channel = new OsdpSecureChannel();
        byte[] key = new byte[16];
        OsdpSecureChannel.CopyDefaultKey(key, 0);
        channel.DeriveSessionKeys(key, 0, Hex.Bytes("B0B1B2B3B4B5B6B7"), 0);
        channel.SetPdRandom(Hex.Bytes("A0A1A2A3A4A5A6A7"), 0);
        byte[] rmacI = new byte[16];
        channel.ComputeInitialReplyMac(rmacI, 0);
        Assert.IsTrue(channel.Activate(rmacI, 0));
        return channel;
    }

    // A reply from the PD side to a secure POLL from the CP side, so both MAC chains agree as on a real link.
    private static byte[] SecureReply(OsdpSecureChannel cp, OsdpSecureChannel pd, OsdpCodec codec, byte[] data)
    {
        OsdpMessage poll = Command(0x65, 1, true, OsdpCodes.Poll, Array.Empty<byte>());
        poll.SecurityBlockType = OsdpCodes.ScsCommandMac;
        byte[] command = new byte[OsdpCodec.MaxPacketLength];
        int commandLength = codec.Encode(poll, cp, command, 0);
        OsdpMessage seen = new OsdpMessage();
        Assert.AreEqual(OsdpRejection.None, codec.Decode(command, 0, commandLength, seen));
        Assert.AreEqual(OsdpRejection.None, codec.Open(command, 0, seen, pd));

        OsdpMessage reply = Command(0x65, 1, true, data.Length > 0 ? OsdpCodes.RawCard : OsdpCodes.Ack, data);
        reply.IsReply = true;
        reply.SecurityBlockType = OsdpCodes.ScsReplyMac;
        byte[] packet = new byte[OsdpCodec.MaxPacketLength];
        int length = codec.Encode(reply, pd, packet, 0);
        return packet.AsSpan(0, length).ToArray();
    }

    private static byte[] Raw(int addressByte, int control, byte[] body)
    {
        int length = 5 + body.Length + 2;
        byte[] packet = new byte[length];
        packet[0] = 0x53;
        packet[1] = (byte)addressByte;
        packet[2] = (byte)length;
        packet[3] = 0;
        packet[4] = (byte)control;
        body.CopyTo(packet, 5);
        OsdpOracle.Seal(packet);
        return packet;
    }
}
