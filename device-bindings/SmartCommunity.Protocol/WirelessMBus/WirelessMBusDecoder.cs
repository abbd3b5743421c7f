namespace SmartCommunity.Protocol.WirelessMBus;

using System;
using SmartCommunity.Protocol.Crypto;

/// <summary>
/// Decodes wireless M-Bus telegrams as a radio receiver hands them over: link layer (CRCs, L-field, DLL header),
/// transport layer (CI 0x72 / 0x7A / 0x78, after an optional CI 0x8C extended link layer) and OMS security mode 5.
/// The data records themselves are left to the M-Bus record parser (EN 13757-3). Nothing about the telegram makes
/// it throw: every outcome is a <see cref="WirelessMBusResult"/> with a reason, counted per result.
/// Behaviour: hardware-docs/wireless-mbus.md.
/// </summary>
public sealed class WirelessMBusDecoder
{
    private const int MaxEncryptedLength = WirelessMBusCodes.ConfigurationBlocksMask * Aes128.BlockSize;
    private const int ShortHeaderSize = 4;
    private const int LongHeaderSize = 12;
    private const int EllShortSize = 2;

    private readonly WirelessMBusKeyTable _keys;
    private readonly Aes128 _aes = new Aes128();
    private readonly byte[] _key = new byte[Aes128.KeySize];
    private readonly byte[] _iv = new byte[Aes128.BlockSize];
    private readonly byte[] _plain = new byte[MaxEncryptedLength];
    private readonly int[] _counts = new int[(int)WirelessMBusResult.MalformedHeader + 1];

    /// <param name="keys">The meters' keys; null when this receiver holds none (every mode-5 telegram is then <see cref="WirelessMBusResult.Encrypted"/>).</param>
    public WirelessMBusDecoder(WirelessMBusKeyTable keys)
    {
        _keys = keys;
    }

    /// <summary>How many telegrams ended in <paramref name="result"/> since this decoder was made.</summary>
    public int Count(WirelessMBusResult result) => _counts[(int)result];

    /// <summary>Decodes into a new telegram; for the edge and tools, where one allocation per telegram is fine.</summary>
    public WirelessMBusTelegram Decode(byte[] frame, WirelessMBusFrameFormat format)
    {
        WirelessMBusTelegram telegram = new WirelessMBusTelegram();
        Decode(frame, 0, frame == null ? 0 : frame.Length, format, telegram);
        return telegram;
    }

    /// <summary>
    /// Decodes <paramref name="length"/> bytes from <paramref name="offset"/> (exactly one telegram, from its L-field
    /// through its last CRC) into <paramref name="telegram"/>. True when <see cref="WirelessMBusResult.Decoded"/>.
    /// </summary>
    public bool Decode(byte[] frame, int offset, int length, WirelessMBusFrameFormat format, WirelessMBusTelegram telegram)
    {
        if (telegram == null)
        {
            throw new ArgumentNullException(nameof(telegram));
        }

        telegram.Start(format);
        try
        {
            DecodeInto(frame, offset, length, format, telegram);
        }
        catch (Exception e)
        {
            // A decoder bug must not take the receiver down with it; the telegram is refused and the cause kept.
            telegram.SetFailed(WirelessMBusResult.MalformedHeader, "decoder fault: " + e.Message);
        }

        _counts[(int)telegram.Result]++;
        return telegram.IsDecoded;
    }

