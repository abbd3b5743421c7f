namespace SmartCommunity.Protocol.Tests.WirelessMBus;

using System;
using System.Collections.Generic;
using System.Security.Cryptography;

/// <summary>
/// An encoder written apart from the production codec, so the decoder is not only checked against itself: the CRC
/// by polynomial long division over the message bits (no table, no shared code), AES-CBC by .NET's
/// System.Security.Cryptography, and the block layout from the EN 13757-4 description (hardware-docs/wireless-mbus.md §2).
/// </summary>
internal static class ReferenceWirelessMBus
{
    public const int AmbManufacturer = 0x05A2;

    /// <summary>CRC-16/EN-13757 as the remainder of message·x^16 divided by x^16 + 0x3D65, complemented.</summary>
    public static int Crc(IReadOnlyList<byte> message)
    {
        int remainder = 0;
        int bits = (message.Count * 8) + 16;
        for (int n = 0; n < bits; n++)
        {
            int bit = n < message.Count * 8 ? (message[n / 8] >> (7 - (n % 8))) & 1 : 0;
            remainder = (remainder << 1) | bit;
            if ((remainder & 0x10000) != 0)
            {
                remainder ^= 0x13D65;
            }
        }

        return remainder ^ 0xFFFF;
    }

    /// <summary>The DLL header after the L-field: C, M (little-endian), id (BCD, least significant byte first), version, type.</summary>
    public static List<byte> Dll(int control, int manufacturer, string id, int version, int deviceType)
    {
        var bytes = new List<byte> { (byte)control, (byte)manufacturer, (byte)(manufacturer >> 8) };
        bytes.AddRange(IdBytes(id));
        bytes.Add((byte)version);
        bytes.Add((byte)deviceType);
        return bytes;
    }

    public static byte[] IdBytes(string id)
    {
        byte[] bcd = Convert.FromHexString(id);
        Array.Reverse(bcd);
        return bcd;
    }

    public static byte[] Iv(int manufacturer, string id, int version, int deviceType, int accessNumber)
    {
        var iv = new List<byte> { (byte)manufacturer, (byte)(manufacturer >> 8) };
        iv.AddRange(IdBytes(id));
        iv.Add((byte)version);
        iv.Add((byte)deviceType);
        for (int i = 0; i < 8; i++)
        {
            iv.Add((byte)accessNumber);
        }

        return iv.ToArray();
    }

    public static byte[] EncryptCbc(byte[] key, byte[] iv, byte[] plain)
    {
        using Aes aes = Aes.Create();
        aes.Key = key;
        return aes.EncryptCbc(plain, iv, PaddingMode.None);
    }

    /// <summary>
    /// Puts an L-field before <paramref name="afterL"/> (C onwards, no CRCs) and the CRCs of <paramref name="format"/>
    /// ("A", "B" or "none") in: A counts only data in L and has a CRC after the first 10 bytes and every 16 after;
    /// B counts the CRCs in L and has one CRC after at most 126 bytes and one after the rest.
    /// </summary>
    public static byte[] Frame(IReadOnlyList<byte> afterL, string format)
    {
        var data = new List<byte> { 0 };
        data.AddRange(afterL);
        var chunks = new List<List<byte>>();
        if (format == "A")
        {
            chunks.Add(data.GetRange(0, 10));
            for (int start = 10; start < data.Count; start += 16)
            {
                chunks.Add(data.GetRange(start, Math.Min(16, data.Count - start)));
            }

            data[0] = (byte)(data.Count - 1);
        }
        else if (format == "B")
        {
            int first = Math.Min(126, data.Count);
            chunks.Add(data.GetRange(0, first));
            if (data.Count > first)
            {
                chunks.Add(data.GetRange(first, data.Count - first));
            }

            data[0] = (byte)(data.Count + (2 * chunks.Count) - 1);
        }
        else
        {
            data[0] = (byte)(data.Count - 1);
            return data.ToArray();
        }

        chunks[0][0] = data[0];
        var frame = new List<byte>();
        foreach (List<byte> chunk in chunks)
        {
            frame.AddRange(chunk);
            int crc = Crc(chunk);
            frame.Add((byte)(crc >> 8));
            frame.Add((byte)crc);
        }

        return frame.ToArray();
    }

    /// <summary>
    /// A meter telegram with a CI 0x7A short header; in mode 5 the application data (which must start 2F 2F and be whole
    /// blocks) is encrypted with the DLL address in the IV.
    /// </summary>
    public static byte[] ShortHeaderTelegram(
        string format, int manufacturer, string id, int version, int deviceType, int accessNumber, int configurationWord, byte[] application, byte[]? key)
    {
        List<byte> bytes = Dll(0x44, manufacturer, id, version, deviceType);
        bytes.AddRange(new byte[] { 0x7A, (byte)accessNumber, 0x00, (byte)configurationWord, (byte)(configurationWord >> 8) });
        bytes.AddRange(Sealed(manufacturer, id, version, deviceType, accessNumber, configurationWord, application, key));
        return Frame(bytes, format);
    }

    /// <summary>The application data, its first N blocks encrypted when the configuration word says mode 5.</summary>
    public static byte[] Sealed(int manufacturer, string id, int version, int deviceType, int accessNumber, int configurationWord, byte[] application, byte[]? key)
    {
        int mode = (configurationWord >> 8) & 0x1F;
        if (mode != 5 || key == null)
        {
            return application;
        }

        int encrypted = ((configurationWord >> 4) & 0x0F) * 16;
        byte[] iv = Iv(manufacturer, id, version, deviceType, accessNumber);
        byte[] cipher = EncryptCbc(key, iv, application[..encrypted]);
        var all = new List<byte>(cipher);
        all.AddRange(application[encrypted..]);
        return all.ToArray();
    }

    /// <summary>Configuration word for mode 5 with <paramref name="blocks"/> encrypted blocks (OMS: mode bits 8-12, count bits 4-7).</summary>
    public static int Mode5(int blocks) => (5 << 8) | (blocks << 4);

    /// <summary>Data records in the 2F 2F-led form mode 5 requires, padded with 2F fillers to whole 16-byte blocks.</summary>
    public static byte[] Records(int length, int seed)
    {
        var random = new Random(seed);
        var bytes = new List<byte> { 0x2F, 0x2F };
        for (int i = 0; i < length; i++)
        {
            bytes.Add((byte)random.Next(256));
        }

        while (bytes.Count % 16 != 0)
        {
            bytes.Add(0x2F);
        }

        return bytes.ToArray();
    }
}
