namespace SmartCommunity.Edge.Tests.Rules;

using System;
using System.IO;
using System.Linq;
using System.Threading.Tasks;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using SmartCommunity.Edge.Rules;
using SmartCommunity.Edge.Tests.TestSupport;

/// <summary>The rules file changing under a running engine: reloads, bad files, the last good version, the watcher.</summary>
[TestClass]
public sealed class RuleEngineReloadTests
{
    private static readonly string AlertA = RuleEngineTests.Rules("""
        - name: a
          when: { event: { kind: smoke, event: pre-alarm } }
          then: [ { alert: { text: "A {device}" } } ]
        """);

    private static readonly string AlertB = RuleEngineTests.Rules("""
        - name: b
          when: { event: { kind: smoke, event: pre-alarm } }
          then: [ { alert: { text: "B {device}" } } ]
        """);

    [TestMethod]
    public async Task CheckForChangesAsync_FileChanged_NewRulesRunOldOnesStop()
    {
        await using RuleRig rig = await RuleRig.StartAsync(AlertA);
        DateTimeOffset firstLoad = rig.Engine.Status().LoadedAt!.Value;
        rig.Edge.Time.Advance(TimeSpan.FromSeconds(5));

        rig.WriteRules(AlertB);
        Assert.IsTrue(await rig.Engine.CheckForChangesAsync());
        await rig.EventAsync(DemoLayout.LobbySmoke, "pre-alarm");

        Assert.AreEqual("B b1-lobby-smoke", rig.OpenAlerts.Single().Text);
        RuleEngineStatus status = rig.Engine.Status();
        Assert.AreEqual((1, "b", firstLoad.AddSeconds(5)), (status.RuleCount, status.Rules.Single().Name, status.LoadedAt));
        CollectionAssert.AreEqual(new[] { "rules-loaded", "rules-loaded" }, rig.EdgeRecords(RuleEngine.RecordChannel).Select(r => r.Name).Where(n => n.StartsWith("rules-", StringComparison.Ordinal)).ToList());
    }

    [TestMethod]
    public async Task CheckForChangesAsync_ContentUnchanged_DoesNotReload()
    {
        await using RuleRig rig = await RuleRig.StartAsync(AlertA);
        rig.Edge.Time.Advance(TimeSpan.FromMinutes(1));

        rig.WriteRules(AlertA);

        Assert.IsFalse(await rig.Engine.CheckForChangesAsync());
        Assert.AreEqual(EdgeParts.Start, rig.Engine.Status().LoadedAt);
    }

    [TestMethod]
    [DataRow("unknown key", "when: { event: { kind: smoke, event: pre-alarm } }", "alert: { txt: x }", 7L, "unknown key 'txt'")]
    [DataRow("bad duration", "held: { kind: door, fields: { door: open }, for: 2 min }", "alert: { text: x }", 5L, "'2 min' is not a duration")]
    [DataRow("unknown command", "when: { event: { kind: smoke, event: pre-alarm } }", "command: { cmd: explode, to: { kind: door } }", 7L, "unknown command 'explode'")]
    [DataRow("bad selector", "when: { event: { kind: smoke, event: pre-alarm } }", "command: { cmd: release, to: { devices: [ghost] } }", 7L, "unknown device 'ghost'")]
    [DataRow("invalid YAML", "when: { event: { kind: smoke, event: pre-alarm }", "relay: {}", 5L, "not valid YAML")]
    public async Task CheckForChangesAsync_BadFile_PreviousRulesKeepRunningAndTheErrorHasFileAndLine(string what, string trigger, string action, long line, string reason)
    {
        await using RuleRig rig = await RuleRig.StartAsync(AlertA);

        rig.WriteRules(BadRule(trigger.StartsWith("when: ", StringComparison.Ordinal) ? trigger["when: ".Length..] : trigger, action));
        Assert.IsFalse(await rig.Engine.CheckForChangesAsync(), what);
        await rig.EventAsync(DemoLayout.LobbySmoke, "pre-alarm");

        Assert.AreEqual("A b1-lobby-smoke", rig.OpenAlerts.Single().Text, "the rules loaded before still run");
        RuleEngineStatus status = rig.Engine.Status();
        Assert.AreEqual((1, "a", EdgeParts.Start), (status.RuleCount, status.Rules.Single().Name, status.LoadedAt));
        RuleLoadError error = status.LastLoadError!;
        Assert.AreEqual((rig.RulesPath, line), (error.File, error.Line), error.Message);
        StringAssert.Contains(error.Reason, reason);
        StringAssert.StartsWith(error.Message, $"{rig.RulesPath}:{line}:");
        Assert.AreEqual("rules-rejected", rig.EdgeRecords(RuleEngine.RecordChannel).Last(r => r.Name.StartsWith("rules-", StringComparison.Ordinal)).Name);
    }

    [TestMethod]
    public async Task CheckForChangesAsync_BadFileThenFixed_LoadsAndClearsTheError()
    {
        await using RuleRig rig = await RuleRig.StartAsync(AlertA);
        rig.WriteRules("schema: 1\nrules: [ oops\n");
        await rig.Engine.CheckForChangesAsync();
        Assert.IsNotNull(rig.Engine.Status().LastLoadError);

        rig.WriteRules(AlertB);
        Assert.IsTrue(await rig.Engine.CheckForChangesAsync());

        Assert.AreEqual(("b", null), (rig.Engine.Status().Rules.Single().Name, rig.Engine.Status().LastLoadError));
    }

