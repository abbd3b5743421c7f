namespace SmartCommunity.Simulator.Tests.Scenarios;

using System;
using System.IO;
using System.Linq;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using SmartCommunity.Edge.Configuration;
using SmartCommunity.Simulator.Scenarios;

/// <summary>
/// Everything wrong with a scenario file is reported with file and line before anything starts: unknown keys, bad
/// references, impossible timelines.
/// </summary>
[TestClass]
public sealed class ScenarioLoaderTests
{
    private readonly TempDirectory _folder = new();

    [TestCleanup]
    public void Cleanup() => _folder.Dispose();

    [TestMethod]
    public void Load_UnknownTopLevelKey_ReportsFileLineAndAllowedKeys()
    {
        ScenarioException error = LoadFails("""
            scenario: typo
            layout: LAYOUT
            stepz:
              - at: 0s
            """);

        AssertAt(error, 3, "stepz", "unknown key 'stepz'; allowed here: scenario, description, layout, rules, upstream, calls, timing, end, steps, signedCommands");
    }

    [TestMethod]
    public void Load_UnknownKeyInStimulusArguments_ReportsItsLine()
    {
        ScenarioException error = LoadFails("""
            scenario: typo
            layout: LAYOUT
            steps:
              - at: 1s
                do:
                  - smoke: { device: b1-lobby-smoke, levle: 800 }
            """);

        AssertAt(error, 6, "levle", "unknown key 'levle'; allowed here: device, level");
    }

    [TestMethod]
    public void Load_UnknownDevice_ReportsLineAndSuggestsIds()
    {
        ScenarioException error = LoadFails("""
            scenario: bad-reference
            layout: LAYOUT
            steps:
              - at: 0s
                expect:
                  - output: { devices: [b1-stair-door, lobby-entrance], is: released, within: 1s }
            """);

        AssertAt(error, 6, "lobby-entrance]", "output: unknown device 'lobby-entrance'; did you mean b1-lobby-entrance or b2-lobby-entrance?");
    }

    [TestMethod]
    public void Load_UnknownPin_ListsTheDevicesInputs()
    {
        ScenarioException error = LoadFails("""
            scenario: bad-pin
            layout: LAYOUT
            steps:
              - at: 0s
                do:
                  - pin: { device: b1-lobby-entrance, pin: smoke, active: true }
            """);

        AssertAt(error, 6, "smoke,", "pin: unknown pin 'smoke' of door b1-lobby-entrance; its digital input pins: fire, doorClosed");
    }

    [TestMethod]
    public void Load_StimulusForAnotherKind_SaysWhy()
    {
        ScenarioException error = LoadFails("""
            scenario: wrong-kind
            layout: LAYOUT
            steps:
              - at: 0s
                do:
                  - smoke: { device: b1-lobby-entrance, level: 800 }
            """);

        AssertAt(error, 6, "b1-lobby-entrance", "smoke: b1-lobby-entrance (door, egress-lock) is not a smoke detector");
    }

    [TestMethod]
    public void Load_UnknownStimulus_ListsTheStimuli()
    {
        ScenarioException error = LoadFails("""
            scenario: bad-stimulus
            layout: LAYOUT
            steps:
              - at: 0s
                do:
                  - card-swipe: { device: b1-lobby-entrance }
            """);

        Assert.AreEqual(6, error.Line);
        StringAssert.Contains(error.Reason, "unknown stimulus 'card-swipe'; stimuli: ack-call, bad-frame, beam, block-upstream, call-point, callback-ack, card, cut-network, door, fire-input,");
    }

    [TestMethod]
    public void Load_ExpectationUnderDo_SaysWhereItBelongs()
    {
        ScenarioException error = LoadFails("""
            scenario: misplaced
            layout: LAYOUT
            steps:
              - at: 0s
                do:
                  - command: { cmd: release, to: b1-lobby-entrance, within: 1s }
            """);

        Assert.AreEqual(6, error.Line);
        StringAssert.Contains(error.Reason, "'command' is an expectation, put it under expect:");
    }

