namespace SmartCommunity.Edge.Tests.Calls;

using System;
using System.Linq;
using System.Text.Json;
using System.Threading.Tasks;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using SmartCommunity.Edge.Alerts;
using SmartCommunity.Edge.Calls;
using SmartCommunity.Edge.Storage;
using SmartCommunity.Protocol;

[TestClass]
public sealed class CallDeskTests
{
    private static readonly TimeSpan Second = TimeSpan.FromSeconds(1);

    [TestMethod]
    public async Task OnMessageAsync_CallEvent_StoresLogsThenSendsCallReceivedNamingTheCall()
    {
        await using var rig = new CallRig();

        await rig.EventAsync(CallRig.Flat12, "call", "7");

        EmergencyCall call = rig.Desk.Active.Single();
        Assert.AreEqual((CallRig.Flat12, "7", CallKind.Call, CallState.Open, "flat 12", "b1"), (call.Device, call.CallId, call.Kind, call.State, call.Unit, call.Building));
        JsonElement opened = rig.Records(CallRecords.Opened).Single();
        Assert.AreEqual(("7", CallRig.Flat12, "flat 12", "b1", "call"),
            (opened.GetProperty("call").GetString(), opened.GetProperty("device").GetString(), opened.GetProperty("unit").GetString(),
             opened.GetProperty("building").GetString(), opened.GetProperty("kind").GetString()));
        JsonElement received = rig.Sent(CallRig.Flat12, CommandNames.CallReceived).Single();
        Assert.AreEqual("7", received.GetProperty("call").GetString());
        StoredEvent[] ordered = rig.Log.ReadRecent(100).OrderBy(e => e.Id).ToArray();
        Assert.IsLessThan(
            Array.FindIndex(ordered, e => e.Channel == Channel.Command && e.Name == CommandNames.CallReceived),
            Array.FindIndex(ordered, e => e.Name == CallRecords.Opened),
            "the call is on record before the call point hears call-received");
    }

    [TestMethod]
    public async Task OnMessageAsync_CallEventRepeated_SendsCallReceivedAgainWithoutASecondCall()
    {
        await using var rig = new CallRig();
        await rig.EventAsync(CallRig.Flat12, "call", "7");

        await rig.EventAsync(CallRig.Flat12, "call", "7");
        await rig.EventAsync(CallRig.Flat12, "call", "7");

        Assert.HasCount(1, rig.Desk.Active);
        Assert.HasCount(1, rig.Records(CallRecords.Opened));
        Assert.HasCount(1, rig.Records(CallRecords.Dispatched), "a repeat is not dispatched again");
        Assert.HasCount(3, rig.Sent(CallRig.Flat12, CommandNames.CallReceived));
    }

    [TestMethod]
    public async Task OnMessageAsync_SameCallIdFromAnotherPoint_IsAnotherCall()
    {
        await using var rig = new CallRig();

        await rig.EventAsync(CallRig.Flat12, "call", "1");
        await rig.EventAsync(CallRig.Flat14, "call", "1");

        Assert.HasCount(2, rig.Desk.Active);
    }

    [TestMethod]
    public async Task Escalation_NobodyAcknowledges_FirstRelayNextRelayOperatorAlertThenSounderOnTime()
    {
        await using var rig = new CallRig();
        await rig.EventAsync(CallRig.Flat12, "call", "7");

        JsonElement dispatched = rig.Records(CallRecords.Dispatched).Single();
        Assert.AreEqual("care", dispatched.GetProperty(CallRecords.AddressField).GetString(), "stage 1 goes to the first relay of the chain at once");
        Assert.IsEmpty(rig.Records(CallRecords.Escalated));

        await rig.AdvanceAsync(59 * Second);
        Assert.IsEmpty(rig.Records(CallRecords.Escalated), "not before ackTimeoutS");
        await rig.AdvanceAsync(Second);
        JsonElement escalated = rig.Records(CallRecords.Escalated).Single();
        Assert.AreEqual(("backup", "care"), (escalated.GetProperty(CallRecords.AddressField).GetString(), escalated.GetProperty("previous").GetString()));

        await rig.AdvanceAsync(59 * Second);
        Assert.AreEqual(0, rig.Alerts.OpenCount, "no operator alert before operatorAfterS");
        await rig.AdvanceAsync(Second);
        Alert alert = rig.Alerts.List().Single();
        Assert.AreEqual((AlertSeverity.Critical, CallRig.Flat12, "b1"), (alert.Severity, alert.Device, alert.Building));
        StringAssert.Contains(alert.Text, "flat 12");
        StringAssert.Contains(alert.Text, "/calls/b1-flat12-call/7/ack");

        await rig.AdvanceAsync(59 * Second);
        Assert.IsEmpty(rig.Sent(CallRig.Flat12, CommandNames.Sound), "no sounder before sounderAfterS");
        await rig.AdvanceAsync(Second);
        JsonElement sound = rig.Sent(CallRig.Flat12, CommandNames.Sound).Single();
        Assert.AreEqual("7", sound.GetProperty("call").GetString());
        Assert.AreEqual("sounder", rig.Desk.Active.Single().Stage);
        Assert.AreEqual(CallState.Open, rig.Desk.Active.Single().State, "the call stays open until someone acknowledges it");
    }

