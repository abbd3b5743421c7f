namespace SmartCommunity.Edge.Tests.Rules;

using System;
using System.Linq;
using System.Text.Json;
using System.Threading.Tasks;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using SmartCommunity.Edge.Alerts;
using SmartCommunity.Edge.Rules;
using SmartCommunity.Edge.Storage;
using SmartCommunity.Edge.Tests.TestSupport;
using SmartCommunity.Protocol;

[TestClass]
public sealed class RuleEngineTests
{
    private const string LobbySmoke = DemoLayout.LobbySmoke;
    private const string FirstFloorSmoke = DemoLayout.FirstFloorSmoke;
    private const string QuietSmoke = "b2-lobby-smoke";
    private const string Entrance = DemoLayout.LobbyEntrance;
    private const string StairDoor = DemoLayout.StairDoor;
    private const string QuietEntrance = "b2-lobby-entrance";

    [TestMethod]
    public async Task OnMessageAsync_MatchingEvent_RaisesAlertWithPlaceholdersFilledIn()
    {
        await using RuleRig rig = await RuleRig.StartAsync(Rules("""
            - name: pre-alarm
              when: { event: { kind: smoke, event: pre-alarm } }
              then:
                - alert: { severity: critical, text: "{event} at {device} in {building}/{floor}/{zone} ({rule})" }
            """));

        await rig.EventAsync(LobbySmoke, "pre-alarm", "\"level\":700");

        Alert alert = rig.OpenAlerts.Single();
        Assert.AreEqual(("pre-alarm at b1-lobby-smoke in b1/ground/lobby (pre-alarm)", AlertSeverity.Critical, LobbySmoke, "b1", "pre-alarm"),
            (alert.Text, alert.Severity, alert.Device, alert.Building, alert.Rule));
        RuleStatus status = rig.Rule("pre-alarm");
        Assert.AreEqual((1L, LobbySmoke, EdgeParts.Start), (status.Firings, status.LastFiredBy, status.LastFiredAt));
        Assert.AreEqual("rule-fired", rig.EdgeRecords(RuleEngine.RecordChannel).Single(r => r.Name == "rule-fired").Name);
    }

    [TestMethod]
    public async Task OnMessageAsync_OtherEventOrOtherKind_DoesNotFire()
    {
        await using RuleRig rig = await RuleRig.StartAsync(Rules("""
            - name: pre-alarm
              when: { event: { kind: smoke, event: pre-alarm } }
              then: [ { alert: { text: x } } ]
            """));

        await rig.EventAsync(LobbySmoke, "pre-alarm-cleared");
        await rig.StateAsync(LobbySmoke, "\"state\":\"pre-alarm\"");
        await rig.EventAsync(Entrance, "pre-alarm");

        Assert.IsEmpty(rig.OpenAlerts);
        Assert.AreEqual(0L, rig.Rule("pre-alarm").Firings);
    }

    [TestMethod]
    public async Task OnMessageAsync_FieldAboveALevel_FiresWhenItBecomesTrueNotOnEveryReading()
    {
        await using RuleRig rig = await RuleRig.StartAsync(Rules("""
            - name: smoky
              when: { event: { kind: smoke, channel: telemetry, fields: { level: { above: 500 } } } }
              then: [ { relay: {} } ]
            """));

        foreach (int level in new[] { 400, 600, 700, 300, 650 })
        {
            await rig.TelemetryAsync(LobbySmoke, $"\"level\":{level}");
        }

        Assert.AreEqual(2L, rig.Rule("smoky").Firings, "600 and 650 cross the level; 700 only repeats it");
    }

