namespace SmartCommunity.Protocol.Tests;

using System;
using System.Text;
using System.Text.Json;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using SmartCommunity.Protocol;

[TestClass]
public sealed class PayloadReaderTests
{
    [TestMethod]
    [DataRow("{}")]
    [DataRow(" \t\r\n{ \t\r\n} \t\r\n")]
    [DataRow("{\"a\":1}")]
    [DataRow("{ \"a\" : 1 , \"b\" : \"x\" }")]
    [DataRow("{\"n\":[0,-0,1.5,-2.25e10,3E+2,4e-3,-0.0]}")]
    [DataRow("{\"t\":true,\"f\":false,\"z\":null}")]
    [DataRow("{\"s\":\"\\\"\\\\\\/\\b\\f\\n\\r\\t\\u00e9\\uABCD\"}")]
    [DataRow("{\"o\":{\"p\":{\"q\":[{},[],\"\"]}}}")]
    [DataRow("{\"utf8\":\"\u00e9\u20ac\"}")]
    [DataRow("{\"a\":1,\"a\":2}")]
    public void Load_ValidObject_ReturnsTrue(string json)
    {
        using JsonDocument oracle = JsonDocument.Parse(json);
        Assert.AreEqual(JsonValueKind.Object, oracle.RootElement.ValueKind, "the row must be a valid JSON object");
        PayloadReader reader = new PayloadReader();

        Assert.IsTrue(reader.Load(Bytes(json), 0, Encoding.UTF8.GetByteCount(json)));
    }

    [TestMethod]
    [DataRow("{")]
    [DataRow("}")]
    [DataRow("{\"a\"")]
    [DataRow("{\"a\":")]
    [DataRow("{\"a\":1")]
    [DataRow("{\"a\":1,")]
    [DataRow("{\"a\":1}x")]
    [DataRow("{\"a\":1}{}")]
    [DataRow("{\"a\":1}}")]
    [DataRow("{\"a\":01}")]
    [DataRow("{\"a\":-01}")]
    [DataRow("{\"a\":1.}")]
    [DataRow("{\"a\":.5}")]
    [DataRow("{\"a\":-}")]
    [DataRow("{\"a\":+1}")]
    [DataRow("{\"a\":1e}")]
    [DataRow("{\"a\":1e+}")]
    [DataRow("{\"a\":1.e5}")]
    [DataRow("{\"a\":0x10}")]
    [DataRow("{\"a\":NaN}")]
    [DataRow("{\"a\":\"abc}")]
    [DataRow("{\"a\":\"abc")]
    [DataRow("{\"a\":\"\\x\"}")]
    [DataRow("{\"a\":\"\\u12\"}")]
    [DataRow("{\"a\":\"\\u12G4\"}")]
    [DataRow("{\"a\":\"\\u")]
    [DataRow("{\"a\":\"\\")]
    [DataRow("{\"a\":\"\\\"}")]
    [DataRow("{\"a\":\"raw\ttab\"}")]
    [DataRow("{\"a\":\"raw\nnewline\"}")]
    [DataRow("{\"a\":\"nul\u0000\"}")]
    [DataRow("{\"a\u0001\":1}")]
    [DataRow("{a:1}")]
    [DataRow("{'a':1}")]
    [DataRow("{\"a\":'x'}")]
    [DataRow("{\"a\":1,}")]
    [DataRow("{,\"a\":1}")]
    [DataRow("{\"a\" 1}")]
    [DataRow("{\"a\"::1}")]
    [DataRow("{\"a\":1 \"b\":2}")]
    [DataRow("{\"a\":1;\"b\":2}")]
    [DataRow("{\"a\":tru}")]
    [DataRow("{\"a\":nul}")]
    [DataRow("{\"a\":True}")]
    [DataRow("{\"a\":[1,]}")]
    [DataRow("{\"a\":[1 2]}")]
    [DataRow("{\"a\":[}")]
    [DataRow("{\"a\":[1}")]
    [DataRow("{\"a\":{]}")]
    [DataRow("{\"a\":{\"b\":1}")]
    [DataRow("{\"a\":1}\u0000")]
    [DataRow("{} // comment")]
    public void Load_MalformedJson_ReturnsFalse(string json)
    {
        Assert.Throws<JsonException>(() => JsonDocument.Parse(json), "the row must be malformed JSON");
        PayloadReader reader = new PayloadReader();

        bool loaded = reader.Load(Bytes(json), 0, Encoding.UTF8.GetByteCount(json));

        Assert.IsFalse(loaded);
        Assert.IsFalse(reader.TryGetInt64("a", out _));
    }