    private void DecodeInto(byte[] frame, int offset, int length, WirelessMBusFrameFormat format, WirelessMBusTelegram telegram)
    {
        if (frame == null || offset < 0 || length < 0 || offset + length > frame.Length)
        {
            telegram.SetFailed(WirelessMBusResult.LengthError, "no telegram: the byte range given lies outside the buffer");
            return;
        }

        if (length == 0)
        {
            telegram.SetFailed(WirelessMBusResult.LengthError, "empty telegram");
            return;
        }

        if (format != WirelessMBusFrameFormat.A && format != WirelessMBusFrameFormat.B && format != WirelessMBusFrameFormat.WithoutCrc)
        {
            telegram.SetFailed(WirelessMBusResult.LengthError, "unknown frame format " + ((int)format).ToString());
            return;
        }

        int lField = frame[offset];
        int dataLength = WirelessMBusLinkLayer.DataLength(format, lField);
        if (dataLength < 0)
        {
            telegram.SetFailed(
                WirelessMBusResult.LengthError,
                "L-field " + Hex2(lField) + " is impossible in format " + FormatName(format) + ": a telegram needs at least the 10-byte first block and a CI field");
            return;
        }

        int expected = WirelessMBusLinkLayer.FrameLength(format, dataLength);
        if (length != expected)
        {
            string kind = length < expected ? "truncated" : "oversized";
            string hint = length < expected
                ? "the radio lost the end of the telegram"
                : "cut off anything the receiver appends (RSSI, LQI) before decoding, or check the frame format";
            telegram.SetFailed(
                WirelessMBusResult.LengthError,
                kind + ": L-field " + Hex2(lField) + " announces " + expected.ToString() + " bytes in format " + FormatName(format) + ", received " + length.ToString() + "; " + hint);
            return;
        }

        byte[] data = telegram.Data;
        telegram.SetLength(lField, dataLength);
        int badBlock = WirelessMBusLinkLayer.RemoveCrcs(format, frame, offset, dataLength, data);
        if (badBlock != 0)
        {
            telegram.SetCrcError(badBlock, CrcReason(format, frame, offset, dataLength, badBlock));
            return;
        }

        telegram.SetLinkLayer(data[1], data[2] | (data[3] << 8), WirelessMBusAddress.ReadId(data, 4), data[8], data[9]);

        int at = WirelessMBusLinkLayer.FirstBlockSize;
        int ci = data[at++];
        if (ci == WirelessMBusCodes.CiExtendedLinkLayerShort)
        {
            if (at + EllShortSize >= dataLength)
            {
                telegram.SetCi(ci);
                telegram.SetFailed(WirelessMBusResult.MalformedHeader, "extended link layer (CI 0x8C) cut short: it needs 2 header bytes and then a CI field");
                return;
            }

            telegram.SetExtendedLinkLayer(data[at], data[at + 1]);
            at += EllShortSize;
            ci = data[at++];
        }

        telegram.SetCi(ci);
        int headerSize;
        switch (ci)
        {
            case WirelessMBusCodes.CiNoHeader:
                telegram.SetDecoded(at, dataLength - at);
                return;
            case WirelessMBusCodes.CiShortHeader:
                headerSize = ShortHeaderSize;
                break;
            case WirelessMBusCodes.CiLongHeader:
                headerSize = LongHeaderSize;
                break;
            case WirelessMBusCodes.CiExtendedLinkLayerEncrypted:
                telegram.SetFailed(WirelessMBusResult.UnsupportedCi, "CI 0x8D: the extended link layer with its own AES-CTR encryption is not supported");
                return;
            default:
                telegram.SetFailed(WirelessMBusResult.UnsupportedCi, "CI " + Hex2(ci) + " is not supported (only 0x72, 0x7A and 0x78, optionally after 0x8C)");
                return;
        }

        if (at + headerSize > dataLength)
        {
            telegram.SetFailed(
                WirelessMBusResult.MalformedHeader,
                "transport header of CI " + Hex2(ci) + " cut short: it needs " + headerSize.ToString() + " bytes, " + (dataLength - at).ToString() + " follow");
            return;
        }

        if (ci == WirelessMBusCodes.CiLongHeader)
        {
            telegram.SetLongAddress(data[at + 4] | (data[at + 5] << 8), WirelessMBusAddress.ReadId(data, at), data[at + 6], data[at + 7]);
            at += 8;
        }

        int configuration = data[at + 2] | (data[at + 3] << 8);
        telegram.SetTransport(ci == WirelessMBusCodes.CiLongHeader ? WirelessMBusTplHeader.Long : WirelessMBusTplHeader.Short, data[at], data[at + 1], configuration);
        at += ShortHeaderSize;

        int mode = telegram.SecurityMode;
        if (mode == WirelessMBusCodes.SecurityNone)
        {
            telegram.SetDecoded(at, dataLength - at);
        }
        else if (mode == WirelessMBusCodes.SecurityAesCbc)
        {
            Decrypt(telegram, at);
        }
        else
        {
            telegram.SetFailed(
                WirelessMBusResult.UnsupportedSecurityMode,
                "security mode " + mode.ToString() + " (configuration word 0x" + configuration.ToString("X4") + ") is not supported; only 0 (none) and 5 (AES-128-CBC)");
        }
    }