    [TestMethod]
    public async Task OnMessageAsync_StateFieldValues_FireOnTheChangeNotOnHeartbeats()
    {
        await using RuleRig rig = await RuleRig.StartAsync(Rules("""
            - name: fault
              when: { event: { kind: smoke, state: { state: fault } } }
              then: [ { alert: { text: "{device} faulty" } } ]
            """));

        await rig.StateAsync(LobbySmoke, "\"state\":\"normal\"");
        await rig.StateAsync(LobbySmoke, "\"state\":\"fault\"");
        await rig.StateAsync(LobbySmoke, "\"state\":\"fault\"");
        await rig.StateAsync(FirstFloorSmoke, "\"state\":\"fault\"");

        Assert.AreEqual(2L, rig.Rule("fault").Firings, "once per device, not per heartbeat");
    }

    [TestMethod]
    public async Task OnMessageAsync_TriggerLimitedToABuilding_IgnoresOtherBuildings()
    {
        await using RuleRig rig = await RuleRig.StartAsync(Rules("""
            - name: b2-only
              when: { event: { kind: smoke, building: b2, event: pre-alarm } }
              then: [ { alert: { text: x } } ]
            """));

        await rig.EventAsync(LobbySmoke, "pre-alarm");
        await rig.EventAsync(QuietSmoke, "pre-alarm");

        Assert.AreEqual(QuietSmoke, rig.OpenAlerts.Single().Device);
    }

    [TestMethod]
    public async Task OnPresenceChangedAsync_WillThenHeartbeatTimeout_FiresOncePerOfflineSpell()
    {
        await using RuleRig rig = await RuleRig.StartAsync(Rules("""
            - name: offline
              when: { event: { kind: door, presence: offline } }
              then: [ { alert: { text: "{device} offline" } } ]
            """));
        await rig.StateAsync(Entrance, "\"door\":\"closed\"");

        await rig.WillAsync(Entrance);
        await rig.Engine.OnPresenceChangedAsync(rig.Edge.Device(Entrance), online: false);
        Assert.AreEqual(1L, rig.Rule("offline").Firings, "the Will and the twins' timeout are one offline spell");

        await rig.StateAsync(Entrance, "\"door\":\"closed\"");
        await rig.Engine.OnPresenceChangedAsync(rig.Edge.Device(Entrance), online: false);
        Assert.AreEqual(2L, rig.Rule("offline").Firings);
    }

    [TestMethod]
    [DataRow("device", new string[0])]
    [DataRow("zone", new[] { Entrance })]
    [DataRow("floor", new[] { Entrance, StairDoor })]
    [DataRow("building", new[] { Entrance, StairDoor, DemoLayout.FirstFloorExit })]
    [DataRow("site", new[] { Entrance, StairDoor, DemoLayout.FirstFloorExit, QuietEntrance, "b2-stair-door" })]
    public async Task OnMessageAsync_CommandWithScope_ReachesTheDoorsAroundTheTrigger(string scope, string[] expected)
    {
        await using RuleRig rig = await RuleRig.StartAsync(Rules($$"""
            - name: release-around
              when: { event: { kind: smoke, event: pre-alarm } }
              then:
                - command: { cmd: release, to: { kind: door, scope: {{scope}} } }
            """));

        await rig.EventAsync(LobbySmoke, "pre-alarm");

        CollectionAssert.AreEquivalent(expected, rig.Edge.Downlink.Commands.Select(c => c.Topic.Split('/')[5]).ToList());
        Assert.AreEqual((long)expected.Length, rig.Rule("release-around").CommandsSent);
        if (expected.Length == 0)
        {
            StringAssert.Contains(rig.Rule("release-around").LastError, "found no device");
        }
    }

