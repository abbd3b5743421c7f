namespace SmartCommunity.Edge.Tests.Rules;

using System;
using System.IO;
using System.Linq;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using SmartCommunity.Edge.Alerts;
using SmartCommunity.Edge.Layout;
using SmartCommunity.Edge.Rules;
using SmartCommunity.Edge.Tests.TestSupport;
using SmartCommunity.Protocol;

[TestClass]
public sealed class RuleLoaderTests
{
    private const string File = "rules.yaml";

    private static readonly BuildingLayout Layout = DemoLayout.Load();

    /// <summary>simulators/layouts/demo.rules.yaml in the repository, found from the test's folder.</summary>
    public static string DemoRulesPath
    {
        get
        {
            for (DirectoryInfo? folder = new(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
            {
                string candidate = Path.Combine(folder.FullName, "simulators", "layouts", "demo.rules.yaml");
                if (System.IO.File.Exists(candidate))
                {
                    return candidate;
                }
            }

            throw new FileNotFoundException("simulators/layouts/demo.rules.yaml not found above " + AppContext.BaseDirectory);
        }
    }

    [TestMethod]
    public void Load_DemoRulesFile_LoadsEveryRuleAgainstTheDemoLayout()
    {
        RuleSet set = RuleLoader.Load(DemoRulesPath, Layout.Devices);

        CollectionAssert.AreEqual(
            new[] { "fire-door-held-open", "smoke-pre-alarms-in-a-building", "smoke-detector-silent", "door-offline", "door-fire-input" },
            set.Rules.Select(r => r.Name).ToList());
        CollectionAssert.AreEquivalent(
            new[] { TriggerType.Held, TriggerType.Count, TriggerType.Absence, TriggerType.Event },
            set.Rules.Select(r => r.Trigger.Type).Distinct().ToList());
    }

    [TestMethod]
    public void Parse_EveryTriggerAndAction_ReadsWhatTheFileSays()
    {
        RuleSet set = Parse("""
            schema: 1
            rules:
              - name: lobby-smoke
                description: smoke in the lobby
                cooldown: 5m
                when:
                  event:
                    kind: smoke
                    building: b1
                    event: pre-alarm
                    fields: { level: { above: 500 } }
                    scope: zone
                then:
                  - command: { cmd: unlock, to: { kind: door, role: egress-lock }, ms: 30s }
                  - alert: { severity: critical, text: "smoke at {device}" }
                  - relay: { note: "{rule}" }
                  - relay:
              - name: held
                enabled: false
                when:
                  held: { devices: [b1-stair-door], fields: { door: open }, for: 2m }
                then:
                  - alert: { text: "{device} open" }
              - name: silent
                when:
                  absence: { kind: smoke, scope: building, for: 10m }
                then:
                  - command: { cmd: self-test, to: { kind: smoke, scope: site } }
              - name: twice
                when:
                  count: { kind: smoke, state: { state: pre-alarm }, atLeast: 2, within: 60s, scope: zone, distinct: true }
                then:
                  - command: { cmd: release, to: { devices: [b1-lobby-entrance, b1-f1-exit] } }
            """);

        RuleDefinition smoke = set.Rules[0];
        Assert.AreEqual(("lobby-smoke", "smoke in the lobby", true, TimeSpan.FromMinutes(5), 3L), (smoke.Name, smoke.Description, smoke.Enabled, smoke.Cooldown, smoke.Line));
        var trigger = (EventTrigger)smoke.Trigger;
        Assert.AreEqual((RuleScope.Zone, "smoke", "b1", Channel.Event, "pre-alarm"), (trigger.Scope, trigger.Devices.Kind, trigger.Devices.Building, trigger.Match.Channel, trigger.Match.EventName));
        Assert.AreEqual(new FieldCondition("level", ConditionOperator.Above, "500", 500), trigger.Match.Conditions.Single());
        var unlock = (CommandAction)smoke.Actions[0];
        Assert.AreEqual((CommandKind.Unlock, 30_000L, "door", "egress-lock", RuleScope.Zone), (unlock.Command, unlock.DurationMs, unlock.Target.Kind, unlock.Target.Role, unlock.Target.Scope),
            "a selector without a scope takes the trigger's");
        var alert = (AlertAction)smoke.Actions[1];
        Assert.AreEqual((AlertSeverity.Critical, "smoke at {device}"), (alert.Severity, alert.Text.Source));
        Assert.AreEqual("{rule}", ((RelayAction)smoke.Actions[2]).Note!.Source);
        Assert.IsNull(((RelayAction)smoke.Actions[3]).Note);

        RuleDefinition held = set.Rules[1];
        Assert.IsFalse(held.Enabled);
        var heldTrigger = (HeldTrigger)held.Trigger;
        Assert.AreEqual((TimeSpan.FromMinutes(2), RuleScope.Device), (heldTrigger.For, heldTrigger.Scope));
        CollectionAssert.AreEqual(new[] { "b1-stair-door" }, heldTrigger.Devices.Ids!.ToList());
        Assert.AreEqual(new FieldCondition("door", ConditionOperator.Equals, "open", null), heldTrigger.Conditions.Single());

        var absence = (AbsenceTrigger)set.Rules[2].Trigger;
        Assert.AreEqual((RuleScope.Building, TimeSpan.FromMinutes(10)), (absence.Scope, absence.For));
        Assert.AreEqual(RuleScope.Site, ((CommandAction)set.Rules[2].Actions[0]).Target.Scope);

        var count = (CountTrigger)set.Rules[3].Trigger;
        Assert.AreEqual((2, TimeSpan.FromSeconds(60), true, RuleScope.Zone, Channel.State), (count.AtLeast, count.Within, count.Distinct, count.Scope, count.Match.Channel));
        CollectionAssert.AreEqual(new[] { "b1-lobby-entrance", "b1-f1-exit" }, ((CommandAction)set.Rules[3].Actions[0]).Target.Ids!.ToList());
    }

    [TestMethod]
    public void Parse_EmptyRuleList_LoadsNoRules()
    {
        Assert.IsEmpty(Parse("schema: 1\nrules: []\n").Rules);
    }

    [TestMethod]
    public void Parse_SameTriggerWrittenDifferently_SameFingerprint()
    {
        RuleSet a = Parse(Rule("event: { kind: smoke, event: pre-alarm }"));
        RuleSet b = Parse(Rule("event:\n        event: pre-alarm\n        kind: smoke"));
        RuleSet c = Parse(Rule("event: { kind: smoke, event: alarm }"));

        Assert.AreEqual(a.Rules[0].Fingerprint, b.Rules[0].Fingerprint);
        Assert.AreNotEqual(a.Rules[0].Fingerprint, c.Rules[0].Fingerprint);
    }

    [TestMethod]
    public void Parse_UnknownKey_ErrorNamesFileLineColumnAndTheAllowedKeys()
    {
        RulesException error = Fails("""
            schema: 1
            rules:
              - name: r1
                when:
                  event:
                    kinds: smoke
                    event: pre-alarm
                then:
                  - alert: { text: x }
            """);

        Assert.AreEqual((File, 6L, 9L), (error.File, error.Line, error.Column));
        StringAssert.StartsWith(error.Message, "rules.yaml:6:9: unknown key 'kinds'; allowed here: kind, role, devices");
    }

    [TestMethod]
    [DataRow("for: 2 minutes", "'2 minutes' is not a duration")]
    [DataRow("for: 0s", "longer than zero")]
    [DataRow("for: 90", "no unit")]
    public void Parse_BadDuration_ErrorSaysHowToWriteOne(string line, string expected)
    {
        RulesException error = Fails($$"""
            schema: 1
            rules:
              - name: r1
                when:
                  absence:
                    kind: smoke
                    {{line}}
                then:
                  - alert: { text: x }
            """);

        Assert.AreEqual((7L, 14L), (error.Line, error.Column));
        StringAssert.Contains(error.Reason, expected);
    }

    [TestMethod]
    public void Parse_UnknownCommand_ErrorListsTheProtocolsCommands()
    {
        RulesException error = Fails(Rule("event: { kind: smoke, event: alarm }", "command: { cmd: fly, to: { kind: door } }"));

        Assert.AreEqual(7L, error.Line);
        StringAssert.Contains(error.Reason, "unknown command 'fly'; commands of protocol v1: release, reset, self-test, lock, unlock, close, open, evacuate");
    }

    [TestMethod]
    [DataRow("command: { cmd: release, to: { devices: [b9-ghost] } }", "unknown device 'b9-ghost'")]
    [DataRow("command: { cmd: release, to: { scope: building } }", "say which devices")]
    [DataRow("command: { cmd: release, to: { kind: dor } }", "unknown device kind 'dor'")]
    [DataRow("command: { cmd: release, to: { kind: door, role: detector } }", "a door cannot have role 'detector'")]
    [DataRow("command: { cmd: release, to: { kind: door, scope: street } }", "unknown scope 'street'")]
    [DataRow("command: { cmd: lock, to: { kind: smoke } }", "smoke does not take 'lock'")]
    [DataRow("command: { cmd: unlock, to: { kind: door, role: hold-open } }", "does not take 'unlock'")]
    [DataRow("command: { cmd: release, to: { devices: [b1-lobby-smoke] } }", "does not take 'release'")]
    [DataRow("command: { cmd: release, to: { devices: [b1-lobby-entrance], scope: zone } }", "take no scope")]
    [DataRow("command: { cmd: lock, to: { kind: door }, ms: 5000 }", "'lock' takes no duration")]
    [DataRow("command: { cmd: unlock, to: { kind: door }, ms: 11m }", "at most 10m")]
    public void Parse_BadSelectorOrCommand_ErrorOnItsLine(string action, string expected)
    {
        RulesException error = Fails(Rule("event: { kind: smoke, event: alarm }", action));

        Assert.AreEqual(7L, error.Line, error.Message);
        StringAssert.Contains(error.Reason, expected);
    }

    [TestMethod]
    public void Parse_AbsenceInABuildingActingOnAZone_ErrorThereIsNoSingleZone()
    {
        RulesException error = Fails(Rule("absence: { kind: smoke, scope: building, for: 5m }", "command: { cmd: release, to: { kind: door, scope: zone } }"));

        StringAssert.Contains(error.Reason, "no single zone");
    }

    [TestMethod]
    [DataRow("event: { kind: smoke }", "say what the event trigger matches")]
    [DataRow("event: { kind: smoke, event: alarm, state: { state: alarm } }", "event and state exclude each other")]
    [DataRow("event: { kind: door, presence: gone }", "unknown presence 'gone'")]
    [DataRow("event: { kind: door, presence: offline, event: x }", "presence (online or offline) stands alone")]
    [DataRow("event: { devices: [b1-lobby-smoke], kind: door, event: x }", "which the kind or role given here excludes")]
    [DataRow("event: { building: b9, event: x }", "no device of the layout is in building 'b9'")]
    [DataRow("event: { channel: cmd, fields: { a: 1 } }", "unknown channel 'cmd'")]
    [DataRow("event: { fields: { level: { above: high } } }", "above 'high' must be a number")]
    [DataRow("event: { fields: { level: { equals: 1, below: 2 } } }", "cannot equal a value and be above or below")]
    [DataRow("held: { kind: door, for: 2m }", "'fields' is missing")]
    [DataRow("count: { kind: smoke, event: pre-alarm, atLeast: 1, within: 60s }", "atLeast 1 must be 2-1000")]
    [DataRow("count: { kind: smoke, event: pre-alarm, atLeast: 2, within: 60s, distinct: true }", "distinct devices need a scope wider")]
    [DataRow("count: { kind: smoke, event: pre-alarm, atLeast: 2, within: 60s, distinct: maybe }", "must be true or false")]
    public void Parse_BadTrigger_ErrorSaysWhy(string trigger, string expected)
    {
        RulesException error = Fails(Rule(trigger));

        Assert.IsGreaterThanOrEqualTo(4L, error.Line, error.Message);
        StringAssert.Contains(error.Reason, expected);
    }

    [TestMethod]
    public void Parse_UnknownPlaceholder_ErrorOnTheTextsLine()
    {
        RulesException error = Fails(Rule("event: { kind: smoke, event: alarm }", "alert: { text: \"smoke at {devise}\" }"));

        Assert.AreEqual(7L, error.Line);
        StringAssert.Contains(error.Reason, "unknown placeholder '{devise}'");
    }

    [TestMethod]
    public void Parse_FlowMappingNeverClosed_ErrorPointsAtTheBracket()
    {
        RulesException error = Fails("""
            schema: 1
            rules:
              - name: r1
                when: { event: { kind: smoke, event: alarm }
                then: []
            """);

        Assert.AreEqual((File, 4L, 11L), (error.File, error.Line, error.Column), error.Message);
        StringAssert.Contains(error.Reason, "not valid YAML: this '{' is never closed");
    }

    [TestMethod]
    public void Parse_BadIndentation_ErrorHasTheLine()
    {
        RulesException error = Fails("""
            schema: 1
            rules:
              - name: r1
               when: { event: { kind: smoke, event: alarm } }
            """);

        Assert.AreEqual(4L, error.Line, error.Message);
        StringAssert.StartsWith(error.Reason, "not valid YAML");
    }

    [TestMethod]
    public void Parse_TwoRulesWithOneName_ErrorOnTheSecond()
    {
        RulesException error = Fails("""
            schema: 1
            rules:
              - name: r1
                when: { event: { kind: smoke, event: alarm } }
                then: [ { relay: {} } ]
              - name: r1
                when: { event: { kind: smoke, event: alarm } }
                then: [ { relay: {} } ]
            """);

        Assert.AreEqual((6L, 11L), (error.Line, error.Column));
        StringAssert.Contains(error.Reason, "declared twice");
    }

    [TestMethod]
    [DataRow("schema: 2\nrules: []\n", "schema 2 is not supported")]
    [DataRow("rules: []\n", "'schema' is missing")]
    [DataRow("- a\n- b\n", "one YAML mapping")]
    [DataRow("schema: 1\nrules:\n  - name: Bad Name\n    when: { event: { event: x } }\n    then: [ { relay: {} } ]\n", "rule name 'Bad Name'")]
    [DataRow("schema: 1\nrules:\n  - name: r\n    when: { event: { event: x }, absence: { for: 1m } }\n    then: [ { relay: {} } ]\n", "exactly one trigger")]
    [DataRow("schema: 1\nrules:\n  - name: r\n    when: { event: { event: x } }\n    then: []\n", "at least one action")]
    [DataRow("schema: 1\nrules:\n  - name: r\n    when: { event: { event: x } }\n    then: [ { relay: {}, alert: { text: x } } ]\n", "exactly one of command, alert or relay")]
    public void Parse_BadShape_ErrorSaysWhatToWrite(string yaml, string expected)
    {
        StringAssert.Contains(Fails(yaml).Reason, expected);
    }

    [TestMethod]
    public void Load_MissingFile_ErrorNamesThePath()
    {
        RulesException error = Assert.ThrowsExactly<RulesException>(() => RuleLoader.Load("/nonexistent/rules.yaml", Layout.Devices));

        Assert.AreEqual("/nonexistent/rules.yaml", error.File);
        StringAssert.Contains(error.Reason, "cannot read the rules file");
    }

    /// <summary>One rule named r1; the trigger is on line 5, the action on line 7.</summary>
    internal static string Rule(string trigger, string action = "alert: { text: x }") => $"""
        schema: 1
        rules:
          - name: r1
            when:
              {trigger}
            then:
              - {action}
        """;

    private static RuleSet Parse(string yaml) => RuleLoader.Parse(yaml, File, Layout.Devices);

    private static RulesException Fails(string yaml) => Assert.ThrowsExactly<RulesException>(() => Parse(yaml));
}