    [TestMethod]
    [DataRow("[]")]
    [DataRow("[{\"a\":1}]")]
    [DataRow("1")]
    [DataRow("\"text\"")]
    [DataRow("null")]
    [DataRow("true")]
    public void Load_TopLevelNotAnObject_ReturnsFalse(string json)
    {
        PayloadReader reader = new PayloadReader();

        Assert.IsFalse(reader.Load(Bytes(json), 0, json.Length));
    }

    [TestMethod]
    [DataRow("")]
    [DataRow(" ")]
    [DataRow("\r\n\t ")]
    public void Load_EmptyOrWhitespace_ReturnsFalse(string json)
    {
        PayloadReader reader = new PayloadReader();

        Assert.IsFalse(reader.Load(Bytes(json), 0, json.Length));
    }

    [TestMethod]
    public void Load_BadArguments_ReturnsFalse()
    {
        PayloadReader reader = new PayloadReader();
        byte[] buffer = Bytes("{\"a\":1}");

        Assert.IsFalse(reader.Load(null, 0, 1));
        Assert.IsFalse(reader.Load(buffer, -1, buffer.Length));
        Assert.IsFalse(reader.Load(buffer, 0, 0));
        Assert.IsFalse(reader.Load(buffer, 0, -3));
        Assert.IsFalse(reader.Load(buffer, 0, buffer.Length + 1));
        Assert.IsFalse(reader.Load(buffer, 1, buffer.Length));
    }

    [TestMethod]
    public void Load_LengthStopsBeforeClosingBrace_ReturnsFalse()
    {
        byte[] buffer = Bytes("{\"a\":1}");
        PayloadReader reader = new PayloadReader();

        Assert.IsFalse(reader.Load(buffer, 0, buffer.Length - 1));
    }

    [TestMethod]
    public void Load_ObjectInsideLargerBuffer_ReadsOnlyTheSlice()
    {
        byte[] buffer = Bytes("garbage{\"a\":42,\"s\":\"x\"}more garbage");
        PayloadReader reader = new PayloadReader();

        Assert.IsTrue(reader.Load(buffer, 7, 16));
        Assert.IsTrue(reader.TryGetInt64("a", out long a));
        Assert.AreEqual(42L, a);
        Assert.IsTrue(reader.StringEquals("s", "x"));
    }

    [TestMethod]
    public void Load_NestingAtMaxDepth_ReturnsTrue()
    {
        string json = Nested(PayloadReader.MaxDepth);
        PayloadReader reader = new PayloadReader();

        Assert.IsTrue(reader.Load(Bytes(json), 0, json.Length), json);
    }

    [TestMethod]
    public void Load_NestingBeyondMaxDepth_ReturnsFalse()
    {
        string objects = Nested(PayloadReader.MaxDepth + 1);
        string arrays = "{\"a\":" + new string('[', PayloadReader.MaxDepth) + new string(']', PayloadReader.MaxDepth) + "}";
        string deep = Nested(10000);
        PayloadReader reader = new PayloadReader();

        Assert.IsFalse(reader.Load(Bytes(objects), 0, objects.Length), objects);
        Assert.IsFalse(reader.Load(Bytes(arrays), 0, arrays.Length), arrays);
        Assert.IsFalse(reader.Load(Bytes(deep), 0, deep.Length));
    }

