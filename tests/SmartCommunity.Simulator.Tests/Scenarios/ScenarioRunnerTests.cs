namespace SmartCommunity.Simulator.Tests.Scenarios;

using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading.Tasks;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using SmartCommunity.Simulator.Scenarios;
using SmartCommunity.Simulator.Scenarios.Running;

/// <summary>
/// The scenario library, run as CI runs it (in-process, virtual time, the real edge on loopback), and the runner's
/// promises: a wrong expectation fails readably, and a run repeats exactly. Not parallel: the runner's quiescence
/// check watches the whole process's thread pool.
/// </summary>
[TestClass]
[DoNotParallelize]
public sealed class ScenarioRunnerTests
{
    public static IEnumerable<object[]> Library => ScenarioFiles.LibraryRows;

    [TestMethod]
    public void Library_HasTheScenariosOfIssue4()
    {
        ScenarioFiles.AssertLibraryHas("fire-drill.yaml", "door-reboot-during-alarm.yaml", "device-offline-and-back.yaml", "edge-restart-during-alarm.yaml", "upstream-outage.yaml", "malformed-messages.yaml");
    }

    [TestMethod]
    public void Library_HasTheScenariosOfIssue5()
    {
        ScenarioFiles.AssertLibraryHas(
            "cross-zone-confirmation.yaml", "pre-alarm-only.yaml", "manual-call-point.yaml", "detector-fault-during-alarm.yaml",
            "hush-during-alarm.yaml", "detector-test-button.yaml", "leak-closes-valve-offline.yaml", "valve-stuck.yaml",
            "leak-during-fire.yaml", "call-acknowledged-by-operator.yaml", "call-acknowledged-by-callback.yaml", "call-escalated.yaml",
            "welfare-no-activity.yaml", "reset-refused-while-in-alarm.yaml", "forced-reset-offline-detector.yaml");
    }

    [TestMethod]
    public void Library_HasTheScenariosOfIssue6()
    {
        ScenarioFiles.AssertLibraryHas(
            "access-card-granted-offline.yaml", "access-expired-card.yaml", "access-forced-door.yaml", "access-held-open-door.yaml",
            "access-fire-releases-doors.yaml", "access-list-sync-after-offline.yaml", "access-anti-passback.yaml", "access-bad-frame.yaml", "access-list-full.yaml");
    }

    [TestMethod]
    [DynamicData(nameof(Library))]
    public async Task RunAsync_LibraryScenario_EveryExpectationHolds(string file)
    {
        Scenario scenario = ScenarioLoader.CreateDefault().Load(Path.Combine(ScenarioFiles.Library, file));

        ScenarioResult result = await new ScenarioRunner().RunAsync(scenario);

        Assert.IsTrue(result.Passed, ScenarioFiles.Describe(result));
        Assert.IsNotEmpty(result.Expectations);
    }

    [TestMethod]
    public async Task RunAsync_WrongExpectation_FailsWithWhatWasSeen()
    {
        Scenario scenario = ScenarioLoader.CreateDefault().Load(Path.Combine(ScenarioFiles.TestData, "wrong-expectation.yaml"));

        ScenarioResult result = await new ScenarioRunner().RunAsync(scenario);

        Assert.IsFalse(result.Passed);
        Assert.IsNull(result.Error);
        ExpectationResult[] failed = result.Expectations.Where(e => !e.Held).ToArray();
        Assert.HasCount(2, failed, ScenarioFiles.Describe(result));
        Assert.AreEqual(17, failed[0].Line);
        Assert.AreEqual("output: b2-lobby-entrance, b2-stair-door: output released (by 7s)", failed[0].Description);
        Assert.AreEqual("not met by 7s: b2-lobby-entrance, b2-stair-door are energised", failed[0].Detail);
        Assert.AreEqual(TimeSpan.FromSeconds(7), failed[0].DecidedAt);
        Assert.AreEqual("not met by 7s: b2-lobby-entrance got no release", failed[1].Detail);
        Assert.IsTrue(result.Expectations.Where(e => e.Line is 10 or 16).All(e => e.Held), "the right expectations of the file still hold");
    }

    [TestMethod]
    [DataRow("fire-drill.yaml")]
    [DataRow("device-offline-and-back.yaml")]
    [DataRow("valve-stuck.yaml")]
    [DataRow("access-anti-passback.yaml")]
    public async Task RunAsync_SameScenarioTwice_SameVirtualTimes(string file)
    {
        Scenario scenario = ScenarioLoader.CreateDefault().Load(Path.Combine(ScenarioFiles.Library, file));

        ScenarioResult first = await new ScenarioRunner().RunAsync(scenario);
        ScenarioResult second = await new ScenarioRunner().RunAsync(scenario);

        Assert.IsEmpty(first.SettleTimeouts, string.Join("\n", first.SettleTimeouts));
        Assert.IsEmpty(second.SettleTimeouts, string.Join("\n", second.SettleTimeouts));
        CollectionAssert.AreEqual(ScenarioFiles.DecisionTimes(first), ScenarioFiles.DecisionTimes(second));
        Assert.AreEqual(first.Ticks, second.Ticks);
    }
}
