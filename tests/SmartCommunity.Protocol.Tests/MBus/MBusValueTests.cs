namespace SmartCommunity.Protocol.Tests.MBus;

using Microsoft.VisualStudio.TestTools.UnitTesting;
using SmartCommunity.Protocol.MBus;

[TestClass]
public sealed class MBusValueTests
{
    [TestMethod]
    [DataRow(12345L, -3, "12.345")]
    [DataRow(7L, 2, "700")]
    [DataRow(-5L, -3, "-0.005")]
    [DataRow(0L, 3, "0")]
    [DataRow(0L, -3, "0")]
    [DataRow(1L, 0, "1")]
    [DataRow(-1234L, -2, "-12.34")]
    [DataRow(long.MinValue, -1, "-922337203685477580.8")]
    [DataRow(999999999999L, -12, "0.999999999999")]
    public void DecimalText_MantissaAndExponent_IsExact(long mantissa, int exponent, string expected)
    {
        Assert.AreEqual(expected, MBusValue.DecimalText(mantissa, exponent));
    }
}