    [TestMethod]
    public async Task OnMessageAsync_RuleLocksADoorDuringAFire_RefusedNothingPublishedRefusalOnStatus()
    {
        await using RuleRig rig = await RuleRig.StartAsync(LockOnClose);
        await rig.EventAsync(LobbySmoke, "alarm");
        Assert.IsTrue(rig.Edge.FireRule.IsLatched("b1"));

        await rig.EventAsync(Entrance, "door-closed", "\"door\":\"closed\"");

        CollectionAssert.AreEqual(new[] { CommandNames.Release }, rig.CommandNamesTo(Entrance).ToList(), "only the fire rule's release went to the door");
        RuleStatus status = rig.Rule("lock-on-close");
        Assert.AreEqual((1L, 0L, 1L), (status.Firings, status.CommandsSent, status.CommandsRefused));
        Assert.AreEqual((Entrance, CommandNames.Lock), (status.LastRefusal!.Device, status.LastRefusal.Command));
        StringAssert.Contains(status.LastRefusal.Reason, "fire alarm stands in building b1");
        StoredEvent refused = rig.Edge.Log.ReadRecent(100, Entrance).Single(e => e.Name == "command-refused");
        using JsonDocument details = JsonDocument.Parse(refused.Payload);
        Assert.AreEqual(("Rule", "lock-on-close"), (details.RootElement.GetProperty("origin").GetString(), details.RootElement.GetProperty("by").GetString()));
    }

    [TestMethod]
    public async Task OnMessageAsync_RuleLocksADoorWithoutAFire_LockIsSent()
    {
        await using RuleRig rig = await RuleRig.StartAsync(LockOnClose);
        await rig.EventAsync(LobbySmoke, "alarm");

        await rig.EventAsync(QuietEntrance, "door-closed", "\"door\":\"closed\"");

        JsonElement command = rig.CommandsTo(QuietEntrance).Single();
        Assert.AreEqual(CommandNames.Lock, command.GetProperty("cmd").GetString());
        StringAssert.StartsWith(command.GetProperty("reason").GetString(), "rule lock-on-close: door-closed at b2-lobby-entrance");
        Assert.AreEqual((1L, 0L), (rig.Rule("lock-on-close").CommandsSent, rig.Rule("lock-on-close").CommandsRefused));
    }

    [TestMethod]
    public async Task OnMessageAsync_RuleOnTheSmokeAlarmItselfLocksDoors_FireRuleLatchesFirstSoEveryLockIsRefused()
    {
        await using RuleRig rig = await RuleRig.StartAsync(Rules("""
            - name: lock-on-alarm
              when: { event: { kind: smoke, event: alarm, scope: building } }
              then: [ { command: { cmd: lock, to: { kind: door } } } ]
            """));

        await rig.EventAsync(LobbySmoke, "alarm");

        Assert.IsFalse(rig.Edge.Downlink.Commands.Any(c => c.Json.GetProperty("cmd").GetString() == CommandNames.Lock), "no lock reached any door");
        Assert.AreEqual(3L, rig.Rule("lock-on-alarm").CommandsRefused);
    }

    [TestMethod]
    public async Task OnMessageAsync_UnlockWithADuration_CarriesItsMs()
    {
        await using RuleRig rig = await RuleRig.StartAsync(Rules("""
            - name: let-in
              when: { event: { devices: [b2-lobby-entrance], event: door-opened } }
              then: [ { command: { cmd: unlock, to: { kind: door, scope: device }, ms: 30s } } ]
            """));

        await rig.EventAsync(QuietEntrance, "door-opened");

        JsonElement unlock = rig.CommandsTo(QuietEntrance).Single();
        Assert.AreEqual((CommandNames.Unlock, 30_000L), (unlock.GetProperty("cmd").GetString(), unlock.GetProperty("ms").GetInt64()));
    }

    [TestMethod]
    public async Task EvaluateDueAsync_ConditionHeldForTheDuration_FiresOnce()
    {
        await using RuleRig rig = await RuleRig.StartAsync(HeldOpen);

        await rig.StateAsync(StairDoor, "\"door\":\"open\"");
        await rig.AdvanceAsync(TimeSpan.FromSeconds(119));
        Assert.IsEmpty(rig.OpenAlerts);

        await rig.AdvanceAsync(TimeSpan.FromSeconds(1));
        Alert alert = rig.OpenAlerts.Single();
        Assert.AreEqual("b1-stair-door open for 2m", alert.Text);

        await rig.StateAsync(StairDoor, "\"door\":\"open\"");
        await rig.AdvanceAsync(TimeSpan.FromMinutes(5));
        Assert.AreEqual(1L, rig.Rule("held-open").Firings, "one firing per spell, heartbeats do not restart it");
    }

