namespace SmartCommunity.Firmware.Tests.Devices.EmergencyCallPoint;

using System.Text.Json;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using SmartCommunity.Firmware.Devices.EmergencyCallPoint;

/// <summary>The no-activity (welfare) check. The window is in device uptime; the edge applies any quiet hours.</summary>
public sealed partial class EmergencyCallPointTests
{
    private const long Hour = 3_600_000;

    [TestMethod]
    public void Step_NoActivityForTheWindow_WelfareCallWithItsOwnIdAndIdleTime()
    {
        EmergencyCallPointRig rig = new EmergencyCallPointRig();
        rig.Step();

        rig.Step(rig.Settings.NoActivityMs - 1);
        Assert.AreEqual(EmergencyCallState.Idle, rig.Point.CallState);
        rig.Step(1);

        Assert.AreEqual(EmergencyCallState.Calling, rig.Point.CallState);
        Assert.AreEqual(EmergencyCallKind.Welfare, rig.Point.CallKind);
        CollectionAssert.AreEqual(new[] { "welfare" }, rig.Events());
        JsonElement welfare = rig.EventPayloads()[0];
        Assert.AreEqual("9-1", welfare.GetProperty("call").GetString());
        Assert.AreEqual("welfare", welfare.GetProperty("kind").GetString());
        Assert.AreEqual(rig.Settings.NoActivityMs, welfare.GetProperty("idleMs").GetInt64());
        JsonElement state = rig.LastState();
        Assert.AreEqual("welfare", state.GetProperty("kind").GetString());
        Assert.AreEqual("calling", state.GetProperty("callState").GetString());
        Assert.AreEqual(rig.Settings.NoActivityMs, state.GetProperty("lastActivityMs").GetInt64());
    }

    [TestMethod]
    public void Step_MotionWithinTheWindow_RestartsTheWindow()
    {
        EmergencyCallPointRig rig = new EmergencyCallPointRig();
        rig.Step();
        rig.Step(rig.Settings.NoActivityMs - Hour);

        rig.Move();
        long movedAt = rig.Clock.UptimeMs - EmergencyCallPointRig.TickMs;
        rig.Step(rig.Settings.NoActivityMs - 2 * EmergencyCallPointRig.TickMs);
        Assert.AreEqual(EmergencyCallState.Idle, rig.Point.CallState);
        Assert.IsEmpty(rig.Events());

        rig.Step(movedAt + rig.Settings.NoActivityMs - rig.Clock.UptimeMs);
        Assert.AreEqual(EmergencyCallKind.Welfare, rig.Point.CallKind);
    }

    [TestMethod]
    public void Step_ButtonPressWithinTheWindow_CountsAsActivity()
    {
        EmergencyCallPointRig rig = new EmergencyCallPointRig();
        rig.Step();
        rig.Step(rig.Settings.NoActivityMs - Hour);
        rig.PressCancel();

        rig.Step(Hour * 2);

        Assert.AreEqual(EmergencyCallState.Idle, rig.Point.CallState);
        Assert.IsEmpty(rig.Events());
    }

    [TestMethod]
    public void Step_MotionAfterWelfareRaised_WelfareClearedAndIdle()
    {
        EmergencyCallPointRig rig = RigWelfareCalling();

        rig.Move();

        Assert.AreEqual(EmergencyCallState.Idle, rig.Point.CallState);
        CollectionAssert.AreEqual(new[] { "welfare", "welfare-cleared" }, rig.Events());
        JsonElement cleared = rig.EventPayloads()[1];
        Assert.AreEqual("9-1", cleared.GetProperty("call").GetString());
        Assert.AreEqual("welfare", cleared.GetProperty("kind").GetString());
        Assert.AreEqual("idle", rig.LastState().GetProperty("callState").GetString());
    }