    [TestMethod]
    public void Load_MalformedAfterValid_ForgetsThePreviousObject()
    {
        PayloadReader reader = new PayloadReader();
        Assert.IsTrue(reader.Load(Bytes("{\"a\":1}"), 0, 7));

        Assert.IsFalse(reader.Load(Bytes("{\"a\":1"), 0, 6));

        Assert.IsFalse(reader.TryGetInt64("a", out _));
        Assert.AreEqual(-1, reader.FirstProperty());
    }

    [TestMethod]
    public void TryGetInt64_BeforeAnyLoad_ReturnsFalse()
    {
        PayloadReader reader = new PayloadReader();

        Assert.IsFalse(reader.TryGetInt64("a", out _));
        Assert.AreEqual(-1, reader.CopyString("a", new byte[8]));
    }

    [TestMethod]
    [DataRow("0", 0L)]
    [DataRow("-0", 0L)]
    [DataRow("7", 7L)]
    [DataRow("-7", -7L)]
    [DataRow("1700000000000", 1700000000000L)]
    [DataRow("9223372036854775807", long.MaxValue)]
    [DataRow("-9223372036854775808", long.MinValue)]
    public void TryGetInt64_Integer_ReturnsValue(string number, long expected)
    {
        PayloadReader reader = Loaded("{\"n\":" + number + "}");

        Assert.IsTrue(reader.TryGetInt64("n", out long value));
        Assert.AreEqual(expected, value);
    }

    [TestMethod]
    [DataRow("9223372036854775808")]
    [DataRow("-9223372036854775809")]
    [DataRow("10000000000000000000")]
    [DataRow("99999999999999999999")]
    [DataRow("123456789012345678901234567890")]
    [DataRow("1.5")]
    [DataRow("1e3")]
    [DataRow("\"12\"")]
    [DataRow("true")]
    [DataRow("null")]
    [DataRow("[1]")]
    [DataRow("{\"n\":1}")]
    public void TryGetInt64_NotAnInt64_ReturnsFalse(string value)
    {
        PayloadReader reader = Loaded("{\"n\":" + value + "}");

        Assert.IsFalse(reader.TryGetInt64("n", out long result));
        Assert.AreEqual(0L, result);
    }

    [TestMethod]
    public void TryGetInt64_MissingKey_ReturnsFalse()
    {
        PayloadReader reader = Loaded("{\"m\":1,\"nn\":2,\"N\":3}");

        Assert.IsFalse(reader.TryGetInt64("n", out _));
    }

    [TestMethod]
    public void TryGetInt64_DuplicateKey_ReturnsTheFirst()
    {
        PayloadReader reader = Loaded("{\"a\":1,\"a\":2}");

        Assert.IsTrue(reader.TryGetInt64("a", out long value));
        Assert.AreEqual(1L, value);
    }

    [TestMethod]
    public void TryGetBool_Literals_ReturnValueAndRejectOthers()
    {
        PayloadReader reader = Loaded("{\"t\":true,\"f\":false,\"s\":\"true\",\"n\":1}");

        Assert.IsTrue(reader.TryGetBool("t", out bool t));
        Assert.IsTrue(t);
        Assert.IsTrue(reader.TryGetBool("f", out bool f));
        Assert.IsFalse(f);
        Assert.IsFalse(reader.TryGetBool("s", out _));
        Assert.IsFalse(reader.TryGetBool("n", out _));
        Assert.IsFalse(reader.TryGetBool("missing", out _));
    }

