namespace SmartCommunity.Protocol.Tests;

using System.Text;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using SmartCommunity.Protocol;

[TestClass]
public sealed class CommandDecoderTests
{
    private readonly CommandDecoder _decoder = new CommandDecoder();
    private readonly Command _command = new Command();

    [TestMethod]
    [DataRow("release", CommandKind.Release)]
    [DataRow("reset", CommandKind.Reset)]
    [DataRow("self-test", CommandKind.SelfTest)]
    [DataRow("close", CommandKind.Close)]
    public void Decode_KnownCommand_SetsKindAndId(string name, CommandKind expected)
    {
        CommandRejection rejection = Decode("{\"v\":1,\"id\":\"cmd-42\",\"cmd\":\"" + name + "\"}");

        Assert.AreEqual(CommandRejection.None, rejection);
        Assert.AreEqual(expected, _command.Kind);
        Assert.AreEqual("cmd-42", Id());
        Assert.AreEqual(0L, _command.Counter);
        Assert.AreEqual(0L, _command.Boot);
        Assert.AreEqual(0L, _command.ExpiresAtUptimeMs);
        Assert.AreEqual(0, _command.MacLength);
    }

    [TestMethod]
    [DataRow("{\"v\":1,\"cmd\":\"release\"}")]
    [DataRow("{\"v\":1,\"id\":\"\",\"cmd\":\"release\"}")]
    [DataRow("{\"v\":1,\"id\":7,\"cmd\":\"release\"}")]
    [DataRow("{\"v\":1,\"id\":null,\"cmd\":\"release\"}")]
    [DataRow("{\"v\":1,\"id\":\"123456789012345678901234567890123\",\"cmd\":\"release\"}")]
    public void Decode_NoUsableId_RejectsMissingId(string json)
    {
        Assert.AreEqual(CommandRejection.MissingId, Decode(json));
        Assert.AreEqual(0, _command.IdLength);
    }

    [TestMethod]
    public void Decode_IdOfMaximumLength_Accepted()
    {
        string id = new string('a', MessageLimits.MaxIdLength);

        Assert.AreEqual(CommandRejection.None, Decode("{\"v\":1,\"id\":\"" + id + "\",\"cmd\":\"reset\"}"));
        Assert.AreEqual(id, Id());
    }

    [TestMethod]
    public void Decode_EscapedId_KeepsUnescapedId()
    {
        Assert.AreEqual(CommandRejection.None, Decode("{\"v\":1,\"id\":\"a\\\"b\\u0041\",\"cmd\":\"reset\"}"));

        Assert.AreEqual("a\"bA", Id());
    }

    [TestMethod]
    [DataRow("{\"id\":\"c1\",\"cmd\":\"release\"}")]
    [DataRow("{\"v\":2,\"id\":\"c1\",\"cmd\":\"release\"}")]
    [DataRow("{\"v\":0,\"id\":\"c1\",\"cmd\":\"release\"}")]
    [DataRow("{\"v\":\"1\",\"id\":\"c1\",\"cmd\":\"release\"}")]
    [DataRow("{\"v\":1.0,\"id\":\"c1\",\"cmd\":\"release\"}")]
    public void Decode_WrongVersion_RejectsUnsupportedVersionKeepingId(string json)
    {
        Assert.AreEqual(CommandRejection.UnsupportedVersion, Decode(json));
        Assert.AreEqual("c1", Id());
    }

    [TestMethod]
    [DataRow("{\"v\":1,\"id\":\"c1\",\"cmd\":\"open-sesame\"}")]
    [DataRow("{\"v\":1,\"id\":\"c1\",\"cmd\":\"RELEASE\"}")]
    [DataRow("{\"v\":1,\"id\":\"c1\",\"cmd\":\"rel\\u0065ase\"}")]
    [DataRow("{\"v\":1,\"id\":\"c1\",\"cmd\":1}")]
    [DataRow("{\"v\":1,\"id\":\"c1\"}")]
    public void Decode_UnknownCommand_RejectsUnknownCommandKeepingId(string json)
    {
        Assert.AreEqual(CommandRejection.UnknownCommand, Decode(json));
        Assert.AreEqual(CommandKind.Unknown, _command.Kind);
        Assert.AreEqual("c1", Id());
    }

    [TestMethod]
    [DataRow("")]
    [DataRow("not json")]
    [DataRow("{\"v\":1,\"id\":\"c1\",\"cmd\":\"release\"")]
    [DataRow("[{\"v\":1,\"id\":\"c1\",\"cmd\":\"release\"}]")]
    [DataRow("{\"v\":1,\"id\":\"c1\",\"cmd\":\"release\"} trailing")]
    public void Decode_Malformed_RejectsMalformed(string json)
    {
        Assert.AreEqual(CommandRejection.Malformed, Decode(json));
        Assert.AreEqual(0, _command.IdLength);
    }

    [TestMethod]
    public void Decode_LargerThanDownlinkLimit_RejectsOversized()
    {
        string fits = Padded(MessageLimits.MaxDownlinkBytes);
        string tooLarge = Padded(MessageLimits.MaxDownlinkBytes + 1);

        Assert.AreEqual(CommandRejection.None, Decode(fits));
        Assert.AreEqual(CommandRejection.Oversized, Decode(tooLarge));
    }