    [TestMethod]
    public void Step_WelfareCall_TakesTheSameReceivedSoundHandledPath()
    {
        EmergencyCallPointRig rig = RigWelfareCalling();
        rig.Run(rig.Settings.CallResendMs + 100);
        Assert.HasCount(2, rig.EventsNamed("welfare"));

        rig.CallCommand("w1", "call-received", "9-1");
        Assert.IsTrue(rig.ReceivedIndicator.Energised);
        rig.CallCommand("w2", "sound", "9-1");
        Assert.IsTrue(rig.Sounder.Energised);
        rig.CallCommand("w3", "call-handled", "9-1");

        Assert.AreEqual(EmergencyCallState.Handled, rig.Point.CallState);
        Assert.IsFalse(rig.Sounder.Energised);
        Assert.IsTrue(rig.HandledIndicator!.Energised);
        rig.Run(rig.Settings.HandledShowMs + 100);
        Assert.AreEqual(EmergencyCallState.Idle, rig.Point.CallState);
        Assert.HasCount(2, rig.EventsNamed("welfare"));
    }

    [TestMethod]
    public void Step_MotionWhileWelfareSounding_SounderOffAndWelfareCleared()
    {
        EmergencyCallPointRig rig = RigWelfareCalling();
        rig.CallCommand("w1", "sound", "9-1");

        rig.Move();

        Assert.IsFalse(rig.Sounder.Energised);
        Assert.AreEqual(EmergencyCallState.Idle, rig.Point.CallState);
        Assert.AreEqual("welfare-cleared", rig.Events()[^1]);
        rig.CallCommand("w2", "call-handled", "9-1");
        Assert.AreEqual("done", rig.LastAck().GetProperty("result").GetString(), "the edge may still close the cleared call");
    }

    [TestMethod]
    public void Step_CancelDuringWelfareCall_WelfareClearedAndIdle()
    {
        EmergencyCallPointRig rig = RigWelfareCalling();
        rig.CallCommand("w1", "sound", "9-1");

        rig.PressCancel();

        Assert.AreEqual(EmergencyCallState.Idle, rig.Point.CallState);
        Assert.IsFalse(rig.Sounder.Energised);
        CollectionAssert.AreEqual(new[] { "welfare", "welfare-cleared" }, rig.Events());
        JsonElement cleared = rig.EventPayloads()[1];
        Assert.AreEqual("9-1", cleared.GetProperty("call").GetString());
        Assert.AreEqual("welfare", cleared.GetProperty("kind").GetString());
    }

    [TestMethod]
    public void Step_MotionDuringButtonCall_NeverCancelsIt()
    {
        EmergencyCallPointRig rig = new EmergencyCallPointRig();
        rig.Step();
        rig.PressCall();
        rig.CallCommand("c1", "call-received", "9-1");

        for (int i = 0; i < 10; i++)
        {
            rig.Move();
        }

        Assert.AreEqual(EmergencyCallState.Received, rig.Point.CallState);
        Assert.AreEqual(EmergencyCallKind.Call, rig.Point.CallKind);
        Assert.DoesNotContain("welfare-cleared", rig.Events());
        Assert.DoesNotContain("call-cancelled", rig.Events());
    }

    [TestMethod]
    public void Step_PressDuringWelfareCall_WelfareClearedAndButtonCallRaised()
    {
        EmergencyCallPointRig rig = RigWelfareCalling();
        rig.CallCommand("w1", "call-received", "9-1");

        rig.PressCall();

        CollectionAssert.AreEqual(new[] { "welfare", "welfare-cleared", "call" }, rig.Events());
        Assert.AreEqual("9-2", rig.Point.CallId);
        Assert.AreEqual(EmergencyCallKind.Call, rig.Point.CallKind);
        Assert.AreEqual(EmergencyCallState.Calling, rig.Point.CallState);
        Assert.IsFalse(rig.ReceivedIndicator.Energised, "the new call is not received yet");
    }

