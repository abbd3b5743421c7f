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

    [TestMethod]
    public void Decode_Mac_KeepsWhereItsCharactersSitInThePayload()
    {
        string json = "{\"v\":1,\"id\":\"a\",\"cmd\":\"release\",\"mac\":\"" + new string('0', 64) + "\"}";

        Assert.AreEqual(CommandRejection.None, Decode(json));

        Assert.AreEqual(json.IndexOf("\"mac\":\"", System.StringComparison.Ordinal) + 7, _command.MacStart);
        Assert.AreEqual(64, _command.MacRawLength);
    }

    [TestMethod]
    public void Decode_NoMac_MacStartIsMinusOne()
    {
        Assert.AreEqual(CommandRejection.None, Decode("{\"v\":1,\"id\":\"a\",\"cmd\":\"release\"}"));

        Assert.AreEqual(-1, _command.MacStart);
    }

    [TestMethod]
    public void Decode_Rekey_KeepsKeyIdAndWrappedKey()
    {
        string wrapped = new string('a', 64);

        Assert.AreEqual(CommandRejection.None, Decode("{\"v\":1,\"id\":\"a\",\"cmd\":\"rekey\",\"kid\":3,\"key\":\"" + wrapped + "\"}"));

        Assert.AreEqual(CommandKind.Rekey, _command.Kind);
        Assert.AreEqual(3L, _command.KeyId);
        Assert.AreEqual(wrapped, Encoding.ASCII.GetString(_command.WrappedKey));
    }

    [TestMethod]
    [DataRow("\"key\":\"aaaa\",\"kid\":3", DisplayName = "key too short")]
    [DataRow("\"kid\":3", DisplayName = "no key")]
    [DataRow("\"kid\":0,\"key\":\"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\"", DisplayName = "kid 0")]
    [DataRow("\"key\":\"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\",\"kid\":3", DisplayName = "key too long")]
    public void Decode_RekeyWithoutAUsableKey_BadArgument(string fields)
    {
        Assert.AreEqual(CommandRejection.BadArgument, Decode("{\"v\":1,\"id\":\"a\",\"cmd\":\"rekey\"," + fields + "}"));
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

            // Carries every argument some command requires, so each kind decodes.
            CommandRejection rejection = Decode("{\"v\":1,\"id\":\"k\",\"cmd\":\"" + CommandNames.NameOf(kind)
                + "\",\"call\":\"1-1\",\"req\":1,\"op\":\"delta\",\"ver\":2,\"base\":1,\"now\":1700000000,\"kid\":2,\"key\":\"" + new string('a', 64) + "\"}");

            Assert.AreEqual(CommandRejection.None, rejection, kind.ToString());
            Assert.AreEqual(kind, _command.Kind);
        }
    }

    [TestMethod]
    public void Decode_AllowListFullPart_ReadsItsFields()
    {
        CommandRejection rejection = Decode(
            "{\"v\":1,\"id\":\"a1\",\"cmd\":\"allow-list\",\"op\":\"full\",\"ver\":7,\"part\":2,\"parts\":3,"
            + "\"now\":1764320000,\"add\":\"123:0:0;456:1700000000:1800000000\",\"remove\":\"789\"}");

        Assert.AreEqual(CommandRejection.None, rejection);
        Assert.AreEqual(CommandKind.AllowList, _command.Kind);
        Assert.IsTrue(_command.FullList);
        Assert.AreEqual(7L, _command.ListVersion);
        Assert.AreEqual(2L, _command.Part);
        Assert.AreEqual(3L, _command.Parts);
        Assert.AreEqual(1764320000L, _command.NowUnixSeconds);
        Assert.AreEqual("123:0:0;456:1700000000:1800000000", Encoding.ASCII.GetString(_command.Add, 0, _command.AddLength));
        Assert.AreEqual("789", Encoding.ASCII.GetString(_command.Remove, 0, _command.RemoveLength));
    }

    [TestMethod]
    public void Decode_AllowListDelta_ReadsBaseAndLeavesAbsentListsEmpty()
    {
        CommandRejection rejection = Decode("{\"v\":1,\"id\":\"a2\",\"cmd\":\"allow-list\",\"op\":\"delta\",\"ver\":8,\"base\":7,\"now\":1764320001}");

        Assert.AreEqual(CommandRejection.None, rejection);
        Assert.IsFalse(_command.FullList);
        Assert.AreEqual(8L, _command.ListVersion);
        Assert.AreEqual(7L, _command.BaseVersion);
        Assert.AreEqual(0, _command.AddLength);
        Assert.AreEqual(0, _command.RemoveLength);
    }

    [TestMethod]
    [DataRow("\"op\":\"merge\",\"ver\":2,\"base\":1,\"now\":5", DisplayName = "unknown op")]
    [DataRow("\"ver\":2,\"base\":1,\"now\":5", DisplayName = "no op")]
    [DataRow("\"op\":\"delta\",\"base\":1,\"now\":5", DisplayName = "no ver")]
    [DataRow("\"op\":\"delta\",\"ver\":0,\"base\":1,\"now\":5", DisplayName = "ver 0")]
    [DataRow("\"op\":\"delta\",\"ver\":2,\"base\":1", DisplayName = "no now")]
    [DataRow("\"op\":\"delta\",\"ver\":2,\"now\":5", DisplayName = "delta without base")]
    [DataRow("\"op\":\"delta\",\"ver\":2,\"base\":-1,\"now\":5", DisplayName = "negative base")]
    [DataRow("\"op\":\"full\",\"ver\":2,\"parts\":2,\"now\":5", DisplayName = "full without part")]
    [DataRow("\"op\":\"full\",\"ver\":2,\"part\":3,\"parts\":2,\"now\":5", DisplayName = "part beyond parts")]
    [DataRow("\"op\":\"full\",\"ver\":2,\"part\":0,\"parts\":2,\"now\":5", DisplayName = "part 0")]
    [DataRow("\"op\":\"delta\",\"ver\":2,\"base\":1,\"now\":5,\"add\":12", DisplayName = "add not a string")]
    [DataRow("\"op\":\"delta\",\"ver\":2,\"base\":1,\"now\":5,\"remove\":[1]", DisplayName = "remove not a string")]
    public void Decode_AllowListWithBadFields_RejectsBadArgumentKeepingId(string fields)
    {
        Assert.AreEqual(CommandRejection.BadArgument, Decode("{\"v\":1,\"id\":\"a3\",\"cmd\":\"allow-list\"," + fields + "}"));
        Assert.AreEqual("a3", Id());
    }

    [TestMethod]
    [DataRow("open", CommandKind.Open)]
    [DataRow("evacuate", CommandKind.Evacuate)]
    [DataRow("close", CommandKind.Close)]
    public void Decode_BarrierCommand_ReadsItsKind(string name, CommandKind expected)
    {
        Assert.AreEqual(CommandRejection.None, Decode("{\"v\":1,\"id\":\"b1\",\"cmd\":\"" + name + "\"}"));
        Assert.AreEqual(expected, _command.Kind);
    }

    [TestMethod]
    [DataRow("grant", CommandKind.Grant)]
    [DataRow("deny", CommandKind.Deny)]
    public void Decode_Answer_ReadsTheRequestNumber(string name, CommandKind expected)
    {
        Assert.AreEqual(CommandRejection.None, Decode("{\"v\":1,\"id\":\"g1\",\"cmd\":\"" + name + "\",\"req\":42,\"ms\":3000,\"reason\":\"no entry\"}"));

        Assert.AreEqual(expected, _command.Kind);
        Assert.AreEqual(42L, _command.Request);
        Assert.AreEqual(3000L, _command.DurationMs);
    }

    [TestMethod]
    [DataRow("{\"v\":1,\"id\":\"g1\",\"cmd\":\"grant\"}")]
    [DataRow("{\"v\":1,\"id\":\"g1\",\"cmd\":\"deny\",\"req\":0}")]
    [DataRow("{\"v\":1,\"id\":\"g1\",\"cmd\":\"grant\",\"req\":\"5\"}")]
    public void Decode_AnswerWithoutRequestNumber_RejectsBadArgument(string json)
    {
        Assert.AreEqual(CommandRejection.BadArgument, Decode(json));
    }

    [TestMethod]
    public void Decode_OpenWithRequest_ReadsTheRequestNumber()
    {
        Assert.AreEqual(CommandRejection.None, Decode("{\"v\":1,\"id\":\"o1\",\"cmd\":\"open\",\"req\":7,\"why\":\"valid\"}"));

        Assert.AreEqual(CommandKind.Open, _command.Kind);
        Assert.AreEqual(7L, _command.Request);
    }

    [TestMethod]
    public void Decode_OpenWithoutRequest_IsAnOpenWithRequestZero()
    {
        Decode("{\"v\":1,\"id\":\"o1\",\"cmd\":\"open\",\"req\":7}");

        Assert.AreEqual(CommandRejection.None, Decode("{\"v\":1,\"id\":\"o2\",\"cmd\":\"open\"}"));
        Assert.AreEqual(0L, _command.Request);
    }

    [TestMethod]
    public void Decode_OpenWithRequestZero_RejectsBadArgument()
    {
        Assert.AreEqual(CommandRejection.BadArgument, Decode("{\"v\":1,\"id\":\"o1\",\"cmd\":\"open\",\"req\":0}"));
    }

    [TestMethod]
    public void Decode_NextCommandAfterAnAllowList_ForgetsItsFields()
    {
        Decode("{\"v\":1,\"id\":\"a1\",\"cmd\":\"allow-list\",\"op\":\"full\",\"ver\":7,\"part\":1,\"parts\":1,\"now\":9,\"add\":\"1:0:0\",\"remove\":\"2\"}");

        Assert.AreEqual(CommandRejection.None, Decode("{\"v\":1,\"id\":\"g2\",\"cmd\":\"grant\",\"req\":3}"));
        Assert.IsFalse(_command.FullList);
        Assert.AreEqual(0L, _command.ListVersion);
        Assert.AreEqual(0, _command.AddLength);
        Assert.AreEqual(0, _command.RemoveLength);
        Assert.AreEqual(0L, _command.NowUnixSeconds);
    }
}
