namespace SmartCommunity.Protocol.Osdp;

using System;
using SmartCommunity.Protocol.Crypto;

/// <summary>
/// Builds and parses OSDP v2 packets (hardware-docs/osdp.md §2):
/// <c>SOM 0x53 | ADDR | LEN_LSB | LEN_MSB | CTRL | [security block] | CODE | DATA | [MAC 4] | checksum or CRC-16 LSB first</c>.
/// The length counts every byte from the SOM to the last check byte. Decoding reports a rejection and never
/// throws on bad bytes; it allocates nothing.
/// </summary>
public sealed class OsdpCodec
{
    public const int HeaderLength = 5;

    /// <summary>The smallest packet: header, code and a one-byte checksum.</summary>
    public const int MinPacketLength = HeaderLength + 2;

    /// <summary>Room for the largest packet this implementation builds or accepts.</summary>
    public const int MaxPacketLength = 192;

    /// <summary>
    /// Writes <paramref name="message"/> as a packet at <paramref name="offset"/> and returns its length, or -1
    /// when the data is too long, the output too small, or a MAC is asked for without an active secure channel.
    /// For a MAC security block the data is encrypted (when there is any) and the packet signed with
    /// <paramref name="secure"/>, which advances its MAC chain.
    /// </summary>
    public int Encode(OsdpMessage message, OsdpSecureChannel secure, byte[] output, int offset)
    {
        int dataLength = message.DataLength;
        if (dataLength < 0 || dataLength > OsdpMessage.MaxDataLength || message.Address < 0 || message.Address > OsdpCodes.BroadcastAddress)
        {
            return -1;
        }

        bool command = !message.IsReply;
        int type = message.SecurityBlockType;
        bool mac = OsdpCodes.HasMac(type);
        if (mac)
        {
            if (secure == null || !secure.IsActive)
            {
                return -1;
            }

            // SCS_15/16 when there is nothing to encrypt, SCS_17/18 otherwise (hardware-docs/osdp.md §4.4).
            type = command
                ? (dataLength > 0 ? OsdpCodes.ScsCommandMacEncrypted : OsdpCodes.ScsCommandMac)
                : (dataLength > 0 ? OsdpCodes.ScsReplyMacEncrypted : OsdpCodes.ScsReplyMac);
        }
        else if (type != 0 && (type < OsdpCodes.ScsChallenge || type > OsdpCodes.ScsInitialReplyMac))
        {
            return -1;
        }

        int blockLength = type == 0 ? 0 : (mac ? 2 : 3);
        int wireData = mac && dataLength > 0 ? ((dataLength / Aes128.BlockSize) + 1) * Aes128.BlockSize : dataLength;
        int total = HeaderLength + blockLength + 1 + wireData + (mac ? OsdpSecureChannel.WireMacLength : 0) + (message.UseCrc ? 2 : 1);
        if (offset < 0 || output.Length - offset < total)
        {
            return -1;
        }

        int p = offset;
        output[p++] = OsdpCodes.StartOfMessage;
        output[p++] = (byte)(message.Address | (message.IsReply ? OsdpCodes.ReplyFlag : 0));
        output[p++] = (byte)(total & 0xFF);
        output[p++] = (byte)(total >> 8);
        output[p++] = (byte)((message.Sequence & OsdpCodes.ControlSequenceMask)
            | (message.UseCrc ? OsdpCodes.ControlCrc : 0)
            | (type != 0 ? OsdpCodes.ControlSecurityBlock : 0));
        if (type != 0)
        {
            output[p++] = (byte)blockLength;
            output[p++] = (byte)type;
            if (blockLength == 3)
            {
                output[p++] = (byte)message.SecurityBlockValue;
            }
        }

        output[p++] = message.Code;
        if (dataLength > 0)
        {
            Array.Copy(message.Data, 0, output, p, dataLength);
            if (mac)
            {
                dataLength = secure.EncryptData(command, output, p, dataLength);
            }
        }

        p += dataLength;
        if (mac)
        {
            secure.Sign(command, output, offset, p - offset);
            p += OsdpSecureChannel.WireMacLength;
        }

        if (message.UseCrc)
        {
            int crc = OsdpCheck.Crc16(output, offset, p - offset);
            output[p++] = (byte)(crc & 0xFF);
            output[p++] = (byte)(crc >> 8);
        }
        else
        {
            output[p] = (byte)OsdpCheck.Checksum(output, offset, p - offset);
            p++;
        }

        return p - offset;
    }