    [TestMethod]
    public void Step_StillNoActivityAfterWelfareHandled_AnotherWelfareCallOneWindowLater()
    {
        EmergencyCallPointRig rig = RigWelfareCalling();
        long raisedAt = rig.Clock.UptimeMs;
        rig.CallCommand("w1", "call-handled", "9-1");
        rig.Run(rig.Settings.HandledShowMs + 100);

        rig.Step(raisedAt + rig.Settings.NoActivityMs - 1 - rig.Clock.UptimeMs);
        Assert.AreEqual(EmergencyCallState.Idle, rig.Point.CallState);
        rig.Step(1);

        Assert.AreEqual(EmergencyCallKind.Welfare, rig.Point.CallKind);
        Assert.AreEqual("9-2", rig.Point.CallId);
        Assert.AreEqual(rig.Settings.NoActivityMs * 2, rig.EventsNamed("welfare")[^1].GetProperty("idleMs").GetInt64());
    }

    [TestMethod]
    public void Step_WindowPassesDuringButtonCall_WelfareWaitsUntilTheCallEnds()
    {
        EmergencyCallPointRig rig = new EmergencyCallPointRig();
        rig.Step();
        rig.PressCall();
        rig.CallCommand("c1", "call-received", "9-1");

        rig.Step(rig.Settings.NoActivityMs + Hour);
        Assert.AreEqual(EmergencyCallKind.Call, rig.Point.CallKind);
        rig.CallCommand("c2", "call-handled", "9-1");
        rig.Run(rig.Settings.HandledShowMs + 100);

        Assert.AreEqual(EmergencyCallKind.Welfare, rig.Point.CallKind);
        Assert.AreEqual("9-2", rig.Point.CallId);
    }

    [TestMethod]
    public void Step_NoPresenceSensorFitted_NoWelfareCallEver()
    {
        EmergencyCallPointRig rig = new EmergencyCallPointRig(withMotion: false);
        rig.Step();

        rig.Step(EmergencyCallPointSettings.MaxNoActivityMs * 2);

        Assert.AreEqual(EmergencyCallState.Idle, rig.Point.CallState);
        Assert.AreEqual(0L, rig.Point.NoActivityMs);
        Assert.IsFalse(rig.LastState().GetProperty("welfare").GetBoolean());
    }

    [TestMethod]
    public void Step_NoActivityZero_WelfareCheckOff()
    {
        EmergencyCallPointRig rig = new EmergencyCallPointRig(new EmergencyCallPointSettings { NoActivityMs = 0 });
        rig.Step();

        rig.Step(EmergencyCallPointSettings.MaxNoActivityMs * 2);

        Assert.AreEqual(EmergencyCallState.Idle, rig.Point.CallState);
    }

    [TestMethod]
    [DataRow(60_000L, EmergencyCallPointSettings.MinNoActivityMs)]
    [DataRow(30L * 24 * 3_600_000, EmergencyCallPointSettings.MaxNoActivityMs)]
    [DataRow(6L * 3_600_000, 6L * 3_600_000)]
    public void Constructor_NoActivityWindow_BroughtIntoTheAllowedRange(long configured, long used)
    {
        EmergencyCallPointRig rig = new EmergencyCallPointRig(new EmergencyCallPointSettings { NoActivityMs = configured });

        Assert.AreEqual(used, rig.Point.NoActivityMs);
        rig.Step();
        rig.Step(used);
        Assert.AreEqual(EmergencyCallKind.Welfare, rig.Point.CallKind);
    }

    private static EmergencyCallPointRig RigWelfareCalling()
    {
        EmergencyCallPointRig rig = new EmergencyCallPointRig();
        rig.Step();
        rig.Step(rig.Settings.NoActivityMs);
        Assert.AreEqual(EmergencyCallKind.Welfare, rig.Point.CallKind);
        Assert.AreEqual(EmergencyCallState.Calling, rig.Point.CallState);
        return rig;
    }
}