    [TestMethod]
    public async Task CheckForChangesAsync_FileDeleted_RulesKeepRunningAndStatusSaysItIsMissing()
    {
        await using RuleRig rig = await RuleRig.StartAsync(AlertA);

        File.Delete(rig.RulesPath);
        Assert.IsFalse(await rig.Engine.CheckForChangesAsync());

        RuleEngineStatus status = rig.Engine.Status();
        Assert.AreEqual(1, status.RuleCount);
        StringAssert.Contains(status.LastLoadError!.Reason, "the rules file is missing");
    }

    [TestMethod]
    public async Task StartAsync_BadFileAtBoot_RunsTheLastVersionThatLoaded()
    {
        await using RuleRig rig = await RuleRig.StartAsync(AlertA);
        rig.WriteRules(AlertA.Replace("pre-alarm", "pre-alarm, oops: 1", StringComparison.Ordinal));

        await rig.RestartAsync(TimeSpan.FromMinutes(1));
        await rig.EventAsync(DemoLayout.LobbySmoke, "pre-alarm");

        RuleEngineStatus status = rig.Engine.Status();
        Assert.AreEqual((true, 1), (status.RunningLastGood, status.RuleCount));
        StringAssert.Contains(status.LastLoadError!.Reason, "unknown key 'oops'");
        Assert.AreEqual("A b1-lobby-smoke", rig.OpenAlerts.Single().Text);
    }

    [TestMethod]
    public async Task StartAsync_BadFileNeverLoadedBefore_NoRulesAndTheError()
    {
        await using RuleRig rig = await RuleRig.StartAsync("schema: 1\nrules:\n  - name: r\n");

        RuleEngineStatus status = rig.Engine.Status();
        Assert.AreEqual((0, false), (status.RuleCount, status.RunningLastGood));
        Assert.AreEqual(3L, status.LastLoadError!.Line, status.LastLoadError.Message);
    }

    [TestMethod]
    public async Task CheckForChangesAsync_OnlyTheActionChanged_HeldTimerKeepsRunning()
    {
        await using RuleRig rig = await RuleRig.StartAsync(RuleEngineTests.HeldOpen);
        await rig.StateAsync(DemoLayout.StairDoor, "\"door\":\"open\"");
        await rig.AdvanceAsync(TimeSpan.FromMinutes(1));

        rig.WriteRules(RuleEngineTests.HeldOpen.Replace("{device} open for {for}", "still open: {device}", StringComparison.Ordinal));
        Assert.IsTrue(await rig.Engine.CheckForChangesAsync());
        await rig.AdvanceAsync(TimeSpan.FromMinutes(1));

        Assert.AreEqual("still open: b1-stair-door", rig.OpenAlerts.Single().Text, "the minute before the reload counted");
    }

    [TestMethod]
    public async Task CheckForChangesAsync_TriggerChanged_ItsTimersStartAgain()
    {
        await using RuleRig rig = await RuleRig.StartAsync(RuleEngineTests.HeldOpen);
        await rig.StateAsync(DemoLayout.StairDoor, "\"door\":\"open\"");
        await rig.AdvanceAsync(TimeSpan.FromMinutes(1));

        rig.WriteRules(RuleEngineTests.HeldOpen.Replace("for: 2m", "for: 3m", StringComparison.Ordinal));
        Assert.IsTrue(await rig.Engine.CheckForChangesAsync());
        Assert.AreEqual(0, rig.Engine.Status().PendingTimers);
        await rig.StateAsync(DemoLayout.StairDoor, "\"door\":\"open\"");
        await rig.AdvanceAsync(TimeSpan.FromSeconds(179));
        Assert.IsEmpty(rig.OpenAlerts);

        await rig.AdvanceAsync(TimeSpan.FromSeconds(1));
        Assert.AreEqual("b1-stair-door open for 3m", rig.OpenAlerts.Single().Text);
    }

    [TestMethod]
    public async Task FileWatcher_FileRewritten_ReloadsAfterTheDebounce()
    {
        await using RuleRig rig = await RuleRig.StartAsync(AlertA, new RuleEngineOptions { WatchFile = true, ReloadDebounce = TimeSpan.FromSeconds(1), ChangeCheckInterval = TimeSpan.FromHours(1) });

        rig.WriteRules(AlertB);
        await Eventually.WaitUntilAsync(() => rig.Engine.Status().ReloadPending, "the watcher sees the file change");
        Assert.AreEqual("a", rig.Engine.Status().Rules.Single().Name, "nothing loads before the debounce has passed");
        rig.Edge.Time.Advance(TimeSpan.FromSeconds(1));

        await Eventually.WaitUntilAsync(() => rig.Engine.Status().Rules.Single().Name == "b", "the new rules are loaded");
    }

    [TestMethod]
    public async Task ChangeCheck_WithoutTheWatcher_PeriodicHashCheckReloads()
    {
        await using RuleRig rig = await RuleRig.StartAsync(AlertA, new RuleEngineOptions { WatchFile = false, ChangeCheckInterval = TimeSpan.FromSeconds(30) });

        rig.WriteRules(AlertB);
        rig.Edge.Time.Advance(TimeSpan.FromSeconds(30));

        await Eventually.WaitUntilAsync(() => rig.Engine.Status().Rules.Single().Name == "b", "the periodic check loads the new rules");
    }

    private static string BadRule(string trigger, string action) => $"""
        schema: 1
        rules:
          - name: bad
            when:
              {trigger}
            then:
              - {action}
        """;
}
