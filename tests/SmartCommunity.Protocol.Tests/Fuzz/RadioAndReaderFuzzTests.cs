namespace SmartCommunity.Protocol.Tests.Fuzz;

using System;
using System.Linq;
using CsCheck;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using SmartCommunity.Protocol.Osdp;
using SmartCommunity.Protocol.Wiegand;
using SmartCommunity.Protocol.WirelessMBus;
using SmartCommunity.Tests.Fuzz;

/// <summary>
/// Wireless M-Bus, Wiegand and OSDP decoders under bad input (hardware-docs/bad-input.md): every outcome is a
/// result with a reason, never an exception, and telegrams the encoder writes decode back to what was written.
/// </summary>
[TestClass]
public sealed class RadioAndReaderFuzzTests
{
    private const int Manufacturer = 0x0681; // "AMB"
    private static readonly byte[] Key = Convert.FromHexString("8899AABBCCDDEEFF0011223344556677");
    private static readonly WirelessMBusFrameFormat[] Formats = [WirelessMBusFrameFormat.A, WirelessMBusFrameFormat.B, WirelessMBusFrameFormat.WithoutCrc];

    [TestMethod]
    public void Decode_RandomAndMutatedTelegrams_ResultWithReasonAndNoDecoderFault()
    {
        byte[][] seeds = Formats.SelectMany(f => new[]
        {
            Encode(0x7A, 5, f, Convert.FromHexString("0C13785634120B3B000000")),
            Encode(0x72, 0, f, Convert.FromHexString("0406A1B2C3D4")),
            Encode(0x78, 0, f, Enumerable.Range(0, 140).Select(i => (byte)i).ToArray()),
        }).ToArray();
        var keys = new WirelessMBusKeyTable(1);
        keys.Set(Manufacturer, 0x12345678, Key, 0);

        Gen.Select(Gen.Frequency((1, FuzzInputs.RandomBytes(300)), (4, FuzzInputs.Mutated(seeds))), Gen.Int[0, 2]).Sample(
            (frame, format) =>
            {
                WirelessMBusTelegram telegram = new WirelessMBusDecoder(keys).Decode(frame, Formats[format]);

                Assert.IsTrue(Enum.IsDefined(telegram.Result));
                // The decoder catches its own exceptions as "decoder fault"; for the fuzzer that is still a bug.
                Assert.IsFalse(telegram.Reason?.StartsWith("decoder fault", StringComparison.Ordinal) ?? false, telegram.Reason);
                Assert.AreEqual(telegram.IsDecoded, telegram.Reason is null, telegram.Reason ?? "decoded without data");
                if (!telegram.IsDecoded)
                {
                    Assert.AreEqual(0, telegram.PayloadLength, "refused telegrams expose no application data");
                }
            },
            iter: FuzzInputs.Iterations(20_000),
            print: t => Formats[t.Item2] + " " + FuzzInputs.Hex(t.Item1));
    }

    [TestMethod]
    public void Decode_EncodedTelegram_GivesBackAddressAndApplicationData()
    {
        var gen = Gen.Select(Gen.OneOf(0x7A, 0x72, 0x78), Gen.Bool, Gen.Int[0, 2], Gen.UInt, Gen.Byte.Array[0, 100], Gen.Byte);
        gen.Sample(
            (ci, encrypt, format, id, data, access) =>
            {
                bool mode5 = encrypt && ci != 0x78;
                var header = new WirelessMBusHeader
                {
                    ManufacturerCode = Manufacturer, Id = id, DeviceType = 7, Ci = ci, AccessNumber = access, SecurityMode = mode5 ? 5 : 0,
                    LongManufacturerCode = Manufacturer, LongId = id, LongDeviceType = 7,
                };
                byte[] frame = new WirelessMBusEncoder().Encode(header, data, Formats[format], mode5 ? Key : null!);
                var keys = new WirelessMBusKeyTable(1);
                keys.Set(Manufacturer, id, Key, 0);

                WirelessMBusTelegram telegram = new WirelessMBusDecoder(keys).Decode(frame, Formats[format]);

                Assert.AreEqual(WirelessMBusResult.Decoded, telegram.Result, telegram.Reason);
                Assert.AreEqual((Manufacturer, id), (telegram.MeterManufacturerCode, telegram.MeterId));
                byte[] payload = telegram.CopyPayload();
                if (mode5)
                {
                    // 2F 2F, the data, then 2F fillers to whole AES blocks (OMS mode 5).
                    Assert.AreEqual(0, payload.Length % 16);
                    CollectionAssert.AreEqual(new byte[] { 0x2F, 0x2F }.Concat(data).ToArray(), payload.Take(data.Length + 2).ToArray());
                    Assert.IsTrue(payload.Skip(data.Length + 2).All(b => b == 0x2F));
                }
                else
                {
                    CollectionAssert.AreEqual(data, payload);
                }
            },
            iter: FuzzInputs.Iterations(3_000));
    }

