namespace SmartCommunity.Simulator.Tests.Scenarios;

using System;
using System.Linq;
using System.Xml.Linq;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using SmartCommunity.Simulator.Scenarios.Reporting;
using SmartCommunity.Simulator.Scenarios.Running;

/// <summary>The JUnit XML CI reads: a testsuite per scenario, a testcase per expectation, the failure with its reason.</summary>
[TestClass]
public sealed class JUnitReportTests
{
    [TestMethod]
    public void Build_FailedAndHeldExpectations_OneTestcaseEachWithTheFailure()
    {
        var result = new ScenarioResult("drill", "drill.yaml",
        [
            new ExpectationResult(12, TimeSpan.FromSeconds(5), "output", "output: b1 doors released (by 8s)", true, TimeSpan.FromSeconds(7.12), "met at 7.12s: all released"),
            new ExpectationResult(14, TimeSpan.FromSeconds(5), "no-command", "no command reaches b2 (throughout 5s..35s)", false, TimeSpan.FromSeconds(9), "broken at 9s: b2-lobby-entrance got lock"),
        ], TimeSpan.FromSeconds(35), TimeSpan.FromSeconds(1.5), 400, [], null);

        XDocument document = JUnitReport.Build([result], DateTimeOffset.UnixEpoch);

        XElement suite = document.Root!.Element("testsuite")!;
        Assert.AreEqual("2", suite.Attribute("tests")!.Value);
        Assert.AreEqual("1", suite.Attribute("failures")!.Value);
        XElement[] cases = suite.Elements("testcase").ToArray();
        Assert.IsNull(cases[0].Element("failure"));
        Assert.AreEqual("line 14 at 5s: no command reaches b2 (throughout 5s..35s)", cases[1].Attribute("name")!.Value);
        Assert.AreEqual("no command reaches b2 (throughout 5s..35s): broken at 9s: b2-lobby-entrance got lock", cases[1].Element("failure")!.Attribute("message")!.Value);
    }
}
