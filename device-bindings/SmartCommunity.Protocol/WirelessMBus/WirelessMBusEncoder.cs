namespace SmartCommunity.Protocol.WirelessMBus;

using System;
using SmartCommunity.Protocol.Crypto;

/// <summary>
/// Builds wireless M-Bus telegrams in format A, B or without CRCs, optionally encrypted with OMS security mode 5,
/// for tests and the simulator's virtual meters (hardware-docs/wireless-mbus.md §7). A bad request is a programming
/// error here, so it throws; the decoder is the side that must take anything.
/// </summary>
public sealed class WirelessMBusEncoder
{
    private readonly Aes128 _aes = new Aes128();
    private readonly byte[] _iv = new byte[Aes128.BlockSize];
    private readonly byte[] _data = new byte[WirelessMBusLinkLayer.MaxDataLength];

    /// <summary>
    /// Returns the telegram as sent on air. In mode 5 the encoder puts the 2F 2F check bytes before
    /// <paramref name="applicationData"/>, pads with 2F idle fillers to whole 16-byte blocks and encrypts them all
    /// with <paramref name="key"/> (16 bytes; ignored in mode 0).
    /// </summary>
    public byte[] Encode(WirelessMBusHeader header, byte[] applicationData, WirelessMBusFrameFormat format, byte[] key)
    {
        if (header == null)
        {
            throw new ArgumentNullException(nameof(header));
        }

        int applicationLength = applicationData == null ? 0 : applicationData.Length;
        bool encrypt = header.SecurityMode == WirelessMBusCodes.SecurityAesCbc;
        if (header.SecurityMode != WirelessMBusCodes.SecurityNone && !encrypt)
        {
            throw new ArgumentException("the encoder writes security modes 0 and 5 only");
        }

        if (encrypt && (key == null || key.Length != Aes128.KeySize))
        {
            throw new ArgumentException("security mode 5 needs a 16-byte key");
        }

        int ci = header.Ci;
        if (ci != WirelessMBusCodes.CiShortHeader && ci != WirelessMBusCodes.CiLongHeader && ci != WirelessMBusCodes.CiNoHeader)
        {
            throw new ArgumentException("CI must be 0x72, 0x7A or 0x78");
        }

        if (encrypt && ci == WirelessMBusCodes.CiNoHeader)
        {
            throw new ArgumentException("CI 0x78 has no configuration word, so it cannot announce encryption");
        }

        byte[] data = _data;
        Array.Clear(data, 0, data.Length);
        int at = 1;
        data[at++] = (byte)header.Control;
        data[at++] = (byte)header.ManufacturerCode;
        data[at++] = (byte)(header.ManufacturerCode >> 8);
        WirelessMBusAddress.WriteId(header.Id, data, at);
        at += 4;
        data[at++] = (byte)header.Version;
        data[at++] = (byte)header.DeviceType;
        if (header.UseExtendedLinkLayer)
        {
            data[at++] = WirelessMBusCodes.CiExtendedLinkLayerShort;
            data[at++] = (byte)header.EllControl;
            data[at++] = (byte)header.EllAccessNumber;
        }

        data[at++] = (byte)ci;
        int manufacturer = header.ManufacturerCode;
        uint id = header.Id;
        int version = header.Version;
        int deviceType = header.DeviceType;
        if (ci == WirelessMBusCodes.CiLongHeader)
        {
            manufacturer = header.LongManufacturerCode;
            id = header.LongId;
            version = header.LongVersion;
            deviceType = header.LongDeviceType;
            WirelessMBusAddress.WriteId(id, data, at);
            data[at + 4] = (byte)manufacturer;
            data[at + 5] = (byte)(manufacturer >> 8);
            data[at + 6] = (byte)version;
            data[at + 7] = (byte)deviceType;
            at += 8;
        }

        int encryptedLength = 0;
        if (ci != WirelessMBusCodes.CiNoHeader)
        {
            int blocks = 0;
            if (encrypt)
            {
                blocks = (applicationLength + 2 + Aes128.BlockSize - 1) / Aes128.BlockSize;
                if (blocks > WirelessMBusCodes.ConfigurationBlocksMask)
                {
                    throw new ArgumentException("mode 5 encrypts at most 15 blocks (238 bytes of application data)");
                }

                encryptedLength = blocks * Aes128.BlockSize;
            }

            int configuration = header.ConfigurationFlags
                & ~(WirelessMBusCodes.ConfigurationModeMask << WirelessMBusCodes.ConfigurationModeShift)
                & ~(WirelessMBusCodes.ConfigurationBlocksMask << WirelessMBusCodes.ConfigurationBlocksShift);
            configuration |= (header.SecurityMode << WirelessMBusCodes.ConfigurationModeShift) | (blocks << WirelessMBusCodes.ConfigurationBlocksShift);
            data[at++] = (byte)header.AccessNumber;
            data[at++] = (byte)header.Status;
            data[at++] = (byte)configuration;
            data[at++] = (byte)(configuration >> 8);
        }

        int payloadLength = encrypt ? encryptedLength : applicationLength;
        int dataLength = at + payloadLength;
        int maxData = format == WirelessMBusFrameFormat.B ? WirelessMBusLinkLayer.MaxFormatBDataLength : WirelessMBusLinkLayer.MaxDataLength;
        if (dataLength > maxData)
        {
            throw new ArgumentException("telegram too long for a one-byte L-field");
        }

        int payloadStart = at;
        if (encrypt)
        {
            data[at++] = WirelessMBusCodes.DecryptionCheckByte;
            data[at++] = WirelessMBusCodes.DecryptionCheckByte;
        }

        if (applicationLength > 0)
        {
            Array.Copy(applicationData, 0, data, at, applicationLength);
            at += applicationLength;
        }

        while (at < dataLength)
        {
            data[at++] = WirelessMBusCodes.DecryptionCheckByte;
        }

        if (encrypt)
        {
            WirelessMBusCodes.WriteModeFiveIv(_iv, manufacturer, id, version, deviceType, header.AccessNumber);
            _aes.SetKey(key, 0);
            _aes.EncryptCbc(_iv, 0, data, payloadStart, encryptedLength);
            _aes.ClearKey();
        }

        data[0] = (byte)WirelessMBusLinkLayer.LField(format, dataLength);
        byte[] frame = new byte[WirelessMBusLinkLayer.FrameLength(format, dataLength)];
        WirelessMBusLinkLayer.InsertCrcs(format, data, dataLength, frame, 0);
        return frame;
    }
}
