namespace SmartCommunity.Protocol.Tests;

using Microsoft.VisualStudio.TestTools.UnitTesting;
using SmartCommunity.Protocol;

[TestClass]
public sealed class TopicsTests
{
    [TestMethod]
    public void Device_Levels_JoinsUnderRootInOrder()
    {
        Assert.AreEqual("sc/v1/site-1/b_2/door/door-7/cmd", Topics.Device("site-1", "b_2", "door", "door-7", Channel.Command));
        Assert.AreEqual("sc/v1/s/b/smoke/d/telemetry", Topics.Device("s", "b", "smoke", "d", Channel.Telemetry));
    }

    [TestMethod]
    public void FireState_SiteAndBuilding_IsTheBuildingFireTopic()
    {
        Assert.AreEqual("sc/v1/site-1/b_2/fire", Topics.FireState("site-1", "b_2"));
    }

    [TestMethod]
    [DataRow("a")]
    [DataRow("site-1")]
    [DataRow("b_2")]
    [DataRow("0123456789")]
    [DataRow("abcdefghijklmnopqrstuvwxyz-_0123")]
    public void IsValidLevel_AllowedCharacters_ReturnsTrue(string level)
    {
        Assert.IsTrue(Topics.IsValidLevel(level));
    }

    [TestMethod]
    [DataRow(null)]
    [DataRow("")]
    [DataRow("abcdefghijklmnopqrstuvwxyz-_01234")]
    [DataRow("Site")]
    [DataRow("a/b")]
    [DataRow("+")]
    [DataRow("#")]
    [DataRow("a b")]
    [DataRow("a.b")]
    [DataRow("caf\u00e9")]
    [DataRow("a\u0000")]
    public void IsValidLevel_EmptyTooLongOrOtherCharacters_ReturnsFalse(string? level)
    {
        Assert.IsFalse(Topics.IsValidLevel(level));
    }
}