    [TestMethod]
    public async Task Escalation_NoRelaysInTheChain_OperatorAlertAtOnceThenSounder()
    {
        await using var rig = new CallRig(new CallDispatchOptions(), relays: []);

        await rig.EventAsync(CallRig.Flat12, "call", "7");

        Assert.IsEmpty(rig.Records(CallRecords.Dispatched));
        Assert.AreEqual(AlertSeverity.Critical, rig.Alerts.List().Single().Severity, "nobody else was told, so the operator is told at once");
        await rig.AdvanceAsync(179 * Second);
        Assert.IsEmpty(rig.Sent(CallRig.Flat12, CommandNames.Sound));
        await rig.AdvanceAsync(Second);
        Assert.HasCount(1, rig.Sent(CallRig.Flat12, CommandNames.Sound));
    }

    [TestMethod]
    public async Task AcknowledgeAsync_Operator_ClosesCallSendsCallHandledClearsAlertAndStopsEscalation()
    {
        await using var rig = new CallRig();
        await rig.EventAsync(CallRig.Flat12, "call", "7");
        await rig.AdvanceAsync(130 * Second);
        Assert.AreEqual(1, rig.Alerts.OpenCount);

        CallAckResult result = await rig.Desk.AcknowledgeAsync(CallRig.Flat12, "7", "alice", CallDesk.ViaOperator);

        Assert.AreEqual((CallAckOutcome.Acknowledged, CallState.Acknowledged, "alice", "operator"),
            (result.Outcome, result.Call!.State, result.Call.AcknowledgedBy, result.Call.AcknowledgedVia));
        Assert.IsEmpty(rig.Desk.Active);
        JsonElement record = rig.Records(CallRecords.Acknowledged).Single();
        Assert.AreEqual(("alice", "operator", "7"), (record.GetProperty("by").GetString(), record.GetProperty("via").GetString(), record.GetProperty("call").GetString()));
        Assert.AreEqual("7", rig.Sent(CallRig.Flat12, CommandNames.CallHandled).Single().GetProperty("call").GetString());
        Assert.AreEqual(0, rig.Alerts.OpenCount, "the call's operator alert is cleared");
        Assert.AreEqual("alice", rig.Alerts.List(openOnly: false).Single().ClearedBy);

        await rig.AdvanceAsync(10 * 60 * Second);
        Assert.IsEmpty(rig.Sent(CallRig.Flat12, CommandNames.Sound), "escalation stopped");
    }

    [TestMethod]
    public async Task AcknowledgeAsync_Twice_SecondSaysWhoWasFirst()
    {
        await using var rig = new CallRig();
        await rig.EventAsync(CallRig.Flat12, "call", "7");
        await rig.Desk.AcknowledgeAsync(CallRig.Flat12, "7", "alice", CallDesk.ViaOperator);

        CallAckResult again = await rig.Desk.AcknowledgeAsync(CallRig.Flat12, "7", "bob", CallDesk.ViaOperator);

        Assert.AreEqual((CallAckOutcome.AlreadyAcknowledged, "alice"), (again.Outcome, again.Call!.AcknowledgedBy));
        Assert.HasCount(1, rig.Records(CallRecords.Acknowledged));
    }

    [TestMethod]
    public async Task AcknowledgeAsync_UnknownCall_NotFoundAndCounted()
    {
        await using var rig = new CallRig();

        CallAckResult result = await rig.Desk.AcknowledgeAsync(CallRig.Flat12, "99", "alice", CallDesk.ViaOperator);

        Assert.AreEqual(CallAckOutcome.NotFound, result.Outcome);
        Assert.AreEqual(1L, rig.Desk.Refused["ack-unknown-call"]);
    }

