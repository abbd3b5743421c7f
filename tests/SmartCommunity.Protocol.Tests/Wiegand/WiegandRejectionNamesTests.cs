namespace SmartCommunity.Protocol.Tests.Wiegand;

using Microsoft.VisualStudio.TestTools.UnitTesting;
using SmartCommunity.Protocol.Wiegand;

[TestClass]
public sealed class WiegandRejectionNamesTests
{
    [TestMethod]
    [DataRow(WiegandRejection.Parity, "parity")]
    [DataRow(WiegandRejection.Length, "length")]
    [DataRow(WiegandRejection.Overflow, "length")]
    [DataRow(WiegandRejection.Timeout, "timeout")]
    [DataRow(WiegandRejection.QueueFull, "queue-full")]
    public void Name_Rejection_ReturnsBadFrameWhy(WiegandRejection rejection, string expected)
    {
        Assert.AreEqual(expected, WiegandRejectionNames.Name(rejection));
    }

    [TestMethod]
    public void Name_NoneOrUnknown_ReturnsNull()
    {
        Assert.IsNull(WiegandRejectionNames.Name(WiegandRejection.None));
        Assert.IsNull(WiegandRejectionNames.Name((WiegandRejection)42));
    }
}