    [TestMethod]
    public void Load_StepsOutOfOrder_ReportsTheLaterStep()
    {
        ScenarioException error = LoadFails("""
            scenario: out-of-order
            layout: LAYOUT
            steps:
              - at: 10s
                do:
                  - smoke: { device: b1-lobby-smoke, level: 800 }
              - at: 5s
                do:
                  - smoke: { device: b1-lobby-smoke, level: 100 }
            """);

        AssertAt(error, 7, "5s", "steps out of order: this step is at 5s, after a step at 10s (line 4); list steps in time order");
    }

    [TestMethod]
    public void Load_NegativeTime_IsRefused()
    {
        ScenarioException error = LoadFails("""
            scenario: negative
            layout: LAYOUT
            steps:
              - at: -2s
                do:
                  - smoke: { device: b1-lobby-smoke, level: 800 }
            """);

        AssertAt(error, 4, "-2s", "at: '-2s' is negative; scenario times count from the start of the scenario and durations forward from their step");
    }

    [TestMethod]
    public void Load_DeadlineBeforeItsStep_IsRefused()
    {
        ScenarioException error = LoadFails("""
            scenario: too-early
            layout: LAYOUT
            steps:
              - at: 5s
                expect:
                  - output: { devices: b1-lobby-entrance, is: released, by: 3s }
            """);

        AssertAt(error, 6, "3s", "output: the deadline 3s is before its step at 5s; by: is scenario time, within: counts from the step");
    }

    [TestMethod]
    public void Load_ExpectationWithoutDeadline_SaysHowToGiveOne()
    {
        ScenarioException error = LoadFails("""
            scenario: no-deadline
            layout: LAYOUT
            steps:
              - at: 0s
                expect:
                  - command: { cmd: release, to: b1-lobby-entrance }
            """);

        AssertAt(error, 6, "command", "command: say when: within: 2s (from this step) or by: 12s (scenario time)");
    }

    [TestMethod]
    public void Load_RestoreWithoutCut_IsAnImpossibleTimeline()
    {
        ScenarioException error = LoadFails("""
            scenario: restore-first
            layout: LAYOUT
            steps:
              - at: 1s
                do:
                  - restore-network: { device: b1-f1-exit }
              - at: 2s
                do:
                  - cut-network: { device: b1-f1-exit }
            """);

        AssertAt(error, 6, "restore-network", "restore-network at 1s: the network of b1-f1-exit is not cut at this point; cut-network it first");
    }

    [TestMethod]
    public void Load_UpstreamStimulusWithoutUpstream_SaysHowToDeclareOne()
    {
        ScenarioException error = LoadFails("""
            scenario: no-upstream
            layout: LAYOUT
            steps:
              - at: 1s
                do:
                  - block-upstream: {}
            """);

        AssertAt(error, 6, "block-upstream", "block-upstream: the scenario has no upstream backend; declare one at the top, e.g. upstream: { webhook: backend }");
    }

    [TestMethod]
    public void Load_AlertOfUnknownRule_ListsTheRules()
    {
        ScenarioException error = LoadFails("""
            scenario: bad-rule
            layout: LAYOUT
            rules: RULES
            steps:
              - at: 1s
                expect:
                  - alert: { rule: door-ofline, within: 2s }
            """);

        Assert.AreEqual(7, error.Line);
        StringAssert.Contains(error.Reason, "alert: unknown rule 'door-ofline'; rules of the scenario's rules file: door-fire-input, door-offline,");
    }

    [TestMethod]
    public void Load_BuildingSumOfAMediumKeptInSeveralUnits_AsksForTheUnit()
    {
        // The metering site keeps flat 1's electricity in Wh and flat 2's in kWh: the edge sums them apart.
        ScenarioException error = LoadFails($$"""
            scenario: ambiguous-sum
            layout: {{ScenarioFiles.MeteringLayout}}
            steps:
              - at: 15m
                expect:
                  - consumption: { building: b1, medium: electricity, interval: 15m, start: 0s, value: 0.200, within: 5m }
            """);

        Assert.AreEqual(6, error.Line);
        StringAssert.Contains(error.Reason, "those electricity meters are kept in Wh, kWh, summed apart; name one with unit:");
    }

