namespace SmartCommunity.Firmware.Tests.Boot;

using Microsoft.VisualStudio.TestTools.UnitTesting;
using SmartCommunity.Firmware.Boot;
using SmartCommunity.Firmware.Tests.TestSupport;

[TestClass]
public sealed partial class DeviceConfigTests
{
    private const string Valid =
        "{\"v\":1,\"site\":\"site-1\",\"building\":\"b_2\",\"kind\":\"door\",\"id\":\"door-7\",\"role\":\"hold-open\"," +
        "\"mqtt\":{\"host\":\"edge.local\",\"port\":8883,\"tls\":true,\"user\":\"door-7\",\"password\":\"s3cr\\\"t\"}," +
        "\"pins\":{\"output\":12,\"fire\":4,\"door\":5}," +
        "\"params\":{\"fireInputClearMs\":1500,\"heartbeatMs\":20000,\"offset\":-3}}";

    [TestMethod]
    public void Parse_ValidBundle_ReadsEveryField()
    {
        DeviceConfig? config = Parse(Valid, out string? error);

        Assert.IsNull(error);
        Assert.IsNotNull(config);
        Assert.AreEqual("site-1", config.Site);
        Assert.AreEqual("b_2", config.Building);
        Assert.AreEqual("door", config.Kind);
        Assert.AreEqual("door-7", config.DeviceId);
        Assert.AreEqual("hold-open", config.Role);
        Assert.AreEqual("edge.local", config.MqttHost);
        Assert.AreEqual(8883, config.MqttPort);
        Assert.IsTrue(config.MqttTls);
        Assert.AreEqual("door-7", config.MqttUser);
        Assert.AreEqual("s3cr\"t", config.MqttPassword);
    }

    [TestMethod]
    public void Pin_NamedOrNot_ReturnsGpioOrMinusOne()
    {
        DeviceConfig config = Parse(Valid, out _)!;

        Assert.AreEqual(12, config.Pin("output"));
        Assert.AreEqual(4, config.Pin("fire"));
        Assert.AreEqual(5, config.Pin("door"));
        Assert.AreEqual(-1, config.Pin("buzzer"));
    }

    [TestMethod]
    [DataRow("-1")]
    [DataRow("256")]
    [DataRow("4294967300")]
    public void Pin_OutOfRange_ReturnsMinusOne(string pin)
    {
        DeviceConfig config = Parse(Valid.Replace("\"output\":12", "\"output\":" + pin, System.StringComparison.Ordinal), out _)!;

        Assert.AreEqual(-1, config.Pin("output"));
    }

    [TestMethod]
    public void Pin_CallerReusesBufferAfterParse_StillReadsTheParsedBundle()
    {
        byte[] buffer = System.Text.Encoding.UTF8.GetBytes(Valid);
        DeviceConfig config = DeviceConfig.Parse(buffer, buffer.Length, out _)!;

        System.Array.Fill(buffer, (byte)'x');

        Assert.AreEqual(12, config.Pin("output"));
        Assert.AreEqual(1500L, config.Parameter("fireInputClearMs", 1000));
    }

    [TestMethod]
    public void Parameter_PresentOrAbsent_ReturnsValueOrFallback()
    {
        DeviceConfig config = Parse(Valid, out _)!;

        Assert.AreEqual(1500L, config.Parameter("fireInputClearMs", 1000));
        Assert.AreEqual(20000L, config.Parameter("heartbeatMs", 30000));
        Assert.AreEqual(-3L, config.Parameter("offset", 0));
        Assert.AreEqual(42L, config.Parameter("missing", 42));
    }

    [TestMethod]
    public void Parse_NoPinsParamsRoleOrTls_UsesDefaults()
    {
        DeviceConfig? config = Parse(
            "{\"v\":1,\"site\":\"s\",\"building\":\"b\",\"kind\":\"smoke\",\"id\":\"d\",\"mqtt\":{\"host\":\"h\"}}",
            out string? error);

        Assert.IsNull(error);
        Assert.IsNotNull(config);
        Assert.AreEqual(1883, config.MqttPort);
        Assert.IsFalse(config.MqttTls);
        Assert.AreEqual(string.Empty, config.Role);
        Assert.AreEqual(string.Empty, config.MqttUser);
        Assert.AreEqual(-1, config.Pin("output"));
        Assert.AreEqual(7L, config.Parameter("heartbeatMs", 7));
    }

    [TestMethod]
    public void Parse_MissingMqtt_ReturnsNullWithError()
    {
        DeviceConfig? config = Parse("{\"v\":1,\"site\":\"s\",\"building\":\"b\",\"kind\":\"door\",\"id\":\"d\"}", out string? error);

        Assert.IsNull(config);
        Assert.IsNotNull(error);
        Assert.Contains("mqtt", error);
    }

