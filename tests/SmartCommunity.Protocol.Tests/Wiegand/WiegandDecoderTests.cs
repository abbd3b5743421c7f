namespace SmartCommunity.Protocol.Tests.Wiegand;

using Microsoft.VisualStudio.TestTools.UnitTesting;
using SmartCommunity.Protocol.Wiegand;

[TestClass]
public sealed class WiegandDecoderTests
{
    // shared/notes/domain.md §A2 (jessety/wiegand-encoder README and a local check).
    private const string Fc90Cn324 = "00101101000000001010001000";
    private const string Fc68Cn41551 = "00100010010100010010011111";

    [TestMethod]
    [DataRow(Fc90Cn324, 90, 324, 5898564L)]
    [DataRow(Fc68Cn41551, 68, 41551, 4497999L)]
    public void Decode_Published26BitVector_ReturnsFacilityCardAndCredential(string vector, int facility, int card, long credential)
    {
        WiegandFrame frame = new WiegandFrame();

        WiegandRejection rejection = WiegandDecoder.Decode(ReferenceWiegand.ToBits(vector), vector.Length, 1234, frame);

        Assert.AreEqual(WiegandRejection.None, rejection);
        Assert.IsTrue(frame.IsValid);
        Assert.AreEqual(WiegandFormat.H10301, frame.Format);
        Assert.AreEqual(26, frame.BitCount);
        Assert.AreEqual(facility, frame.FacilityCode);
        Assert.AreEqual(card, frame.CardNumber);
        Assert.AreEqual(credential, frame.Credential);
        Assert.AreEqual((long)facility * 65536 + card, frame.Credential);
        Assert.IsTrue(frame.TextEquals(credential.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        Assert.AreEqual(1234L, frame.EndedAtMs);
    }

    [TestMethod]
    [DataRow(Fc90Cn324)]
    [DataRow(Fc68Cn41551)]
    public void Decode_ReferenceEncoder_ReproducesPublishedVectors(string vector)
    {
        // Cross-check of the test's own encoder before it is trusted for the 34-bit cases.
        WiegandFrame frame = new WiegandFrame();
        WiegandDecoder.Decode(ReferenceWiegand.ToBits(vector), vector.Length, 0, frame);

        Assert.AreEqual(vector, ReferenceWiegand.Frame26(frame.FacilityCode, frame.CardNumber));
    }

    [TestMethod]
    [DataRow(Fc90Cn324)]
    [DataRow(Fc68Cn41551)]
    public void Decode_26BitVectorWithAnyOneBitFlipped_RejectsForParity(string vector)
    {
        // Every data bit is covered by one of the two parity bits, so each single error must be caught.
        WiegandFrame frame = new WiegandFrame();
        for (int i = 0; i < vector.Length; i++)
        {
            string flipped = ReferenceWiegand.Flip(vector, i);

            WiegandRejection rejection = WiegandDecoder.Decode(ReferenceWiegand.ToBits(flipped), flipped.Length, 0, frame);

            Assert.AreEqual(WiegandRejection.Parity, rejection, "bit " + (i + 1) + " flipped");
            Assert.IsFalse(frame.IsValid);
            Assert.AreEqual(0L, frame.Credential);
            Assert.AreEqual(0, frame.TextLength);
            Assert.AreEqual(WiegandFormat.None, frame.Format);
        }
    }

    [TestMethod]
    public void Decode_BothParityBitsFlipped_RejectsForParity()
    {
        string flipped = ReferenceWiegand.Flip(ReferenceWiegand.Flip(Fc90Cn324, 0), 25);

        Assert.AreEqual(WiegandRejection.Parity, Decode(flipped));
    }

    [TestMethod]
    [DataRow(0, 0)]
    [DataRow(1, 1)]
    [DataRow(65535, 65535)]
    [DataRow(0, 65535)]
    [DataRow(65535, 0)]
    [DataRow(4660, 43981)]
    [DataRow(32768, 1)]
    [DataRow(12345, 54321)]
    public void Decode_34BitFrameFromReferenceEncoder_ReturnsFacilityCardAndCredential(int facility, int card)
    {
        string vector = ReferenceWiegand.Frame34(facility, card);
        WiegandFrame frame = new WiegandFrame();

        WiegandRejection rejection = WiegandDecoder.Decode(ReferenceWiegand.ToBits(vector), 34, 0, frame);

        Assert.AreEqual(WiegandRejection.None, rejection, vector);
        Assert.AreEqual(WiegandFormat.H10306, frame.Format);
        Assert.AreEqual(facility, frame.FacilityCode);
        Assert.AreEqual(card, frame.CardNumber);
        long credential = (long)facility * 65536 + card;
        Assert.AreEqual(credential, frame.Credential);
        Assert.IsTrue(frame.TextEquals(credential.ToString(System.Globalization.CultureInfo.InvariantCulture)));
    }

    [TestMethod]
    public void Decode_34BitFrameWithAnyOneBitFlipped_RejectsForParity()
    {
        string vector = ReferenceWiegand.Frame34(4660, 43981);
        for (int i = 0; i < vector.Length; i++)
        {
            Assert.AreEqual(WiegandRejection.Parity, Decode(ReferenceWiegand.Flip(vector, i)), "bit " + (i + 1) + " flipped");
        }
    }

    [TestMethod]
    [DataRow(Fc90Cn324 + "0")]
    [DataRow(Fc90Cn324 + "1")]
    [DataRow("0010110100000000101000100")]
    [DataRow("0")]
    [DataRow("0100101101000000001010001000")]
    [DataRow("000000000000000000000000000000000")]
    [DataRow("00000000000000000000000000000000001")]
    [DataRow("0000000000000000000000000000000000001")]
    public void Decode_LengthOtherThan26Or34_RejectsForLength(string bits)
    {
        Assert.AreEqual(WiegandRejection.Length, Decode(bits));
    }

    [TestMethod]
    public void Decode_ZeroOr64Bits_RejectsForLength()
    {
        WiegandFrame frame = new WiegandFrame();

        Assert.AreEqual(WiegandRejection.Length, WiegandDecoder.Decode(0, 0, 0, frame));
        Assert.AreEqual(WiegandRejection.Length, WiegandDecoder.Decode(-1, 64, 0, frame));
        Assert.AreEqual(64, frame.BitCount);
        Assert.AreEqual(-1L, frame.Bits);
    }

    [TestMethod]
    public void Decode_BitsAboveBitCount_AreIgnored()
    {
        long bits = ReferenceWiegand.ToBits(Fc90Cn324) | (0x3FL << 26);
        WiegandFrame frame = new WiegandFrame();

        Assert.AreEqual(WiegandRejection.None, WiegandDecoder.Decode(bits, 26, 0, frame));
        Assert.AreEqual(ReferenceWiegand.ToBits(Fc90Cn324), frame.Bits);
        Assert.AreEqual(324, frame.CardNumber);
    }

    [TestMethod]
    public void Decode_ValidFrameAfterRejectedOne_OverwritesEveryField()
    {
        WiegandFrame frame = new WiegandFrame();
        WiegandDecoder.Decode(ReferenceWiegand.ToBits(Fc68Cn41551), 26, 5, frame);
        WiegandDecoder.Decode(ReferenceWiegand.ToBits(ReferenceWiegand.Flip(Fc68Cn41551, 3)), 26, 6, frame);

        Assert.AreEqual(WiegandRejection.Parity, frame.Rejection);
        Assert.AreEqual(0, frame.FacilityCode);
        Assert.AreEqual(0, frame.CardNumber);
        Assert.AreEqual(6L, frame.EndedAtMs);

        WiegandDecoder.Decode(ReferenceWiegand.ToBits(Fc90Cn324), 26, 7, frame);

        Assert.IsTrue(frame.IsValid);
        Assert.AreEqual(90, frame.FacilityCode);
        Assert.IsTrue(frame.TextEquals("5898564"));
    }

    [TestMethod]
    [DataRow(0L, "0")]
    [DataRow(7L, "7")]
    [DataRow(10L, "10")]
    [DataRow(5898564L, "5898564")]
    [DataRow(4294967295L, "4294967295")]
    [DataRow(long.MaxValue, "9223372036854775807")]
    [DataRow(-5L, "-5")]
    [DataRow(long.MinValue, "-9223372036854775808")]
    public void WriteDecimal_Value_WritesAsciiDigitsAtOffset(long value, string expected)
    {
        byte[] buffer = new byte[24];

        int length = WiegandDecoder.WriteDecimal(value, buffer, 2);

        Assert.AreEqual(expected.Length, length);
        Assert.AreEqual(expected, System.Text.Encoding.ASCII.GetString(buffer, 2, length));
        Assert.AreEqual((byte)0, buffer[0]);
        Assert.AreEqual((byte)0, buffer[2 + length]);
    }

    [TestMethod]
    public void WriteDecimal_DoesNotFit_ReturnsMinusOneAndWritesNothing()
    {
        byte[] buffer = new byte[5];

        Assert.AreEqual(-1, WiegandDecoder.WriteDecimal(123456, buffer, 0));
        Assert.AreEqual(-1, WiegandDecoder.WriteDecimal(1234, buffer, 2));
        Assert.AreEqual(-1, WiegandDecoder.WriteDecimal(1, buffer, -1));
        Assert.AreEqual(-1, WiegandDecoder.WriteDecimal(1, null!, 0));
        CollectionAssert.AreEqual(new byte[5], buffer);
        Assert.AreEqual(5, WiegandDecoder.WriteDecimal(12345, buffer, 0));
    }

    [TestMethod]
    public void TextEquals_DifferentOrNullText_ReturnsFalse()
    {
        WiegandFrame frame = new WiegandFrame();
        WiegandDecoder.Decode(ReferenceWiegand.ToBits(Fc90Cn324), 26, 0, frame);

        Assert.IsFalse(frame.TextEquals("5898565"));
        Assert.IsFalse(frame.TextEquals("589856"));
        Assert.IsFalse(frame.TextEquals(null!));
    }

    private static WiegandRejection Decode(string bits)
    {
        return WiegandDecoder.Decode(ReferenceWiegand.ToBits(bits), bits.Length, 0, new WiegandFrame());
    }
}