    // OMS Vol. 2 security mode 5: AES-128-CBC over the first N blocks after the header, IV = M ‖ A ‖ access number × 8.
    private void Decrypt(WirelessMBusTelegram telegram, int at)
    {
        byte[] data = telegram.Data;
        int blocks = telegram.EncryptedBlockCount;
        int configuration = telegram.ConfigurationWord;
        if (blocks == 0)
        {
            telegram.SetFailed(WirelessMBusResult.MalformedHeader, "security mode 5 with no encrypted blocks (configuration word 0x" + configuration.ToString("X4") + ")");
            return;
        }

        int encrypted = blocks * Aes128.BlockSize;
        if (at + encrypted > telegram.DataLength)
        {
            telegram.SetFailed(
                WirelessMBusResult.MalformedHeader,
                "configuration word 0x" + configuration.ToString("X4") + " announces " + blocks.ToString() + " encrypted blocks (" + encrypted.ToString() + " bytes), only "
                + (telegram.DataLength - at).ToString() + " bytes follow the header");
            return;
        }

        int manufacturer = telegram.MeterManufacturerCode;
        uint id = telegram.MeterId;
        if (_keys == null || !_keys.TryGetKey(manufacturer, id, _key, 0))
        {
            telegram.SetFailed(
                WirelessMBusResult.Encrypted,
                "encrypted (security mode 5) and no key for meter " + WirelessMBusAddress.ManufacturerText(manufacturer) + " " + WirelessMBusAddress.IdText(id) + "; add its key to the key table");
            return;
        }

        WirelessMBusCodes.WriteModeFiveIv(_iv, manufacturer, id, telegram.MeterVersion, telegram.MeterDeviceType, telegram.AccessNumber);
        Array.Copy(data, at, _plain, 0, encrypted);
        _aes.SetKey(_key, 0);
        _aes.DecryptCbc(_iv, 0, _plain, 0, encrypted);
        _aes.ClearKey();
        Array.Clear(_key, 0, _key.Length);

        bool verified = _plain[0] == WirelessMBusCodes.DecryptionCheckByte && _plain[1] == WirelessMBusCodes.DecryptionCheckByte;
        if (verified)
        {
            Array.Copy(_plain, 0, data, at, encrypted);
        }

        Array.Clear(_plain, 0, encrypted);
        if (!verified)
        {
            telegram.SetFailed(
                WirelessMBusResult.Undecryptable,
                "decrypted data does not start 2F 2F: the key held for meter " + WirelessMBusAddress.ManufacturerText(manufacturer) + " " + WirelessMBusAddress.IdText(id)
                + " is wrong, or the telegram was altered");
            return;
        }

        telegram.SetDecoded(at, telegram.DataLength - at);
    }

    private static string CrcReason(WirelessMBusFrameFormat format, byte[] frame, int offset, int dataLength, int block)
    {
        int start = WirelessMBusLinkLayer.BlockStart(format, block);
        int size;
        if (format == WirelessMBusFrameFormat.B)
        {
            size = block == 2 ? (dataLength < WirelessMBusLinkLayer.FormatBFirstSpan ? dataLength : WirelessMBusLinkLayer.FormatBFirstSpan) : dataLength - WirelessMBusLinkLayer.FormatBFirstSpan;
        }
        else if (block == 1)
        {
            size = WirelessMBusLinkLayer.FirstBlockSize;
        }
        else
        {
            int before = WirelessMBusLinkLayer.FirstBlockSize + ((block - 2) * WirelessMBusLinkLayer.FormatABlockSize);
            size = dataLength - before < WirelessMBusLinkLayer.FormatABlockSize ? dataLength - before : WirelessMBusLinkLayer.FormatABlockSize;
        }

        int received = (frame[offset + start + size] << 8) | frame[offset + start + size + 1];
        int computed = WirelessMBusCrc.Compute(frame, offset + start, size);
        return "CRC error in block " + block.ToString() + " (frame bytes " + start.ToString() + "-" + (start + size + 1).ToString() + "): received 0x"
            + received.ToString("X4") + ", computed 0x" + computed.ToString("X4");
    }

    private static string FormatName(WirelessMBusFrameFormat format)
    {
        switch (format)
        {
            case WirelessMBusFrameFormat.A:
                return "A";
            case WirelessMBusFrameFormat.B:
                return "B";
            default:
                return "without CRC";
        }
    }

    private static string Hex2(int value) => "0x" + value.ToString("X2");
}
