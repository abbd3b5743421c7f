namespace SmartCommunity.Protocol.Tests.Osdp;

using System;
using System.Security.Cryptography;

/// <summary>
/// An independent OSDP reference for the tests: table-driven CRC, the secure channel's keys, MACs and data
/// encryption on System.Security.Cryptography's AES. Shares no code with the production codec.
/// </summary>
internal static class OsdpOracle
{
    public static readonly byte[] DefaultKey = Convert.FromHexString("303132333435363738393A3B3C3D3E3F");

    private static readonly ushort[] CrcTable = BuildCrcTable();

    /// <summary>CRC-16/AUG-CCITT: poly 0x1021, init 0x1D0F, MSB first, no final XOR.</summary>
    public static ushort Crc(ReadOnlySpan<byte> data)
    {
        ushort crc = 0x1D0F;
        foreach (byte b in data)
        {
            crc = (ushort)((crc << 8) ^ CrcTable[(crc >> 8) ^ b]);
        }

        return crc;
    }

    /// <summary>CRC-16/KERMIT (poly 0x1021 reflected, init 0): the wrong CRC that some descriptions of OSDP give.</summary>
    public static ushort Kermit(ReadOnlySpan<byte> data)
    {
        ushort crc = 0;
        foreach (byte b in data)
        {
            crc ^= b;
            for (int i = 0; i < 8; i++)
            {
                crc = (crc & 1) != 0 ? (ushort)((crc >> 1) ^ 0x8408) : (ushort)(crc >> 1);
            }
        }

        return crc;
    }

    public static byte Checksum(ReadOnlySpan<byte> data)
    {
        int sum = 0;
        foreach (byte b in data)
        {
            sum += b;
        }

        return (byte)(0x100 - (sum & 0xFF));
    }

    public static byte[] Ecb(byte[] key, byte[] block)
    {
        using Aes aes = Aes.Create();
        aes.Key = key;
        return aes.EncryptEcb(block, PaddingMode.None);
    }

    public static byte[] SessionKey(byte[] scbk, byte[] cpRandom, byte selector)
    {
        byte[] block = new byte[16];
        block[0] = 0x01;
        block[1] = selector;
        Array.Copy(cpRandom, 0, block, 2, 6);
        return Ecb(scbk, block);
    }

    public static byte[] Concat(byte[] first, byte[] second)
    {
        byte[] both = new byte[first.Length + second.Length];
        first.CopyTo(both, 0);
        second.CopyTo(both, first.Length);
        return both;
    }

    /// <summary>The spec's MAC: CBC over the 0x80-padded message, S-MAC1 for all blocks but the last, S-MAC2 for the last.</summary>
    public static byte[] Mac(byte[] sMac1, byte[] sMac2, byte[] iv, ReadOnlySpan<byte> message)
    {
        int padded = message.Length % 16 == 0 ? message.Length : ((message.Length / 16) + 1) * 16;
        byte[] buffer = new byte[padded];
        message.CopyTo(buffer);
        if (padded != message.Length)
        {
            buffer[message.Length] = 0x80;
        }

        byte[] chain = (byte[])iv.Clone();
        using Aes first = Aes.Create();
        first.Key = sMac1;
        using Aes last = Aes.Create();
        last.Key = sMac2;
        for (int block = 0; block < padded; block += 16)
        {
            for (int i = 0; i < 16; i++)
            {
                chain[i] ^= buffer[block + i];
            }

            chain = (block + 16 == padded ? last : first).EncryptEcb(chain, PaddingMode.None);
        }

        return chain;
    }

    public static byte[] Complement(byte[] value)
    {
        byte[] result = new byte[value.Length];
        for (int i = 0; i < value.Length; i++)
        {
            result[i] = (byte)~value[i];
        }

        return result;
    }

    /// <summary>Data encryption: 0x80 then zeros to whole blocks, AES-CBC with S-ENC and the complemented MAC as IV.</summary>
    public static byte[] EncryptData(byte[] sEnc, byte[] macForIv, ReadOnlySpan<byte> plain)
    {
        byte[] padded = new byte[((plain.Length / 16) + 1) * 16];
        plain.CopyTo(padded);
        padded[plain.Length] = 0x80;
        using Aes aes = Aes.Create();
        aes.Key = sEnc;
        return aes.EncryptCbc(padded, Complement(macForIv), PaddingMode.None);
    }

    public static byte[]? DecryptData(byte[] sEnc, byte[] macForIv, ReadOnlySpan<byte> cipher)
    {
        if (cipher.Length == 0 || cipher.Length % 16 != 0)
        {
            return null;
        }

        using Aes aes = Aes.Create();
        aes.Key = sEnc;
        byte[] padded = aes.DecryptCbc(cipher.ToArray(), Complement(macForIv), PaddingMode.None);
        int end = padded.Length - 1;
        while (end > 0 && padded[end] == 0)
        {
            end--;
        }

        return padded[end] == 0x80 ? padded.AsSpan(0, end).ToArray() : null;
    }

    /// <summary>A plain packet (no security block) with its check bytes.</summary>
    public static byte[] Packet(int addressByte, int sequence, bool crc, byte code, params byte[] data)
    {
        return Packet(addressByte, sequence, crc, null, code, data);
    }

    public static byte[] Packet(int addressByte, int sequence, bool crc, byte[]? securityBlock, byte code, byte[] data)
    {
        int blockLength = securityBlock?.Length ?? 0;
        int length = 5 + blockLength + 1 + data.Length + (crc ? 2 : 1);
        byte[] packet = new byte[length];
        packet[0] = 0x53;
        packet[1] = (byte)addressByte;
        packet[2] = (byte)length;
        packet[3] = (byte)(length >> 8);
        packet[4] = (byte)((sequence & 3) | (crc ? 4 : 0) | (securityBlock != null ? 8 : 0));
        securityBlock?.CopyTo(packet, 5);
        packet[5 + blockLength] = code;
        data.CopyTo(packet, 6 + blockLength);
        Seal(packet);
        return packet;
    }

    /// <summary>Rewrites the check bytes of a packet (after a test changed it on purpose).</summary>
    public static void Seal(byte[] packet)
    {
        bool crc = (packet[4] & 4) != 0;
        if (crc)
        {
            ushort value = Crc(packet.AsSpan(0, packet.Length - 2));
            packet[^2] = (byte)value;
            packet[^1] = (byte)(value >> 8);
        }
        else
        {
            packet[^1] = Checksum(packet.AsSpan(0, packet.Length - 1));
        }
    }

    private static ushort[] BuildCrcTable()
    {
        ushort[] table = new ushort[256];
        for (int i = 0; i < 256; i++)
        {
            ushort value = (ushort)(i << 8);
            for (int bit = 0; bit < 8; bit++)
            {
                value = (value & 0x8000) != 0 ? (ushort)((value << 1) ^ 0x1021) : (ushort)(value << 1);
            }

            table[i] = value;
        }

        return table;
    }
}