    [TestMethod]
    public void Load_SumInAUnitNoMeterIsKeptIn_ListsTheUnits()
    {
        ScenarioException error = LoadFails($$"""
            scenario: wrong-unit
            layout: {{ScenarioFiles.MeteringLayout}}
            steps:
              - at: 15m
                expect:
                  - consumption: { building: b1, medium: electricity, unit: MWh, interval: 15m, start: 0s, value: 0.200, within: 5m }
            """);

        Assert.AreEqual(6, error.Line);
        StringAssert.Contains(error.Reason, "no electricity meter there is kept in 'MWh'; they are kept in Wh, kWh");
    }

    [TestMethod]
    public void Load_LayoutNotFound_PointsAtTheLayoutLine()
    {
        ScenarioException error = LoadFails("""
            scenario: no-layout
            layout: ../nowhere/layout.yaml
            steps:
              - at: 0s
                do:
                  - smoke: { device: b1-lobby-smoke, level: 800 }
            """);

        Assert.AreEqual(2, error.Line);
        StringAssert.StartsWith(error.Reason, "layout file '../nowhere/layout.yaml' not found");
    }

    [TestMethod]
    public void Load_ValidScenario_KeepsStepsAndDeadlines()
    {
        string path = ScenarioFiles.Write(_folder, """
            scenario: valid
            layout: LAYOUT
            steps:
              - at: 1s
                do:
                  - smoke: { device: b1-lobby-smoke, level: 800 }
                expect:
                  - output: { devices: { building: b1, kind: door }, is: released, within: 4s }
                  - output: { devices: { building: b2, kind: door }, is: energised, for: 10s }
            """);

        Scenario scenario = ScenarioLoader.CreateDefault().Load(path);

        Assert.HasCount(1, scenario.Steps);
        Assert.AreEqual(TimeSpan.FromSeconds(5), scenario.Steps[0].Expectations[0].Until);
        Assert.AreEqual(TimeSpan.FromSeconds(11), scenario.Steps[0].Expectations[1].Until);
        Assert.AreEqual("b1-lobby-entrance, b1-stair-door, b1-f1-exit: output released", scenario.Steps[0].Expectations[0].Check.Describe());
    }

    [TestMethod]
    [DataRow("signedCommands: true\n", true)]
    [DataRow("signedCommands: false\n", false)]
    [DataRow("", false)]
    public void Load_SignedCommandsKey_ReadAsTheScenarioSays(string line, bool expected)
    {
        string path = ScenarioFiles.Write(_folder, "scenario: signed\nlayout: LAYOUT\n" + line + "steps:\n  - at: 0s\n    expect:\n      - twin: { devices: { kind: door }, online: true, within: 1s }\n");

        Scenario scenario = ScenarioLoader.CreateDefault().Load(path);

        Assert.AreEqual(expected, scenario.SignedCommands);
    }

    [TestMethod]
    public void Load_SignedCommandsNotABoolean_ReportsItsLine()
    {
        ScenarioException error = LoadFails("""
            scenario: signed
            layout: LAYOUT
            signedCommands: maybe
            steps:
              - at: 0s
            """);

        Assert.AreEqual(3, error.Line);
        StringAssert.Contains(error.Reason, "signedCommands");
    }

