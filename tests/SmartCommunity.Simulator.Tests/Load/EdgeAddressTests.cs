namespace SmartCommunity.Simulator.Tests.Load;

using Microsoft.VisualStudio.TestTools.UnitTesting;
using SmartCommunity.Simulator.Load;

[TestClass]
public sealed class EdgeAddressTests
{
    [TestMethod]
    [DataRow("127.0.0.1:1883", "127.0.0.1", 1883, EdgeAddress.DefaultHttpPort)]
    [DataRow("127.0.0.1:1883,8081", "127.0.0.1", 1883, 8081)]
    [DataRow("127.3.4.5:2000,2001", "127.3.4.5", 2000, 2001)]
    [DataRow("localhost:1883", "127.0.0.1", 1883, EdgeAddress.DefaultHttpPort)]
    [DataRow("LOCALHOST:1883,9000", "127.0.0.1", 1883, 9000)]
    [DataRow("[::1]:1883,8080", "::1", 1883, 8080)]
    public void TryParse_LoopbackAddress_Accepted(string text, string host, int mqttPort, int httpPort)
    {
        Assert.IsTrue(EdgeAddress.TryParse(text, out EdgeAddress? address, out string error), error);
        Assert.AreEqual(new EdgeAddress(host, mqttPort, httpPort), address);
    }

    [TestMethod]
    [DataRow("10.0.0.5:1883")]
    [DataRow("192.168.1.20:1883,8080")]
    [DataRow("8.8.8.8:1883")]
    [DataRow("0.0.0.0:1883")]
    [DataRow("edge.example.net:1883")]
    [DataRow("[fe80::1]:1883")]
    public void TryParse_NonLoopbackHost_RefusedSayingLoopbackOnly(string text)
    {
        Assert.IsFalse(EdgeAddress.TryParse(text, out EdgeAddress? address, out string error));
        Assert.IsNull(address);
        StringAssert.Contains(error, "not a loopback address");
    }

    [TestMethod]
    [DataRow("127.0.0.1")]
    [DataRow("127.0.0.1:")]
    [DataRow("127.0.0.1:0")]
    [DataRow("127.0.0.1:65536")]
    [DataRow("127.0.0.1:-5")]
    [DataRow("127.0.0.1:18x3")]
    [DataRow("127.0.0.1:1883,")]
    [DataRow("127.0.0.1:1883,http")]
    [DataRow("[::1]1883")]
    [DataRow(":1883")]
    public void TryParse_BadPortOrShape_RefusedWithTheExpectedForm(string text)
    {
        Assert.IsFalse(EdgeAddress.TryParse(text, out _, out string error));
        StringAssert.Contains(error, "--edge");
    }

    [TestMethod]
    public void HttpBase_Ipv6Host_IsBracketed()
    {
        Assert.AreEqual("http://[::1]:8080/", new EdgeAddress("::1", 1883, 8080).HttpBase.ToString());
        Assert.AreEqual("http://127.0.0.1:8080/", new EdgeAddress("127.0.0.1", 1883, 8080).HttpBase.ToString());
    }
}