    [TestMethod]
    public async Task EvaluateDueAsync_ConditionEndsBeforeTheDuration_DoesNotFire()
    {
        await using RuleRig rig = await RuleRig.StartAsync(HeldOpen);

        await rig.EventAsync(StairDoor, "door-opened", "\"door\":\"open\"");
        await rig.AdvanceAsync(TimeSpan.FromSeconds(90));
        await rig.EventAsync(StairDoor, "door-closed", "\"door\":\"closed\"");
        await rig.AdvanceAsync(TimeSpan.FromMinutes(5));

        Assert.IsEmpty(rig.OpenAlerts);
        Assert.AreEqual(0, rig.Engine.Status().PendingTimers);
    }

    [TestMethod]
    public async Task EvaluateDueAsync_ConditionEndsAndHoldsAgain_FiresAgain()
    {
        await using RuleRig rig = await RuleRig.StartAsync(HeldOpen);
        await rig.StateAsync(StairDoor, "\"door\":\"open\"");
        await rig.AdvanceAsync(TimeSpan.FromMinutes(2));

        await rig.StateAsync(StairDoor, "\"door\":\"closed\"");
        await rig.StateAsync(StairDoor, "\"door\":\"open\"");
        await rig.AdvanceAsync(TimeSpan.FromMinutes(2));

        Assert.AreEqual(2L, rig.Rule("held-open").Firings);
        Assert.AreEqual(1, rig.OpenAlerts.Single().Repeats, "the open alert counts the repeat");
    }

    [TestMethod]
    public async Task EvaluateDueAsync_OtherDoorsConditionOrRole_NotTimed()
    {
        await using RuleRig rig = await RuleRig.StartAsync(HeldOpen);

        await rig.StateAsync(Entrance, "\"door\":\"open\"");
        await rig.StateAsync(StairDoor, "\"door\":\"closed\"");
        await rig.AdvanceAsync(TimeSpan.FromMinutes(3));

        Assert.IsEmpty(rig.OpenAlerts, "the entrance is an egress lock, and the stair door is closed");
    }

    [TestMethod]
    public async Task EvaluateDueAsync_DeviceSilentForTheDuration_FiresForThatDeviceOnly()
    {
        await using RuleRig rig = await RuleRig.StartAsync(SilentSmoke("device"));

        for (int minute = 0; minute < 6; minute++)
        {
            await rig.TelemetryAsync(LobbySmoke, "\"level\":10");
            await rig.AdvanceAsync(TimeSpan.FromMinutes(1));
        }

        CollectionAssert.AreEquivalent(new[] { FirstFloorSmoke, QuietSmoke }, rig.OpenAlerts.Select(a => a.Device).ToList());
        Assert.AreEqual("b1-f1-smoke silent for 5m", rig.OpenAlerts.Single(a => a.Device == FirstFloorSmoke).Text);
    }

    [TestMethod]
    public async Task EvaluateDueAsync_SilentDeviceReportsAgain_RearmsTheWindow()
    {
        await using RuleRig rig = await RuleRig.StartAsync(SilentSmoke("device"));
        await rig.AdvanceAsync(TimeSpan.FromMinutes(5));
        Assert.AreEqual(3L, rig.Rule("silent").Firings);

        await rig.TelemetryAsync(LobbySmoke, "\"level\":10");
        await rig.AdvanceAsync(TimeSpan.FromMinutes(4));
        Assert.AreEqual(3L, rig.Rule("silent").Firings, "fired once per silence, re-armed by the data");

        await rig.AdvanceAsync(TimeSpan.FromMinutes(1));
        Assert.AreEqual(4L, rig.Rule("silent").Firings);
    }