    /// <summary>
    /// Parses one whole packet into <paramref name="message"/>: start of message, length, check character and
    /// security block structure. MACed data stays as received (possibly encrypted) until <see cref="Open"/>.
    /// </summary>
    public OsdpRejection Decode(byte[] packet, int offset, int length, OsdpMessage message)
    {
        message.Clear();
        if (packet == null || offset < 0 || length < MinPacketLength || offset + length > packet.Length)
        {
            return OsdpRejection.BadLength;
        }

        if (packet[offset] != OsdpCodes.StartOfMessage)
        {
            return OsdpRejection.BadStartOfMessage;
        }

        int declared = packet[offset + 2] | (packet[offset + 3] << 8);
        if (declared != length)
        {
            return declared > MaxPacketLength ? OsdpRejection.Oversized : OsdpRejection.BadLength;
        }

        int control = packet[offset + 4];
        bool crc = (control & OsdpCodes.ControlCrc) != 0;
        int covered = length - (crc ? 2 : 1);
        if (crc)
        {
            int received = packet[offset + covered] | (packet[offset + covered + 1] << 8);
            if (OsdpCheck.Crc16(packet, offset, covered) != received)
            {
                return OsdpRejection.BadCrc;
            }
        }
        else if (OsdpCheck.Checksum(packet, offset, covered) != packet[offset + covered])
        {
            return OsdpRejection.BadChecksum;
        }

        int address = packet[offset + 1];
        message.Address = address & 0x7F;
        message.IsReply = (address & OsdpCodes.ReplyFlag) != 0;
        message.Sequence = control & OsdpCodes.ControlSequenceMask;
        message.UseCrc = crc;

        int p = offset + HeaderLength;
        int end = offset + covered;
        int type = 0;
        if ((control & OsdpCodes.ControlSecurityBlock) != 0)
        {
            if (p + 2 > end)
            {
                return OsdpRejection.BadSecurityBlock;
            }

            int blockLength = packet[p];
            type = packet[p + 1];
            if (type < OsdpCodes.ScsChallenge || type > OsdpCodes.ScsReplyMacEncrypted)
            {
                return OsdpRejection.BadSecurityBlock;
            }

            // Handshake blocks carry one data byte, MAC blocks none; odd types travel CP to PD, even ones back.
            bool handshake = type <= OsdpCodes.ScsInitialReplyMac;
            bool fromCp = (type & 1) == 1;
            if (blockLength != (handshake ? 3 : 2) || fromCp == message.IsReply || p + blockLength >= end)
            {
                return OsdpRejection.BadSecurityBlock;
            }

            message.SecurityBlockType = type;
            message.SecurityBlockValue = handshake ? packet[p + 2] : -1;
            p += blockLength;
        }

        if (p >= end)
        {
            return OsdpRejection.BadLength;
        }

        message.Code = packet[p++];
        int dataEnd = end;
        if (OsdpCodes.HasMac(type))
        {
            dataEnd -= OsdpSecureChannel.WireMacLength;
            if (dataEnd < p)
            {
                return OsdpRejection.BadLength;
            }

            message.MacOffset = dataEnd - offset;
        }

        int dataLength = dataEnd - p;
        if (dataLength > message.Data.Length)
        {
            return OsdpRejection.Oversized;
        }

        if (dataLength > 0)
        {
            Array.Copy(packet, p, message.Data, 0, dataLength);
        }

        message.DataLength = dataLength;
        return OsdpRejection.None;
    }

    /// <summary>
    /// For a decoded packet with a MAC: verifies the MAC against <paramref name="secure"/>'s chain and decrypts
    /// SCS_17/SCS_18 data in the message. The same packet bytes given to <see cref="Decode"/> must be passed.
    /// A packet without a MAC is left alone (the caller decides whether plain text is acceptable).
    /// </summary>
    public OsdpRejection Open(byte[] packet, int offset, OsdpMessage message, OsdpSecureChannel secure)
    {
        int type = message.SecurityBlockType;
        if (!OsdpCodes.HasMac(type))
        {
            return OsdpRejection.None;
        }

        if (secure == null || !secure.IsActive)
        {
            return OsdpRejection.NoSecureChannel;
        }

        bool command = !message.IsReply;
        if (!secure.Verify(command, packet, offset, message.MacOffset))
        {
            return OsdpRejection.BadMac;
        }

        if (OsdpCodes.IsEncrypted(type))
        {
            int plain = secure.DecryptData(command, message.Data, 0, message.DataLength);
            if (plain < 0)
            {
                return OsdpRejection.BadPadding;
            }

            message.DataLength = plain;
        }

        return OsdpRejection.None;
    }
}