    [TestMethod]
    public async Task AcknowledgeAsync_CallbackToken_OnlyTheCallsOwnTokenCounts()
    {
        await using var rig = new CallRig();
        await rig.EventAsync(CallRig.Flat12, "call", "7");
        string token = rig.Records(CallRecords.Dispatched).Single().GetProperty("callback").GetProperty("token").GetString()!;

        CallAckResult missing = await rig.Desk.AcknowledgeAsync(CallRig.Flat12, "7", "care desk", CallDesk.ViaWebhook, null, tokenRequired: true);
        CallAckResult wrong = await rig.Desk.AcknowledgeAsync(CallRig.Flat12, "7", "care desk", CallDesk.ViaWebhook, CallToken.New(), tokenRequired: true);
        Assert.AreEqual((CallAckOutcome.TokenMissing, CallAckOutcome.TokenWrong), (missing.Outcome, wrong.Outcome));
        Assert.AreEqual(CallState.Open, rig.Desk.Active.Single().State);

        CallAckResult right = await rig.Desk.AcknowledgeAsync(CallRig.Flat12, "7", "care desk", CallDesk.ViaWebhook, token, tokenRequired: true);

        Assert.AreEqual((CallAckOutcome.Acknowledged, "webhook"), (right.Outcome, right.Call!.AcknowledgedVia));
        Assert.AreEqual((1L, 1L), (rig.Desk.Refused["callback-token-missing"], rig.Desk.Refused["callback-token-wrong"]));
    }

    [TestMethod]
    public async Task OnMessageAsync_CallCancelled_ClosesWithReasonAndStopsEscalation()
    {
        await using var rig = new CallRig();
        await rig.EventAsync(CallRig.Flat12, "call", "7");
        await rig.AdvanceAsync(125 * Second);

        await rig.EventAsync(CallRig.Flat12, "call-cancelled", "7");

        Assert.IsEmpty(rig.Desk.Active);
        Assert.AreEqual((CallState.Cancelled, "call-cancelled"), (rig.Desk.Find(CallRig.Flat12, "7")!.State, rig.Desk.Find(CallRig.Flat12, "7")!.ClosedReason));
        Assert.AreEqual("call-cancelled", rig.Records(CallRecords.Closed).Single().GetProperty("reason").GetString());
        Assert.AreEqual(0, rig.Alerts.OpenCount, "the operator alert goes with the call");
        await rig.AdvanceAsync(10 * 60 * Second);
        Assert.IsEmpty(rig.Sent(CallRig.Flat12, CommandNames.Sound));
        Assert.AreEqual(CallAckOutcome.AlreadyClosed, (await rig.Desk.AcknowledgeAsync(CallRig.Flat12, "7", "alice", CallDesk.ViaOperator)).Outcome);
    }

    [TestMethod]
    public async Task OnMessageAsync_WelfareClearedForAButtonCall_DoesNotCloseIt()
    {
        await using var rig = new CallRig();
        await rig.EventAsync(CallRig.Flat12, "call", "7");

        await rig.EventAsync(CallRig.Flat12, "welfare-cleared", "7");

        Assert.AreEqual(CallState.Open, rig.Desk.Active.Single().State);
        Assert.AreEqual(1L, rig.Desk.Refused["close-wrong-kind"]);
    }

    [TestMethod]
    public async Task OnMessageAsync_CallWithoutUsableId_RaisesACriticalAlertAndCounts()
    {
        await using var rig = new CallRig();

        await rig.EventAsync(CallRig.Flat12, "call", "has spaces and is far too long for any call id");

        Assert.IsEmpty(rig.Desk.Active);
        Alert alert = rig.Alerts.List().Single();
        Assert.AreEqual((CallDesk.UnreadableCallRule, AlertSeverity.Critical), (alert.Rule, alert.Severity));
        StringAssert.Contains(alert.Text, "flat 12");
        Assert.AreEqual(1L, rig.Desk.Refused["bad-call-id"]);
    }

