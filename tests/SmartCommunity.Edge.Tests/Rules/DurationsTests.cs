namespace SmartCommunity.Edge.Tests.Rules;

using System;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using SmartCommunity.Edge.Rules;

[TestClass]
public sealed class DurationsTests
{
    [TestMethod]
    [DataRow("30s", 30_000L)]
    [DataRow("5m", 300_000L)]
    [DataRow("2h", 7_200_000L)]
    [DataRow("1d", 86_400_000L)]
    [DataRow("250ms", 250L)]
    [DataRow("1h30m", 5_400_000L)]
    [DataRow("1m30s", 90_000L)]
    public void TryParse_WholeNumberWithUnit_ReadsIt(string text, long milliseconds)
    {
        Assert.IsTrue(Durations.TryParse(text, out TimeSpan duration, out string why), why);
        Assert.AreEqual(TimeSpan.FromMilliseconds(milliseconds), duration);
    }

    [TestMethod]
    [DataRow("")]
    [DataRow("30")]
    [DataRow("5x")]
    [DataRow("m5")]
    [DataRow("1.5m")]
    [DataRow("-5s")]
    [DataRow("0s")]
    [DataRow("5 m")]
    [DataRow("31d")]
    public void TryParse_NotADuration_SaysHowToWriteOne(string text)
    {
        Assert.IsFalse(Durations.TryParse(text, out _, out string why));
        Assert.IsFalse(string.IsNullOrEmpty(why));
    }

    [TestMethod]
    [DataRow("30s")]
    [DataRow("2h")]
    [DataRow("1h30m")]
    [DataRow("1d2h3m4s5ms")]
    public void Format_ParsedDuration_GivesTheSameText(string text)
    {
        Assert.IsTrue(Durations.TryParse(text, out TimeSpan duration, out _));
        Assert.AreEqual(text, Durations.Format(duration));
    }
}
