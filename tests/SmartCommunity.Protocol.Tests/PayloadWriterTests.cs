namespace SmartCommunity.Protocol.Tests;

using System;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using SmartCommunity.Protocol;

[TestClass]
public sealed class PayloadWriterTests
{
    [TestMethod]
    public void BeginObject_NoProperties_WritesEmptyObject()
    {
        PayloadWriter writer = new PayloadWriter(new byte[16]);

        writer.BeginObject();
        writer.EndObject();

        Assert.AreEqual("{}", Text(writer));
        Assert.IsFalse(writer.Overflowed);
    }

    [TestMethod]
    [DataRow(1234567L, 3, "1234.567")]
    [DataRow(5L, 3, "0.005")]
    [DataRow(0L, 3, "0.000")]
    [DataRow(1000L, 3, "1.000")]
    [DataRow(-1250L, 3, "-1.250")]
    [DataRow(42L, 0, "42")]
    [DataRow(long.MaxValue, 3, "9223372036854775.807")]
    [DataRow(long.MinValue, 3, "-9223372036854775.808")]
    public void DecimalProperty_FixedPoint_WritesExactDecimal(long value, int decimals, string expected)
    {
        PayloadWriter writer = new PayloadWriter(new byte[64]);

        writer.BeginObject();
        writer.DecimalProperty("t", value, decimals);
        writer.EndObject();

        Assert.AreEqual("{\"t\":" + expected + "}", Text(writer));
        using JsonDocument parsed = JsonDocument.Parse(Text(writer));
        Assert.AreEqual(decimal.Parse(expected, CultureInfo.InvariantCulture), parsed.RootElement.GetProperty("t").GetDecimal());
    }

    [TestMethod]
    [DataRow(0L)]
    [DataRow(1L)]
    [DataRow(-1L)]
    [DataRow(9L)]
    [DataRow(10L)]
    [DataRow(-10L)]
    [DataRow(1234567890L)]
    [DataRow(-9876543210L)]
    [DataRow(long.MaxValue)]
    [DataRow(long.MinValue)]
    public void Property_Number_ParsesBackToSameValue(long value)
    {
        PayloadWriter writer = new PayloadWriter(new byte[64]);

        writer.BeginObject();
        writer.Property("n", value);
        writer.EndObject();

        Assert.AreEqual("{\"n\":" + value.ToString(CultureInfo.InvariantCulture) + "}", Text(writer));
        using JsonDocument document = Parse(writer);
        Assert.AreEqual(value, document.RootElement.GetProperty("n").GetInt64());
    }

    [TestMethod]
    [DataRow("plain")]
    [DataRow("")]
    [DataRow("quote \" inside")]
    [DataRow("back\\slash")]
    [DataRow("\\\"\\\"")]
    [DataRow("line\nfeed\rreturn\ttab")]
    [DataRow("\u0000\u0001\u0008\u000c\u001f")]
    [DataRow("delete \u007f")]
    [DataRow("slash / and braces {}[]:,")]
    [DataRow("latin \u00e9\u00ff")]
    public void Property_StringNeedingEscapes_ParsesBackToSameText(string value)
    {
        PayloadWriter writer = new PayloadWriter(new byte[256]);

        writer.BeginObject();
        writer.Property("s", value);
        writer.EndObject();

        using JsonDocument document = Parse(writer);
        Assert.AreEqual(value, document.RootElement.GetProperty("s").GetString());
        AssertPrintableAscii(writer);
    }

    [TestMethod]
    public void Property_CharAboveLatin1_WrittenAsQuestionMark()
    {
        PayloadWriter writer = new PayloadWriter(new byte[64]);

        writer.BeginObject();
        writer.Property("s", "a\u20acb");
        writer.EndObject();

        using JsonDocument document = Parse(writer);
        Assert.AreEqual("a?b", document.RootElement.GetProperty("s").GetString());
    }

    [TestMethod]
    public void Property_NameNeedingEscapes_ParsesBackToSameName()
    {
        PayloadWriter writer = new PayloadWriter(new byte[64]);

        writer.BeginObject();
        writer.Property("we\"ird\\name", 5);
        writer.EndObject();

        using JsonDocument document = Parse(writer);
        Assert.AreEqual(5, document.RootElement.GetProperty("we\"ird\\name").GetInt32());
    }

    [TestMethod]
    public void Property_ByteSlice_WritesOnlyTheGivenLengthEscaped()
    {
        byte[] id = Encoding.ASCII.GetBytes("a\"b\\cXXXXXX");
        PayloadWriter writer = new PayloadWriter(new byte[64]);

        writer.BeginObject();
        writer.Property("id", id, 5);
        writer.EndObject();

        using JsonDocument document = Parse(writer);
        Assert.AreEqual("a\"b\\c", document.RootElement.GetProperty("id").GetString());
    }