    [TestMethod]
    public async Task EvaluateDueAsync_AbsenceInABuilding_AnyDeviceOfItKeepsItQuiet()
    {
        await using RuleRig rig = await RuleRig.StartAsync(SilentSmoke("building"));

        for (int minute = 0; minute < 6; minute++)
        {
            await rig.StateAsync(FirstFloorSmoke, "\"state\":\"normal\"");
            await rig.AdvanceAsync(TimeSpan.FromMinutes(1));
        }

        Alert alert = rig.OpenAlerts.Single();
        Assert.AreEqual(("b2", null, "building b2 silent for 5m"), (alert.Building, alert.Device, alert.Text));
    }

    [TestMethod]
    public async Task OnMessageAsync_TwoDetectorsOfOneBuildingWithinTheWindow_Fires()
    {
        await using RuleRig rig = await RuleRig.StartAsync(TwoPreAlarms("building", distinct: true));

        await rig.EventAsync(LobbySmoke, "pre-alarm");
        await rig.AdvanceAsync(TimeSpan.FromSeconds(59));
        await rig.EventAsync(FirstFloorSmoke, "pre-alarm");

        Alert alert = rig.OpenAlerts.Single();
        Assert.AreEqual(("2 in building b1", "b1"), (alert.Text, alert.Building));
    }

    [TestMethod]
    public async Task OnMessageAsync_SecondDetectorAfterTheWindow_DoesNotFire()
    {
        await using RuleRig rig = await RuleRig.StartAsync(TwoPreAlarms("building", distinct: true));

        await rig.EventAsync(LobbySmoke, "pre-alarm");
        await rig.AdvanceAsync(TimeSpan.FromSeconds(60));
        await rig.EventAsync(FirstFloorSmoke, "pre-alarm");

        Assert.IsEmpty(rig.OpenAlerts);
        Assert.AreEqual(1, rig.Engine.Status().PendingTimers, "the second pre-alarm opens a new window");
    }

    [TestMethod]
    public async Task OnMessageAsync_DetectorsInDifferentScopes_DoNotCountTogether()
    {
        await using RuleRig rig = await RuleRig.StartAsync(TwoPreAlarms("zone", distinct: true));

        await rig.EventAsync(LobbySmoke, "pre-alarm");
        await rig.EventAsync(FirstFloorSmoke, "pre-alarm");
        await rig.EventAsync(QuietSmoke, "pre-alarm");

        Assert.IsEmpty(rig.OpenAlerts, "three zones, one detector each");
    }

    [TestMethod]
    [DataRow(true, 0L)]
    [DataRow(false, 1L)]
    public async Task OnMessageAsync_OneDetectorTwice_CountsOnlyWhenNotDistinct(bool distinct, long firings)
    {
        await using RuleRig rig = await RuleRig.StartAsync(TwoPreAlarms("building", distinct));

        await rig.EventAsync(LobbySmoke, "pre-alarm");
        await rig.EventAsync(LobbySmoke, "pre-alarm");

        Assert.AreEqual(firings, rig.Rule("two").Firings);
    }