    // A step the layout cannot honour is refused at load, pointing at the offending value of its line (line 6).
    [TestMethod]
    [DataRow("LIFE_LAYOUT", "do", "leak: { device: b2-riser, wet: true }", "b2-riser",
        "leak: b2-riser (leak, valve) is a valve without a probe; water is sensed by a sensor-valve", DisplayName = "Load_LeakAtAValveWithoutProbe_SaysWhereWaterIsSensed")]
    [DataRow("LIFE_LAYOUT", "do", "pin: { device: b2-lobby-callpoint, pin: lineFault, active: true }", "lineFault",
        "pin: pin 'lineFault' is not fitted on b2-lobby-callpoint (break-glass): optional signals exist when the layout's pins wire them; its digital input pins: glass", DisplayName = "Load_PinTheLayoutDoesNotWire_SaysOptionalSignalsNeedTheLayout")]
    [DataRow("LIFE_LAYOUT", "do", "pin: { device: b2-flat3-leak, pin: closedSwitch, active: true }", "closedSwitch",
        "pin: pin 'closedSwitch' of b2-flat3-leak is driven by the simulated hardware (the valve's position), not by a scenario; its digital input pins: probe, resetButton", DisplayName = "Load_PinOnAValveLimitSwitch_SaysTheValveDrivesIt")]
    [DataRow("LIFE_LAYOUT", "do", "press: { device: b2-lobby-smoke, button: hush, hold: 0s }", "0s",
        "press: a press of no time presses nothing; give e.g. hold: 500ms", DisplayName = "Load_PressOfNoTime_IsRefused")]
    [DataRow("LIFE_LAYOUT", "expect", "output: { devices: b2-flat3-call, is: on, within: 1s }", "b2-flat3-call",
        "output: b2-flat3-call (emergency-call-point, resident) has several outputs (received, handled, sounder); name one with pin:", DisplayName = "Load_OutputOfADeviceWithSeveralOutputs_AsksForThePin")]
    [DataRow("LIFE_LAYOUT", "do", "callback-ack: { device: b2-flat3-call }", "callback-ack",
        "callback-ack: the scenario has no upstream backend; declare one at the top, e.g. upstream: { webhook: backend }", DisplayName = "Load_CallbackWithoutUpstream_IsRefused")]
    [DataRow("LAYOUT", "do", "swipe: { device: b1-lobby-entrance, card: 1180882 }", "b1-lobby-entrance",
        "swipe: b1-lobby-entrance (door, egress-lock) has no card reader (wire 'wiegandD0' and 'wiegandD1' in the layout's pins)", DisplayName = "Load_SwipeAtDoorWithoutReader_SaysWhichPinsFitOne")]
    [DataRow("ACCESS_LAYOUT", "do", "swipe: { device: b1-entrance, card: 20000000, bits: 26 }", "20000000",
        "swipe: card 20000000 does not fit a 26-bit frame (at most 16777215); leave bits out or give bits: 34", DisplayName = "Load_SwipeCardTooBigFor26Bits_SuggestsBits34")]
    [DataRow("ACCESS_LAYOUT", "do", "card: { number: 42, groups: [tenants] }", "[tenants]",
        "card: unknown door group 'tenants'; the layout's door groups: residents, garage", DisplayName = "Load_CardForUnknownGroup_ListsTheLayoutsGroups")]
    [DataRow("ACCESS_LAYOUT", "do", "rex: { device: b1-garage-in }", "b1-garage-in",
        "rex: b1-garage-in (door, entry-lock) has no request-to-exit button (wire 'rex' in the layout's pins)", DisplayName = "Load_RexAtDoorWithoutButton_SaysToWireIt")]
    [DataRow("LAYOUT", "expect", "lock: { devices: b1-stair-door, is: locked, within: 1s }", "b1-stair-door",
        "lock: b1-stair-door (door, hold-open) is a hold-open magnet: it has no lock", DisplayName = "Load_LockOfHoldOpenMagnet_IsRefused")]
    public void Load_StepTheLayoutCannotHonour_PointsAtTheValueAndSaysWhy(string layout, string section, string entry, string token, string reason)
    {
        ScenarioException error = LoadFails($"scenario: refused\nlayout: {layout}\nsteps:\n  - at: 1s\n    {section}:\n      - {entry}\n");

        AssertAt(error, 6, token, reason);
    }

    [TestMethod]
    public void Load_CallsChainWithoutUpstream_SaysHowToDeclareOne()
    {
        ScenarioException error = LoadFails("""
            scenario: no-backend
            layout: LIFE_LAYOUT
            calls: { chain: [backend] }
            steps:
              - at: 1s
                do:
                  - press: { device: b2-flat3-call, button: call }
            """);

        AssertAt(error, 3, "backend", "calls: the chain names relay 'backend', but the scenario has no upstream; declare one, e.g. upstream: { webhook: backend }");
    }