    [TestMethod]
    public void Property_Bools_WriteJsonLiterals()
    {
        PayloadWriter writer = new PayloadWriter(new byte[64]);

        writer.BeginObject();
        writer.Property("yes", true);
        writer.Property("no", false);
        writer.EndObject();

        Assert.AreEqual("{\"yes\":true,\"no\":false}", Text(writer));
    }

    [TestMethod]
    public void BeginArray_BetweenProperties_WritesCommasInTheRightPlaces()
    {
        PayloadWriter writer = new PayloadWriter(new byte[128]);

        writer.BeginObject();
        writer.Property("a", 1);
        writer.BeginArray("list");
        writer.ArrayItem("x");
        writer.ArrayItem("y\"z");
        writer.ArrayItem("");
        writer.EndArray();
        writer.BeginArray("empty");
        writer.EndArray();
        writer.Property("b", "end");
        writer.EndObject();

        using JsonDocument document = Parse(writer);
        JsonElement root = document.RootElement;
        Assert.AreEqual(1, root.GetProperty("a").GetInt32());
        JsonElement list = root.GetProperty("list");
        Assert.AreEqual(3, list.GetArrayLength());
        Assert.AreEqual("x", list[0].GetString());
        Assert.AreEqual("y\"z", list[1].GetString());
        Assert.AreEqual(string.Empty, list[2].GetString());
        Assert.AreEqual(0, root.GetProperty("empty").GetArrayLength());
        Assert.AreEqual("end", root.GetProperty("b").GetString());
    }

    [TestMethod]
    public void BeginArray_AsFirstProperty_WritesValidJson()
    {
        PayloadWriter writer = new PayloadWriter(new byte[64]);

        writer.BeginObject();
        writer.BeginArray("r");
        writer.ArrayItem("only");
        writer.EndArray();
        writer.EndObject();

        Assert.AreEqual("{\"r\":[\"only\"]}", Text(writer));
    }

    [TestMethod]
    public void BeginObject_AfterAnEarlierMessage_StartsAFreshMessage()
    {
        PayloadWriter writer = new PayloadWriter(new byte[64]);
        writer.BeginObject();
        writer.Property("first", "message with some length");
        writer.EndObject();

        writer.BeginObject();
        writer.Property("b", 2);
        writer.EndObject();

        Assert.AreEqual("{\"b\":2}", Text(writer));
    }

    [TestMethod]
    public void BeginObject_AfterOverflow_ClearsOverflowed()
    {
        PayloadWriter writer = new PayloadWriter(new byte[8]);
        writer.BeginObject();
        writer.Property("long", "value that does not fit");
        writer.EndObject();
        Assert.IsTrue(writer.Overflowed);

        writer.BeginObject();
        writer.Property("a", 1);
        writer.EndObject();

        Assert.IsFalse(writer.Overflowed);
        Assert.AreEqual("{\"a\":1}", Text(writer));
    }

    [TestMethod]
    public void EndObject_EveryBufferSizeTooSmall_SetsOverflowedAndStaysInsideBuffer()
    {
        int fullLength = WriteSample(new PayloadWriter(new byte[512]));
        Assert.IsGreaterThan(50, fullLength);

        for (int size = 0; size < fullLength; size++)
        {
            // A write past the end would throw IndexOutOfRangeException and fail the test.
            byte[] buffer = new byte[size];
            PayloadWriter writer = new PayloadWriter(buffer);

            WriteSample(writer);

            Assert.IsTrue(writer.Overflowed, "size " + size);
            Assert.AreEqual(size, writer.Length, "size " + size);
        }

        PayloadWriter exact = new PayloadWriter(new byte[fullLength]);
        WriteSample(exact);
        Assert.IsFalse(exact.Overflowed);
        using JsonDocument document = Parse(exact);
        Assert.AreEqual(long.MinValue, document.RootElement.GetProperty("min").GetInt64());
    }

    private static int WriteSample(PayloadWriter writer)
    {
        writer.BeginObject();
        writer.Property("v", 1);
        writer.Property("min", long.MinValue);
        writer.Property("text", "a\"b\\c\n");
        writer.BeginArray("items");
        writer.ArrayItem("x");
        writer.ArrayItem("\u0001");
        writer.EndArray();
        writer.Property("flag", true);
        writer.Property("max", long.MaxValue);
        writer.EndObject();
        return writer.Length;
    }

    private static void AssertPrintableAscii(PayloadWriter writer)
    {
        for (int i = 0; i < writer.Length; i++)
        {
            byte b = writer.Buffer[i];
            Assert.IsTrue(b >= 0x20 && b <= 0x7e, "byte " + b + " at " + i + " in " + Text(writer));
        }
    }

    private static string Text(PayloadWriter writer) => Encoding.ASCII.GetString(writer.Buffer, 0, writer.Length);

    private static JsonDocument Parse(PayloadWriter writer) => JsonDocument.Parse(writer.Buffer.AsMemory(0, writer.Length));
}
