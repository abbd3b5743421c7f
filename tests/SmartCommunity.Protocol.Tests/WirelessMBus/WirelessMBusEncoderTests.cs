namespace SmartCommunity.Protocol.Tests.WirelessMBus;

using System;
using System.Collections.Generic;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using SmartCommunity.Protocol.Tests.Crypto;
using SmartCommunity.Protocol.WirelessMBus;

[TestClass]
public sealed class WirelessMBusEncoderTests
{
    private const int Amb = ReferenceWirelessMBus.AmbManufacturer;
    private static readonly byte[] Key = Hex.Bytes("8899AABBCCDDEEFF0011223344556677");

    [TestMethod]
    public void Encode_AmberManualExample_ReproducesPublishedTelegram()
    {
        // Amber AMB8426-M manual v2.4 §10.2: the module's mode-5 telegram for meter AMB 12345678 with key 00..0F.
        var header = new WirelessMBusHeader { ManufacturerCode = Amb, Id = 0x12345678, Version = 0, DeviceType = 0x03, AccessNumber = 0x35, SecurityMode = 5 };
        byte[] records = Hex.Bytes("007C085453455420434E45");

        byte[] frame = new WirelessMBusEncoder().Encode(header, records, WirelessMBusFrameFormat.WithoutCrc, Hex.Bytes("000102030405060708090A0B0C0D0E0F"));

        Assert.AreEqual("1E44A2057856341200037A350010051E34C77CFE6C59B154B663297FE6C3F7", Hex.Of(frame));
    }

    [TestMethod]
    [DataRow(WirelessMBusFrameFormat.A, "A", 5)]
    [DataRow(WirelessMBusFrameFormat.A, "A", 100)]
    [DataRow(WirelessMBusFrameFormat.B, "B", 5)]
    [DataRow(WirelessMBusFrameFormat.B, "B", 150)]
    [DataRow(WirelessMBusFrameFormat.WithoutCrc, "none", 30)]
    public void Encode_Mode5_MatchesIndependentEncoderByteForByte(WirelessMBusFrameFormat format, string referenceFormat, int recordBytes)
    {
        byte[] records = new byte[recordBytes];
        new Random(recordBytes).NextBytes(records);
        var header = new WirelessMBusHeader { ManufacturerCode = Amb, Id = 0x00112233, Version = 0x50, DeviceType = 0x07, AccessNumber = 0xE1, Status = 0x00, SecurityMode = 5 };

        byte[] frame = new WirelessMBusEncoder().Encode(header, records, format, Key);

        byte[] padded = Padded(records);
        byte[] expected = ReferenceWirelessMBus.ShortHeaderTelegram(referenceFormat, Amb, "00112233", 0x50, 0x07, 0xE1, ReferenceWirelessMBus.Mode5(padded.Length / 16), padded, Key);
        Assert.AreEqual(Hex.Of(expected), Hex.Of(frame));
    }

    [TestMethod]
    public void Encode_LongHeaderWithEll_DecodesBackToTheSameFields()
    {
        var header = new WirelessMBusHeader
        {
            Control = WirelessMBusCodes.SendInstallationRequest,
            ManufacturerCode = 0x4024,
            Id = 0x99990000,
            Version = 1,
            DeviceType = 0x31,
            UseExtendedLinkLayer = true,
            EllControl = 0x20,
            EllAccessNumber = 0x11,
            Ci = WirelessMBusCodes.CiLongHeader,
            LongManufacturerCode = Amb,
            LongId = 0x12345678,
            LongVersion = 2,
            LongDeviceType = 0x04,
            AccessNumber = 0x11,
            Status = 0x04,
            ConfigurationFlags = 0x8000,
            SecurityMode = 5,
        };
        byte[] records = Hex.Bytes("0406A1B2C3D4");
        byte[] frame = new WirelessMBusEncoder().Encode(header, records, WirelessMBusFrameFormat.B, Key);
        var keys = new WirelessMBusKeyTable(1);
        keys.Set(Amb, 0x12345678, Key, 0);

        WirelessMBusTelegram telegram = new WirelessMBusDecoder(keys).Decode(frame, WirelessMBusFrameFormat.B);

        Assert.AreEqual(WirelessMBusResult.Decoded, telegram.Result, telegram.Reason);
        Assert.AreEqual(0x46, telegram.Control);
        Assert.AreEqual(0x20, telegram.EllControl);
        Assert.AreEqual(0x12345678u, telegram.MeterId);
        Assert.AreEqual(0x04, telegram.Status);
        Assert.AreEqual(0x8000, telegram.ConfigurationWord & 0x8000, "flag bits kept");
        Assert.AreEqual("2F2F0406A1B2C3D42F2F2F2F2F2F2F2F", Hex.Of(telegram.CopyPayload()));
    }

    [TestMethod]
    public void Encode_Unencrypted_MatchesIndependentEncoder()
    {
        byte[] records = Hex.Bytes("0C13785634120B3B000000");
        var header = new WirelessMBusHeader { ManufacturerCode = Amb, Id = 0x12345678, DeviceType = 0x07, AccessNumber = 3 };

        byte[] frame = new WirelessMBusEncoder().Encode(header, records, WirelessMBusFrameFormat.A, null);

        Assert.AreEqual(Hex.Of(ReferenceWirelessMBus.ShortHeaderTelegram("A", Amb, "12345678", 0, 0x07, 3, 0, records, null)), Hex.Of(frame));
    }

    [TestMethod]
    public void Encode_BadRequests_Throw()
    {
        var encoder = new WirelessMBusEncoder();

        Assert.ThrowsExactly<ArgumentException>(() => encoder.Encode(new WirelessMBusHeader { SecurityMode = 5 }, new byte[4], WirelessMBusFrameFormat.A, null));
        Assert.ThrowsExactly<ArgumentException>(() => encoder.Encode(new WirelessMBusHeader { SecurityMode = 7 }, new byte[4], WirelessMBusFrameFormat.A, Key));
        Assert.ThrowsExactly<ArgumentException>(() => encoder.Encode(new WirelessMBusHeader { SecurityMode = 5, Ci = 0x78 }, new byte[4], WirelessMBusFrameFormat.A, Key));
        Assert.ThrowsExactly<ArgumentException>(() => encoder.Encode(new WirelessMBusHeader(), new byte[250], WirelessMBusFrameFormat.B, null));
    }

    private static byte[] Padded(byte[] records)
    {
        var bytes = new List<byte> { 0x2F, 0x2F };
        bytes.AddRange(records);
        while (bytes.Count % 16 != 0)
        {
            bytes.Add(0x2F);
        }

        return bytes.ToArray();
    }
}