    [TestMethod]
    public void Load_SounderBeforeOperatorAlert_IsRefusedAsTheEdgeWould()
    {
        ScenarioException error = LoadFails("""
            scenario: sounder-first
            layout: LIFE_LAYOUT
            calls: { operatorAfter: 60s, sounderAfter: 30s }
            steps:
              - at: 1s
                do:
                  - press: { device: b2-flat3-call, button: call }
            """);

        Assert.AreEqual(3, error.Line);
        StringAssert.StartsWith(error.Reason, "calls: sounderAfterS (30) is before operatorAfterS (60)");
    }

    [TestMethod]
    public void Load_LifeSafetyStimuliAndExpectations_Bind()
    {
        string path = ScenarioFiles.Write(_folder, """
            scenario: life-safety
            layout: LIFE_LAYOUT
            rules: LIFE_RULES
            upstream: { webhook: backend }
            calls: { chain: [backend], ackTimeout: 10s, operatorAfter: 20s, sounderAfter: 40s }
            steps:
              - at: 1s
                do:
                  - call-point: { device: b1-lobby-callpoint, operated: true }
                  - leak: { device: b2-flat3-leak, wet: true }
                  - valve-seize: { device: b2-riser, seized: true }
                  - press: { device: b2-flat3-call, button: call, hold: 300ms }
                  - motion: { device: b1-f1-flat11-call }
                  - reset-fire: { building: b1, force: true, as: admin, status: 409 }
                  - operator-command: { device: b2-flat3-leak, cmd: reset }
                  - ack-call: { device: b2-flat3-call, status: 404 }
                  - callback-ack: { device: b2-flat3-call, token: wrong, status: 403 }
                expect:
                  - output: { devices: b2-lobby-smoke, pin: sounder, is: on, within: 1s }
                  - valve: { devices: { kind: leak, building: b2 }, is: closed, within: 10s }
                  - call: { device: b2-flat3-call, state: open, stage: dispatched, within: 1s }
                  - alert: { rule: "fire:confirmed", building: b1, within: 1s }
                  - alert: { rule: leak-closes-floor-riser, within: 5s }
                  - log: { source: b2-flat3-call, channel: call, name: call-opened, within: 1s }
                  - command: { cmd: call-received, to: b2-flat3-call, within: 1s }
            """);

        Scenario scenario = ScenarioLoader.CreateDefault().Load(path);

        CollectionAssert.AreEqual(new[] { "backend" }, scenario.Calls!.Chain.ToArray());
        Assert.AreEqual(TimeSpan.FromSeconds(20), scenario.Calls.OperatorAfter);
        Assert.HasCount(9, scenario.Steps[0].Actions);
        Assert.AreEqual("b2-lobby-smoke: sounder on", scenario.Steps[0].Expectations[0].Check.Describe());
        Assert.AreEqual("b2-flat3-leak, b2-riser: valve closed", scenario.Steps[0].Expectations[1].Check.Describe());
        Assert.AreEqual("press call of b2-flat3-call for 300ms", scenario.Steps[0].Actions[3].Action.Describe());
    }

    private ScenarioException LoadFails(string yaml)
    {
        string path = ScenarioFiles.Write(_folder, yaml);
        try
        {
            ScenarioLoader.CreateDefault().Load(path);
        }
        catch (ScenarioException ex)
        {
            Assert.AreEqual(path, ex.File);
            StringAssert.StartsWith(ex.Message, $"{path}:{ex.Line}:{ex.Column}: ");
            return ex;
        }
        catch (ConfigFileException ex)
        {
            Assert.Fail($"expected a scenario error, got {ex.GetType().Name}: {ex.Message}");
        }

        Assert.Fail($"{Path.GetFileName(path)} loaded, but it should not have");
        return null!;
    }

    // The error points at the line, and at the column where `token` starts on it.
    private void AssertAt(ScenarioException error, long line, string token, string reason)
    {
        Assert.AreEqual(reason, error.Reason);
        string text = File.ReadAllLines(error.File)[line - 1];
        Assert.Contains(token, text, $"line {line} is '{text}'");
        Assert.AreEqual((line, text.IndexOf(token, StringComparison.Ordinal) + 1L), (error.Line, error.Column), error.Message);
    }
}
