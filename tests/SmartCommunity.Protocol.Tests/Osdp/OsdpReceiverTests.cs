namespace SmartCommunity.Protocol.Tests.Osdp;

using System.Collections.Generic;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using SmartCommunity.Protocol.Osdp;
using SmartCommunity.Protocol.Tests.Crypto;

[TestClass]
public sealed class OsdpReceiverTests
{
    [TestMethod]
    public void Push_PacketAfterMarkByteAndNoise_GivesThePacket()
    {
        OsdpReceiver receiver = new OsdpReceiver(OsdpCodec.MaxPacketLength);

        List<string> packets = PushAll(receiver, "FF00FFFF" + "53E508000440D296");

        Assert.HasCount(1, packets);
        Assert.AreEqual("53E508000440D296", packets[0]);
        Assert.AreEqual(4L, receiver.SkippedBytes);
    }

    [TestMethod]
    public void Push_TwoPacketsBackToBack_GivesBoth()
    {
        OsdpReceiver receiver = new OsdpReceiver(OsdpCodec.MaxPacketLength);

        List<string> packets = PushAll(receiver, "5365080004606090" + "53650900046100D97A");

        Assert.HasCount(2, packets);
        Assert.AreEqual("5365080004606090", packets[0]);
        Assert.AreEqual("53650900046100D97A", packets[1]);
    }

    [TestMethod]
    public void Push_ImpossibleLengthField_DropsThatStartAndFindsTheNextPacket()
    {
        OsdpReceiver receiver = new OsdpReceiver(OsdpCodec.MaxPacketLength);

        // 53 53 65 08: length 0x0865 is too long, so the first 53 was noise.
        List<string> packets = PushAll(receiver, "53" + "5365080004606090");

        Assert.HasCount(1, packets);
        Assert.AreEqual("5365080004606090", packets[0]);
        Assert.AreEqual(1L, receiver.BadLengths);
    }

    [TestMethod]
    public void Push_LengthBelowMinimum_CountsBadLength()
    {
        OsdpReceiver receiver = new OsdpReceiver(OsdpCodec.MaxPacketLength);

        List<string> packets = PushAll(receiver, "53650300");

        Assert.IsEmpty(packets);
        Assert.AreEqual(1L, receiver.BadLengths);
        Assert.AreEqual(0, receiver.Length);
    }

    [TestMethod]
    public void Push_BytesAfterAWholePacketBeforeClear_AreDropped()
    {
        OsdpReceiver receiver = new OsdpReceiver(OsdpCodec.MaxPacketLength);
        byte[] bytes = Hex.Bytes("5365080004606090");
        foreach (byte b in bytes)
        {
            receiver.Push(b);
        }

        Assert.IsTrue(receiver.Push(0x53));
        Assert.AreEqual(8, receiver.Length);
        Assert.AreEqual(1L, receiver.SkippedBytes);
    }

    private static List<string> PushAll(OsdpReceiver receiver, string hex)
    {
        List<string> packets = new List<string>();
        foreach (byte b in Hex.Bytes(hex))
        {
            if (receiver.Push(b))
            {
                packets.Add(Hex.Of(receiver.Buffer, 0, receiver.Length));
                receiver.Clear();
            }
        }

        return packets;
    }
}