    [TestMethod]
    public void StringEquals_ComparesRawValueOfStringsOnly()
    {
        PayloadReader reader = Loaded("{\"a\":\"clear\",\"b\":\"cl\\u0065ar\",\"c\":1,\"d\":\"clearer\"}");

        Assert.IsTrue(reader.StringEquals("a", "clear"));
        Assert.IsFalse(reader.StringEquals("a", "Clear"));
        Assert.IsFalse(reader.StringEquals("b", "clear"));
        Assert.IsFalse(reader.StringEquals("c", "1"));
        Assert.IsFalse(reader.StringEquals("d", "clear"));
        Assert.IsFalse(reader.StringEquals("missing", "clear"));
    }

    [TestMethod]
    public void CopyString_Escapes_CopiesUnescapedBytes()
    {
        PayloadReader reader = Loaded("{\"s\":\"q\\\"b\\\\s\\/n\\nt\\tr\\rb\\bf\\fu\\u0041\\u00e9\"}");
        byte[] destination = new byte[64];

        int length = reader.CopyString("s", destination);

        byte[] expected = Encoding.ASCII.GetBytes("q\"b\\s/n\nt\tr\rb\bf\fuA?");
        Assert.AreEqual(expected.Length, length);
        CollectionAssert.AreEqual(expected, destination.AsSpan(0, length).ToArray());
    }

    [TestMethod]
    public void CopyString_ExactFit_ReturnsLength()
    {
        PayloadReader reader = Loaded("{\"s\":\"abcd\"}");
        byte[] destination = new byte[4];

        Assert.AreEqual(4, reader.CopyString("s", destination));
        Assert.AreEqual("abcd", Encoding.ASCII.GetString(destination));
    }

    [TestMethod]
    public void CopyString_TooLong_ReturnsMinusOne()
    {
        PayloadReader reader = Loaded("{\"s\":\"abcde\",\"e\":\"ab\\n\"}");

        Assert.AreEqual(-1, reader.CopyString("s", new byte[4]));
        Assert.AreEqual(-1, reader.CopyString("e", new byte[2]));
    }

    [TestMethod]
    public void CopyString_EmptyMissingOrNotString_ReturnsZeroOrMinusOne()
    {
        PayloadReader reader = Loaded("{\"empty\":\"\",\"n\":5,\"o\":{}}");
        byte[] destination = new byte[8];

        Assert.AreEqual(0, reader.CopyString("empty", destination));
        Assert.AreEqual(-1, reader.CopyString("n", destination));
        Assert.AreEqual(-1, reader.CopyString("o", destination));
        Assert.AreEqual(-1, reader.CopyString("missing", destination));
    }

    [TestMethod]
    public void TryGetObject_NestedObject_ReadsOnlyItsOwnProperties()
    {
        PayloadReader reader = Loaded("{\"port\":1,\"mqtt\":{\"host\":\"h\",\"inner\":{\"port\":3},\"port\":2},\"after\":4}");
        PayloadReader mqtt = new PayloadReader();
        PayloadReader inner = new PayloadReader();

        Assert.IsTrue(reader.TryGetObject("mqtt", mqtt));

        Assert.IsTrue(mqtt.TryGetInt64("port", out long port));
        Assert.AreEqual(2L, port);
        Assert.IsTrue(mqtt.StringEquals("host", "h"));
        Assert.IsFalse(mqtt.TryGetInt64("after", out _));
        Assert.IsTrue(mqtt.TryGetObject("inner", inner));
        Assert.IsTrue(inner.TryGetInt64("port", out long innerPort));
        Assert.AreEqual(3L, innerPort);
        Assert.IsFalse(inner.StringEquals("host", "h"));
    }

    [TestMethod]
    public void TryGetObject_EmptyObject_HasNoProperties()
    {
        PayloadReader reader = Loaded("{\"o\":{ }}");
        PayloadReader nested = new PayloadReader();

        Assert.IsTrue(reader.TryGetObject("o", nested));

        Assert.AreEqual(-1, nested.NextProperty(nested.FirstProperty(), out _, out _, out _, out _, out _));
    }