    [TestMethod]
    public void Decode_AnyWiegandBits_ValidOnlyWithTheRightLengthAndParity()
    {
        Gen.Select(Gen.Long, Gen.Frequency((1, Gen.Int), (4, Gen.Int[-2, 70]))).Sample(
            (bits, count) =>
            {
                var frame = new WiegandFrame();
                WiegandRejection rejection = WiegandDecoder.Decode(bits, count, 1000, frame);

                Assert.IsTrue(Enum.IsDefined(rejection));
                if (rejection == WiegandRejection.None)
                {
                    Assert.IsTrue(count is (int)WiegandFormat.H10301 or (int)WiegandFormat.H10306, count.ToString());
                    long written = count == 26 ? WiegandEncoder.Encode26(frame.FacilityCode, frame.CardNumber) : WiegandEncoder.Encode34(frame.FacilityCode, frame.CardNumber);
                    Assert.AreEqual(bits & ((1L << count) - 1), written, "a valid frame is exactly what the encoder writes for its fields");
                }
            },
            iter: FuzzInputs.Iterations(20_000));
    }

    [TestMethod]
    public void Decode_RandomAndMutatedOsdpPackets_NeverThrows()
    {
        // Mutated packets get their check bytes recomputed half the time, so the fuzzer gets past the CRC.
        byte[][] seeds = [Convert.FromHexString("5365080004606090"), Convert.FromHexString("537F0D00046E00802500006E38"), Convert.FromHexString("53E50E00047D0001FF00AA8E2A")];
        Gen.Select(Gen.Frequency((1, FuzzInputs.RandomBytes(200)), (4, FuzzInputs.Mutated(seeds))), Gen.Bool).Sample(
            (packet, fixCheck) =>
            {
                if (fixCheck && packet.Length >= OsdpCodec.MinPacketLength)
                {
                    packet[2] = (byte)packet.Length;
                    packet[3] = (byte)(packet.Length >> 8);
                    int crc = OsdpCheck.Crc16(packet, 0, packet.Length - 2);
                    packet[^2] = (byte)crc;
                    packet[^1] = (byte)(crc >> 8);
                }

                var message = new OsdpMessage();
                OsdpRejection rejection = new OsdpCodec().Decode(packet, 0, packet.Length, message);
                Assert.IsTrue(Enum.IsDefined(rejection));
                if (rejection == OsdpRejection.None)
                {
                    // Up to one AES block more than MaxDataLength: encrypted data arrives padded (OsdpMessage).
                    Assert.IsTrue(message.DataLength >= 0 && message.DataLength <= message.Data.Length);
                    new OsdpCardRead().Load(message.Data, 0, message.DataLength, 0);
                }

                var receiver = new OsdpReceiver(OsdpCodec.MaxPacketLength);
                foreach (byte b in packet)
                {
                    if (receiver.Push(b))
                    {
                        Assert.IsTrue(receiver.Length is >= 4 and <= OsdpCodec.MaxPacketLength);
                        receiver.Clear();
                    }
                }
            },
            iter: FuzzInputs.Iterations(20_000),
            print: t => FuzzInputs.Hex(t.Item1));
    }

    [TestMethod]
    public void Load_AnyCardData_NeverThrows()
    {
        FuzzInputs.RandomBytes(140).Sample(
            data =>
            {
                var card = new OsdpCardRead();
                OsdpRejection rejection = card.Load(data, 0, data.Length, 5);
                if (rejection == OsdpRejection.None)
                {
                    Assert.IsTrue(card.BitCount is > 0 and <= OsdpCardRead.MaxBits);
                    card.WriteDecimal(new byte[32], 0);
                }
            },
            iter: FuzzInputs.Iterations(10_000),
            print: FuzzInputs.Hex);
    }

    private static byte[] Encode(int ci, int security, WirelessMBusFrameFormat format, byte[] data) =>
        new WirelessMBusEncoder().Encode(
            new WirelessMBusHeader
            {
                ManufacturerCode = Manufacturer, Id = 0x12345678, DeviceType = 7, Ci = ci, SecurityMode = security,
                LongManufacturerCode = Manufacturer, LongId = 0x12345678, LongDeviceType = 7,
            },
            data,
            format,
            security == 5 ? Key : null!);
}