    [TestMethod]
    public async Task OnMessageAsync_WelfareInQuietHours_HeldAndEscalatedFromTheEndOfQuietHours()
    {
        await using var rig = new CallRig(start: new DateTimeOffset(2025, 3, 1, 23, 0, 0, TimeSpan.Zero));

        await rig.EventAsync(CallRig.Flat14, "welfare", "w1", extra: ""","idleMs":14400000""");

        EmergencyCall held = rig.Desk.Active.Single();
        Assert.AreEqual((CallKind.Welfare, CallState.Held, 14_400_000L), (held.Kind, held.State, held.IdleMs));
        Assert.AreEqual(new DateTimeOffset(2025, 3, 2, 7, 0, 0, TimeSpan.Zero), rig.Records(CallRecords.Held).Single().GetProperty("until").GetDateTimeOffset());
        Assert.HasCount(1, rig.Sent(CallRig.Flat14, CommandNames.CallReceived), "the point still hears that the edge has it");
        Assert.IsEmpty(rig.Records(CallRecords.Dispatched));

        await rig.AdvanceAsync(TimeSpan.FromHours(8) - Second);
        Assert.AreEqual(CallState.Held, rig.Desk.Active.Single().State);
        Assert.IsEmpty(rig.Records(CallRecords.Dispatched));
        Assert.AreEqual(0, rig.Alerts.OpenCount);

        await rig.AdvanceAsync(Second);
        Assert.AreEqual(CallState.Open, rig.Desk.Active.Single().State);
        Assert.HasCount(1, rig.Records(CallRecords.Released));
        Assert.AreEqual("care", rig.Records(CallRecords.Dispatched).Single().GetProperty(CallRecords.AddressField).GetString());
        await rig.AdvanceAsync(119 * Second);
        Assert.AreEqual(0, rig.Alerts.OpenCount, "timings count from the end of quiet hours");
        await rig.AdvanceAsync(Second);
        StringAssert.Contains(rig.Alerts.List().Single().Text, "Welfare alert");
    }

    [TestMethod]
    public async Task OnMessageAsync_WelfareClearedWhileHeld_ClosesWithoutEscalation()
    {
        await using var rig = new CallRig(start: new DateTimeOffset(2025, 3, 1, 23, 0, 0, TimeSpan.Zero));
        await rig.EventAsync(CallRig.Flat14, "welfare", "w1");

        await rig.EventAsync(CallRig.Flat14, "welfare-cleared", "w1");
        await rig.AdvanceAsync(TimeSpan.FromHours(9));

        Assert.IsEmpty(rig.Desk.Active);
        Assert.AreEqual("welfare-cleared", rig.Records(CallRecords.Closed).Single().GetProperty("reason").GetString());
        Assert.IsEmpty(rig.Records(CallRecords.Dispatched));
        Assert.IsEmpty(rig.Records(CallRecords.Released));
    }

    [TestMethod]
    public async Task OnMessageAsync_ButtonCallInQuietHours_IsNeverHeld()
    {
        await using var rig = new CallRig(start: new DateTimeOffset(2025, 3, 1, 23, 0, 0, TimeSpan.Zero));

        await rig.EventAsync(CallRig.Flat14, "call", "9");

        Assert.AreEqual(CallState.Open, rig.Desk.Active.Single().State);
        Assert.HasCount(1, rig.Records(CallRecords.Dispatched));
        Assert.IsEmpty(rig.Records(CallRecords.Held));
    }

    [TestMethod]
    public async Task OnMessageAsync_WelfareOutsideQuietHours_EscalatesAtOnce()
    {
        await using var rig = new CallRig();

        await rig.EventAsync(CallRig.Flat14, "welfare", "w2");

        Assert.AreEqual(CallState.Open, rig.Desk.Active.Single().State);
        Assert.HasCount(1, rig.Records(CallRecords.Dispatched));
    }

    [TestMethod]
    public async Task Restart_OpenCall_EscalationResumesFromItsPersistedTime()
    {
        await using var rig = new CallRig();
        await rig.EventAsync(CallRig.Flat12, "call", "7");
        await rig.AdvanceAsync(30 * Second);

        await rig.RestartAsync(downtime: 20 * Second);

        EmergencyCall resumed = rig.Desk.Active.Single();
        Assert.AreEqual(("7", CallState.Open, "dispatched"), (resumed.CallId, resumed.State, resumed.Stage));
        Assert.AreEqual(50 * Second, rig.Desk.Progress(resumed)!.Elapsed, "the clock counts on through the downtime");
        await rig.AdvanceAsync(9 * Second);
        Assert.IsEmpty(rig.Records(CallRecords.Escalated));
        await rig.AdvanceAsync(Second);
        Assert.AreEqual("backup", rig.Records(CallRecords.Escalated).Single().GetProperty(CallRecords.AddressField).GetString());
        Assert.HasCount(1, rig.Records(CallRecords.Dispatched), "a step taken before the restart is not taken again");

        await rig.EventAsync(CallRig.Flat12, "call", "7");
        Assert.HasCount(1, rig.Desk.Active, "the point repeating its call after the restart finds it");
    }