    [TestMethod]
    [DataRow("[]")]
    [DataRow("\"{}\"")]
    [DataRow("1")]
    [DataRow("null")]
    public void TryGetObject_NotAnObject_ReturnsFalse(string value)
    {
        PayloadReader reader = Loaded("{\"o\":" + value + "}");

        Assert.IsFalse(reader.TryGetObject("o", new PayloadReader()));
        Assert.IsFalse(reader.TryGetObject("missing", new PayloadReader()));
    }

    [TestMethod]
    public void NextProperty_WholeObject_VisitsEveryPropertyWithItsKind()
    {
        string json = "{ \"s\" : \"text\" , \"n\":-12.5e3,\"t\":true,\"f\":false,\"z\":null,\"a\":[1,{}],\"o\":{\"x\":1}}";
        PayloadReader reader = Loaded(json);
        string[] expectedNames = { "s", "n", "t", "f", "z", "a", "o" };
        JsonKind[] expectedKinds = { JsonKind.String, JsonKind.Number, JsonKind.True, JsonKind.False, JsonKind.Null, JsonKind.Array, JsonKind.Object };
        string[] expectedValues = { "text", "-12.5e3", "true", "false", "null", "[1,{}]", "{\"x\":1}" };

        int cursor = reader.FirstProperty();
        int count = 0;
        while (true)
        {
            cursor = reader.NextProperty(cursor, out int nameStart, out int nameLength, out int valueStart, out int valueLength, out JsonKind kind);
            if (cursor < 0)
            {
                break;
            }

            Assert.AreEqual(expectedNames[count], json.Substring(nameStart, nameLength));
            Assert.AreEqual(expectedKinds[count], kind);
            Assert.AreEqual(expectedValues[count], json.Substring(valueStart, valueLength));
            count++;
        }

        Assert.AreEqual(expectedNames.Length, count);
    }

    [TestMethod]
    public void TryFind_Value_ReportsBoundsAndKind()
    {
        string json = "{\"a\":\"xy\",\"b\":[1,2]}";
        PayloadReader reader = Loaded(json);

        Assert.IsTrue(reader.TryFind("b", out int start, out int length, out JsonKind kind));

        Assert.AreEqual(JsonKind.Array, kind);
        Assert.AreEqual("[1,2]", json.Substring(start, length));
        Assert.IsFalse(reader.TryFind("c", out _, out _, out JsonKind missing));
        Assert.AreEqual(JsonKind.None, missing);
    }

    [TestMethod]
    public void Load_SeededRandomInputs_NeverThrowsAndAgreesWithSystemTextJson()
    {
        // Deterministic fuzz: random mutations of valid payloads and random JSON-ish text. Restricted to
        // ASCII so that System.Text.Json (which also validates UTF-8) is a fair oracle.
        string[] seeds =
        {
            "{\"v\":1,\"id\":\"c-1\",\"cmd\":\"release\",\"ctr\":5,\"boot\":3,\"exp\":120000,\"mac\":\"00ff\"}",
            "{\"v\":1,\"state\":\"alarm\",\"since\":-12.5e-3}",
            "{\"a\":[true,false,null,{\"b\":\"\\u0041\\n\"}],\"c\":{}}",
            "{}",
        };
        const string alphabet = "{}[]:,\"\\/ -+.0123456789eEtrufalsn\tu\nAbx";
        Random random = new Random(20240611);
        PayloadReader reader = new PayloadReader();
        PayloadReader nested = new PayloadReader();
        byte[] copy = new byte[64];
        int accepted = 0;
        int rejected = 0;

        for (int iteration = 0; iteration < 20000; iteration++)
        {
            byte[] input = iteration % 4 == 0
                ? RandomText(random, alphabet)
                : Mutate(random, Encoding.ASCII.GetBytes(seeds[random.Next(seeds.Length)]), alphabet);

            bool loaded = reader.Load(input, 0, input.Length);

            bool expected = IsObjectWithinDepth(input);
            Assert.AreEqual(expected, loaded, Encoding.ASCII.GetString(input));
            if (!loaded)
            {
                rejected++;
                continue;
            }

            accepted++;
            reader.TryGetInt64("v", out _);
            reader.TryGetBool("a", out _);
            reader.CopyString("id", copy);
            reader.StringEquals("cmd", "release");
            if (reader.TryGetObject("c", nested))
            {
                nested.TryGetInt64("b", out _);
            }

            int cursor = reader.FirstProperty();
            while (cursor >= 0)
            {
                cursor = reader.NextProperty(cursor, out _, out _, out int valueStart, out int valueLength, out JsonKind kind);
                if (cursor >= 0 && kind == JsonKind.String)
                {
                    reader.Unescape(valueStart, valueLength, copy);
                }
            }
        }

        Assert.IsGreaterThan(100, accepted);
        Assert.IsGreaterThan(100, rejected);
    }