    [TestMethod]
    public async Task OnMessageAsync_Relay_AppendsAPriorityRecordWithTheTriggeringMessage()
    {
        await using RuleRig rig = await RuleRig.StartAsync(Rules("""
            - name: forward
              when: { event: { kind: smoke, event: pre-alarm } }
              then: [ { relay: { note: "seen at {device}" } } ]
            """));

        await rig.EventAsync(LobbySmoke, "pre-alarm", "\"level\":720");

        (string name, string payload, long lane) = rig.EdgeRecords(RuleEngine.RecordChannel).Single(r => r.Name == "relay");
        Assert.AreEqual((long)EventLane.Priority, lane);
        using JsonDocument relay = JsonDocument.Parse(payload);
        JsonElement root = relay.RootElement;
        Assert.AreEqual(("forward", "seen at b1-lobby-smoke", LobbySmoke), (root.GetProperty("rule").GetString(), root.GetProperty("note").GetString(), root.GetProperty("device").GetString()));
        JsonElement message = root.GetProperty("message");
        Assert.AreEqual(("pre-alarm", 720), (message.GetProperty("payload").GetProperty("event").GetString(), message.GetProperty("payload").GetProperty("level").GetInt32()));
        StringAssert.EndsWith(message.GetProperty("topic").GetString(), "/b1-lobby-smoke/event");
    }

    [TestMethod]
    public async Task OnMessageAsync_WithinTheCooldown_SuppressedAndCounted()
    {
        await using RuleRig rig = await RuleRig.StartAsync(Rules("""
            - name: calm
              cooldown: 10m
              when: { event: { kind: smoke, event: pre-alarm } }
              then: [ { relay: {} } ]
            """));

        await rig.EventAsync(LobbySmoke, "pre-alarm");
        await rig.AdvanceAsync(TimeSpan.FromMinutes(1));
        await rig.EventAsync(LobbySmoke, "pre-alarm");
        await rig.EventAsync(QuietSmoke, "pre-alarm");
        await rig.AdvanceAsync(TimeSpan.FromMinutes(9));
        await rig.EventAsync(LobbySmoke, "pre-alarm");

        RuleStatus status = rig.Rule("calm");
        Assert.AreEqual((3L, 1L), (status.Firings, status.Suppressed), "the cooldown is per scope: b2's detector is not held back by b1's");
    }

    [TestMethod]
    public async Task OnMessageAsync_DisabledRule_NeverFires()
    {
        await using RuleRig rig = await RuleRig.StartAsync(Rules("""
            - name: off
              enabled: false
              when: { event: { kind: smoke, event: pre-alarm } }
              then: [ { relay: {} } ]
            """));

        await rig.EventAsync(LobbySmoke, "pre-alarm");

        Assert.AreEqual((false, 0L), (rig.Rule("off").Enabled, rig.Rule("off").Firings));
    }

    [TestMethod]
    public async Task OnMessageAsync_NoRulesFile_NothingRunsAndStatusSaysSo()
    {
        await using RuleRig rig = await RuleRig.StartAsync(null);

        await rig.EventAsync(LobbySmoke, "pre-alarm");

        RuleEngineStatus status = rig.Engine.Status();
        Assert.AreEqual((null, 0, null), (status.File, status.RuleCount, status.LastLoadError));
    }

    internal static string Rules(string rules) => "schema: 1\nrules:\n" + string.Join("\n", rules.Split('\n').Select(l => "  " + l)) + "\n";

    internal static string HeldOpen => Rules("""
        - name: held-open
          when: { held: { kind: door, role: hold-open, fields: { door: open }, for: 2m } }
          then: [ { alert: { text: "{device} open for {for}" } } ]
        """);

    internal static string LockOnClose => Rules("""
        - name: lock-on-close
          when: { event: { kind: door, event: door-closed } }
          then: [ { command: { cmd: lock, to: { kind: door, scope: device } } } ]
        """);

    internal static string SilentSmoke(string scope) => Rules($$"""
        - name: silent
          when: { absence: { kind: smoke, scope: {{scope}}, for: 5m } }
          then: [ { alert: { severity: critical, text: "{device} silent for {for}" } } ]
        """);

    internal static string TwoPreAlarms(string scope, bool distinct) => Rules($$"""
        - name: two
          when: { count: { kind: smoke, event: pre-alarm, atLeast: 2, within: 60s, scope: {{scope}}, distinct: {{(distinct ? "true" : "false")}} } }
          then: [ { alert: { text: "{count} in {scope}" } } ]
        """);
}
