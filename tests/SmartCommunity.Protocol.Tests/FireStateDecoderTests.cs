namespace SmartCommunity.Protocol.Tests;

using System.Text;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using SmartCommunity.Protocol;

[TestClass]
public sealed class FireStateDecoderTests
{
    [TestMethod]
    [DataRow("{\"v\":1,\"state\":\"clear\"}", FireState.Clear)]
    [DataRow("{\"v\":1,\"state\":\"alarm\"}", FireState.Alarm)]
    [DataRow("{ \"since\":\"2025-01-01T00:00:00Z\", \"state\" : \"alarm\", \"zones\":[\"b1\"], \"v\" : 1 }", FireState.Alarm)]
    public void Decode_WellFormed_ReturnsState(string json, FireState expected)
    {
        Assert.AreEqual(expected, Decode(json));
    }

    [TestMethod]
    [DataRow("")]
    [DataRow("garbage")]
    [DataRow("{\"v\":1,\"state\":\"alarm\"")]
    [DataRow("{\"state\":\"alarm\"}")]
    [DataRow("{\"v\":2,\"state\":\"alarm\"}")]
    [DataRow("{\"v\":1}")]
    [DataRow("{\"v\":1,\"state\":\"ALARM\"}")]
    [DataRow("{\"v\":1,\"state\":\"fire\"}")]
    [DataRow("{\"v\":1,\"state\":true}")]
    [DataRow("{\"v\":1,\"state\":\"cle\\u0061r\"}")]
    public void Decode_MalformedOrUnknown_ReturnsUnknown(string json)
    {
        Assert.AreEqual(FireState.Unknown, Decode(json));
    }

    [TestMethod]
    public void Decode_LargerThanDownlinkLimit_ReturnsUnknown()
    {
        const string head = "{\"v\":1,\"state\":\"clear\",\"pad\":\"";
        string fits = head + new string('x', MessageLimits.MaxDownlinkBytes - head.Length - 2) + "\"}";
        string tooLarge = head + new string('x', MessageLimits.MaxDownlinkBytes - head.Length - 1) + "\"}";

        Assert.AreEqual(FireState.Clear, Decode(fits));
        Assert.AreEqual(FireState.Unknown, Decode(tooLarge));
    }

    private static FireState Decode(string json)
    {
        byte[] payload = Encoding.UTF8.GetBytes(json);
        return new FireStateDecoder().Decode(payload, payload.Length);
    }
}