    [TestMethod]
    public void Decode_OptionalFields_ReadsCounterBootExpiryAndMac()
    {
        string mac = new string('f', MessageLimits.MaxMacLength);

        CommandRejection rejection = Decode("{\"v\":1,\"id\":\"c9\",\"cmd\":\"reset\",\"ctr\":17,\"boot\":4,\"exp\":123456,\"mac\":\"" + mac + "\"}");

        Assert.AreEqual(CommandRejection.None, rejection);
        Assert.AreEqual(17L, _command.Counter);
        Assert.AreEqual(4L, _command.Boot);
        Assert.AreEqual(123456L, _command.ExpiresAtUptimeMs);
        Assert.AreEqual(mac, Encoding.ASCII.GetString(_command.Mac, 0, _command.MacLength));
    }

    [TestMethod]
    public void Decode_MacLongerThanLimit_LeavesMacEmpty()
    {
        string mac = new string('f', MessageLimits.MaxMacLength + 1);

        Assert.AreEqual(CommandRejection.None, Decode("{\"v\":1,\"id\":\"c9\",\"cmd\":\"reset\",\"mac\":\"" + mac + "\"}"));

        Assert.AreEqual(0, _command.MacLength);
    }

    [TestMethod]
    public void Decode_SecondCommandWithoutOptionalFields_ClearsTheFirstOnesFields()
    {
        Decode("{\"v\":1,\"id\":\"first-id\",\"cmd\":\"reset\",\"ctr\":1,\"boot\":2,\"exp\":3,\"mac\":\"ab\"}");

        Assert.AreEqual(CommandRejection.None, Decode("{\"v\":1,\"id\":\"c2\",\"cmd\":\"release\"}"));

        Assert.AreEqual("c2", Id());
        Assert.AreEqual(0L, _command.Counter);
        Assert.AreEqual(0L, _command.Boot);
        Assert.AreEqual(0L, _command.ExpiresAtUptimeMs);
        Assert.AreEqual(0, _command.MacLength);
    }

    [TestMethod]
    public void Decode_LengthShorterThanBuffer_ReadsOnlyLength()
    {
        byte[] payload = Encoding.ASCII.GetBytes("{\"v\":1,\"id\":\"c1\",\"cmd\":\"reset\"}GARBAGE");

        Assert.AreEqual(CommandRejection.None, _decoder.Decode(payload, payload.Length - 7, _command));
        Assert.AreEqual(CommandRejection.Malformed, _decoder.Decode(payload, payload.Length, _command));
    }

    [TestMethod]
    public void HasSameId_ComparesLengthAndBytes()
    {
        Decode("{\"v\":1,\"id\":\"abc\",\"cmd\":\"reset\"}");

        Assert.IsTrue(_command.HasSameId(Encoding.ASCII.GetBytes("abc"), 3));
        Assert.IsTrue(_command.HasSameId(Encoding.ASCII.GetBytes("abcd"), 3));
        Assert.IsFalse(_command.HasSameId(Encoding.ASCII.GetBytes("abd"), 3));
        Assert.IsFalse(_command.HasSameId(Encoding.ASCII.GetBytes("ab"), 2));
    }

    private static string Padded(int totalLength)
    {
        const string head = "{\"v\":1,\"id\":\"c1\",\"cmd\":\"release\",\"pad\":\"";
        const string tail = "\"}";
        return head + new string('x', totalLength - head.Length - tail.Length) + tail;
    }

    private CommandRejection Decode(string json)
    {
        byte[] payload = Encoding.UTF8.GetBytes(json);
        return _decoder.Decode(payload, payload.Length, _command);
    }

    private string Id() => Encoding.ASCII.GetString(_command.Id, 0, _command.IdLength);

    [TestMethod]
    [DataRow("call-received", CommandKind.CallReceived)]
    [DataRow("call-handled", CommandKind.CallHandled)]
    [DataRow("sound", CommandKind.Sound)]
    public void Decode_CallCommand_KeepsTheCallId(string name, CommandKind expected)
    {
        Assert.AreEqual(CommandRejection.None, Decode("{\"v\":1,\"id\":\"c9\",\"cmd\":\"" + name + "\",\"call\":\"3-17\"}"));

        Assert.AreEqual(expected, _command.Kind);
        Assert.AreEqual("3-17", Encoding.UTF8.GetString(_command.CallId, 0, _command.CallIdLength));
    }

    [TestMethod]
    [DataRow("{\"v\":1,\"id\":\"c9\",\"cmd\":\"call-handled\"}")]
    [DataRow("{\"v\":1,\"id\":\"c9\",\"cmd\":\"sound\",\"call\":\"\"}")]
    [DataRow("{\"v\":1,\"id\":\"c9\",\"cmd\":\"call-received\",\"call\":17}")]
    public void Decode_CallCommandWithoutCallId_RejectsBadArgument(string json)
    {
        Assert.AreEqual(CommandRejection.BadArgument, Decode(json));
        Assert.AreEqual("c9", Id());
    }

    [TestMethod]
    public void Decode_NextCommandAfterACall_ForgetsTheCallId()
    {
        Decode("{\"v\":1,\"id\":\"c9\",\"cmd\":\"sound\",\"call\":\"3-17\"}");

        Assert.AreEqual(CommandRejection.None, Decode("{\"v\":1,\"id\":\"c10\",\"cmd\":\"close\"}"));
        Assert.AreEqual(0, _command.CallIdLength);
    }

    [TestMethod]
    public void Decode_EveryCommandKind_DecodesFromItsWireName()
    {
        foreach (CommandKind kind in System.Enum.GetValues<CommandKind>())
        {
            if (kind == CommandKind.Unknown)
            {
                continue;
            }

            CommandRejection rejection = Decode("{\"v\":1,\"id\":\"k\",\"cmd\":\"" + CommandNames.NameOf(kind) + "\",\"call\":\"1-1\"}");

            Assert.AreEqual(CommandRejection.None, rejection, kind.ToString());
            Assert.AreEqual(kind, _command.Kind);
        }
    }
}