    private static bool IsObjectWithinDepth(byte[] input)
    {
        try
        {
            using JsonDocument document = JsonDocument.Parse(input);
            return document.RootElement.ValueKind == JsonValueKind.Object && Depth(document.RootElement) <= PayloadReader.MaxDepth;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    private static int Depth(JsonElement element)
    {
        int deepest = 0;
        if (element.ValueKind == JsonValueKind.Object)
        {
            foreach (JsonProperty property in element.EnumerateObject())
            {
                deepest = Math.Max(deepest, Depth(property.Value));
            }

            return deepest + 1;
        }

        if (element.ValueKind == JsonValueKind.Array)
        {
            foreach (JsonElement item in element.EnumerateArray())
            {
                deepest = Math.Max(deepest, Depth(item));
            }

            return deepest + 1;
        }

        return 0;
    }

    private static byte[] RandomText(Random random, string alphabet)
    {
        byte[] text = new byte[random.Next(0, 40)];
        for (int i = 0; i < text.Length; i++)
        {
            text[i] = (byte)alphabet[random.Next(alphabet.Length)];
        }

        if (text.Length > 1 && random.Next(2) == 0)
        {
            text[0] = (byte)'{';
            text[text.Length - 1] = (byte)'}';
        }

        return text;
    }

    private static byte[] Mutate(Random random, byte[] input, string alphabet)
    {
        int mutations = random.Next(1, 4);
        for (int m = 0; m < mutations && input.Length > 0; m++)
        {
            int at = random.Next(input.Length);
            switch (random.Next(4))
            {
                case 0:
                    input[at] = (byte)alphabet[random.Next(alphabet.Length)];
                    break;
                case 1:
                    input = input.AsSpan(0, at).ToArray();
                    break;
                case 2:
                    byte[] longer = new byte[input.Length + 1];
                    input.AsSpan(0, at).CopyTo(longer);
                    longer[at] = (byte)alphabet[random.Next(alphabet.Length)];
                    input.AsSpan(at).CopyTo(longer.AsSpan(at + 1));
                    input = longer;
                    break;
                default:
                    byte[] shorter = new byte[input.Length - 1];
                    input.AsSpan(0, at).CopyTo(shorter);
                    input.AsSpan(at + 1).CopyTo(shorter.AsSpan(at));
                    input = shorter;
                    break;
            }
        }

        return input;
    }

    private static string Nested(int depth)
    {
        StringBuilder json = new StringBuilder();
        for (int i = 1; i < depth; i++)
        {
            json.Append("{\"a\":");
        }

        json.Append("{\"leaf\":1}");
        json.Append('}', depth - 1);
        return json.ToString();
    }

    private static PayloadReader Loaded(string json)
    {
        PayloadReader reader = new PayloadReader();
        Assert.IsTrue(reader.Load(Bytes(json), 0, Encoding.UTF8.GetByteCount(json)), json);
        return reader;
    }

    private static byte[] Bytes(string text) => Encoding.UTF8.GetBytes(text);
}