    [TestMethod]
    [DataRow("{\"port\":1883}")]
    [DataRow("{\"host\":\"\",\"port\":1883}")]
    [DataRow("{\"host\":\"h\",\"port\":0}")]
    [DataRow("{\"host\":\"h\",\"port\":-1}")]
    [DataRow("{\"host\":\"h\",\"port\":65536}")]
    [DataRow("{\"host\":\"h\",\"port\":4294968179}")]
    [DataRow("\"h:1883\"")]
    public void Parse_UnusableMqtt_ReturnsNullWithError(string mqtt)
    {
        DeviceConfig? config = Parse("{\"v\":1,\"site\":\"s\",\"building\":\"b\",\"kind\":\"door\",\"id\":\"d\",\"mqtt\":" + mqtt + "}", out string? error);

        Assert.IsNull(config);
        Assert.IsNotNull(error);
        Assert.Contains("mqtt", error);
    }

    [TestMethod]
    [DataRow("host")]
    [DataRow("password")]
    public void Parse_StringLongerThanMaxText_ReturnsNullNamingTheField(string field)
    {
        string tooLong = new string('a', DeviceConfig.MaxTextBytes + 1);
        string json = Valid.Replace("\"" + field + "\":\"", "\"" + field + "\":\"" + tooLong, System.StringComparison.Ordinal);

        DeviceConfig? config = Parse(json, out string? error);

        Assert.IsNull(config);
        Assert.IsNotNull(error);
        Assert.Contains(field, error);
    }

    [TestMethod]
    public void Parse_PasswordWithNonAsciiCharacter_ReturnsNullWithError()
    {
        DeviceConfig? config = Parse(Valid.Replace("s3cr", "s3\u00e9cr", System.StringComparison.Ordinal), out string? error);

        Assert.IsNull(config);
        Assert.IsNotNull(error);
        Assert.Contains("password", error);
    }

    [TestMethod]
    [DataRow("id", "Door-7")]
    [DataRow("id", "door 7")]
    [DataRow("id", "door/7")]
    [DataRow("id", "door+")]
    [DataRow("id", "door#")]
    [DataRow("id", "")]
    [DataRow("id", "abcdefghijklmnopqrstuvwxyz0123456")]
    [DataRow("site", "site.1")]
    [DataRow("building", "B1")]
    [DataRow("kind", "d\\u00f6or")]
    public void Parse_BadLevelCharacters_ReturnsNullNamingTheField(string key, string value)
    {
        string json = Valid.Replace("\"" + key + "\":\"" + Original(key) + "\"", "\"" + key + "\":\"" + value + "\"");
        Assert.AreNotEqual(Valid, json, "the test must have replaced the field");

        DeviceConfig? config = Parse(json, out string? error);

        Assert.IsNull(config);
        Assert.IsNotNull(error);
        Assert.Contains("\"" + key + "\"", error);
    }

    [TestMethod]
    public void Parse_MissingId_ReturnsNullNamingTheField()
    {
        DeviceConfig? config = Parse(Valid.Replace("\"id\":\"door-7\",", string.Empty), out string? error);

        Assert.IsNull(config);
        Assert.IsNotNull(error);
        Assert.Contains("\"id\"", error);
    }

    [TestMethod]
    [DataRow("\"v\":2")]
    [DataRow("\"v\":0")]
    [DataRow("\"v\":\"1\"")]
    [DataRow("\"version\":1")]
    public void Parse_WrongVersion_ReturnsNullWithError(string version)
    {
        DeviceConfig? config = Parse(Valid.Replace("\"v\":1", version), out string? error);

        Assert.IsNull(config);
        Assert.IsNotNull(error);
        Assert.Contains("\"v\"", error);
    }

    [TestMethod]
    public void Parse_LargerThanMaxBytes_ReturnsNullWithError()
    {
        string fits = Padded(DeviceConfig.MaxBytes);
        string tooLarge = Padded(DeviceConfig.MaxBytes + 1);

        Assert.IsNotNull(Parse(fits, out _));
        DeviceConfig? config = Parse(tooLarge, out string? error);

        Assert.IsNull(config);
        Assert.IsNotNull(error);
        Assert.Contains("1024", error);
    }

    [TestMethod]
    [DataRow("")]
    [DataRow("not json")]
    [DataRow("[1]")]
    public void Parse_NotAJsonObject_ReturnsNullWithError(string json)
    {
        DeviceConfig? config = Parse(json, out string? error);

        Assert.IsNull(config);
        Assert.IsNotNull(error);
    }

    private static string Original(string key)
    {
        switch (key)
        {
            case "site": return "site-1";
            case "building": return "b_2";
            case "kind": return "door";
            default: return "door-7";
        }
    }

    private static string Padded(int totalLength)
    {
        string head = Valid.Substring(0, Valid.Length - 1) + ",\"note\":\"";
        return head + new string('x', totalLength - head.Length - 2) + "\"}";
    }

    private static DeviceConfig? Parse(string json, out string? error)
    {
        byte[] bytes = Published.Bytes(json);
        return DeviceConfig.Parse(bytes, bytes.Length, out error);
    }
}