    [TestMethod]
    public async Task Restart_StepsThatCameDueWhileDown_TakenAtStart()
    {
        await using var rig = new CallRig();
        await rig.EventAsync(CallRig.Flat12, "call", "7");

        await rig.RestartAsync(downtime: TimeSpan.FromMinutes(5));

        Assert.HasCount(1, rig.Records(CallRecords.Escalated));
        Assert.AreEqual(1, rig.Alerts.OpenCount);
        Assert.HasCount(1, rig.Sent(CallRig.Flat12, CommandNames.Sound));
        CallAckResult acknowledged = await rig.Desk.AcknowledgeAsync(CallRig.Flat12, "7", "alice", CallDesk.ViaOperator);
        Assert.AreEqual(CallAckOutcome.Acknowledged, acknowledged.Outcome);
        Assert.AreEqual(0, rig.Alerts.OpenCount, "the alert raised after the restart is cleared with the call");
    }

    [TestMethod]
    public async Task Restart_AcknowledgedCall_StaysAcknowledged()
    {
        await using var rig = new CallRig();
        await rig.EventAsync(CallRig.Flat12, "call", "7");
        await rig.Desk.AcknowledgeAsync(CallRig.Flat12, "7", "alice", CallDesk.ViaOperator);

        await rig.RestartAsync(downtime: TimeSpan.FromMinutes(5));

        Assert.IsEmpty(rig.Desk.Active);
        Assert.AreEqual(("alice", CallState.Acknowledged), (rig.Desk.Find(CallRig.Flat12, "7")!.AcknowledgedBy, rig.Desk.Find(CallRig.Flat12, "7")!.State));
        Assert.IsEmpty(rig.Sent(CallRig.Flat12, CommandNames.Sound));
    }

    [TestMethod]
    public async Task OnMessageAsync_CallRepeatedAfterItWasAcknowledged_SendsCallHandledAgainWithoutANewCall()
    {
        await using var rig = new CallRig();
        await rig.EventAsync(CallRig.Flat12, "call", "7");
        await rig.Desk.AcknowledgeAsync(CallRig.Flat12, "7", "alice", CallDesk.ViaOperator);

        await rig.EventAsync(CallRig.Flat12, "call", "7");

        Assert.IsEmpty(rig.Desk.Active);
        Assert.HasCount(2, rig.Sent(CallRig.Flat12, CommandNames.CallHandled));
    }

    [TestMethod]
    public async Task OnMessageAsync_CallIdReusedInANewBoot_OpensANewCall()
    {
        await using var rig = new CallRig();
        await rig.EventAsync(CallRig.Flat12, "call", "1");
        await rig.Desk.AcknowledgeAsync(CallRig.Flat12, "1", "alice", CallDesk.ViaOperator);

        await rig.EventAsync(CallRig.Flat12, "call", "1", boot: 2);

        Assert.AreEqual((CallState.Open, 2L), (rig.Desk.Active.Single().State, rig.Desk.Active.Single().Boot), "a point that numbers from 1 again after a power loss is not taken for a repeat");
        Assert.HasCount(2, rig.Records(CallRecords.Opened));
    }

    [TestMethod]
    public async Task OnMessageAsync_StateStillCallingForAHandledCall_SendsCallHandledAgain()
    {
        await using var rig = new CallRig();
        await rig.EventAsync(CallRig.Flat12, "call", "7");
        await rig.Desk.AcknowledgeAsync(CallRig.Flat12, "7", "alice", CallDesk.ViaOperator);
        await rig.AdvanceAsync(TimeSpan.FromMinutes(2));

        await rig.StateAsync(CallRig.Flat12, "7", "received");

        Assert.HasCount(2, rig.Sent(CallRig.Flat12, CommandNames.CallHandled), "the first call-handled expired unacknowledged (point offline)");
    }
}
