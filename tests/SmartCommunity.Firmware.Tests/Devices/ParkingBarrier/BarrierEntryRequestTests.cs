namespace SmartCommunity.Firmware.Tests.Devices.ParkingBarrier;

using System.Text.Json;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using SmartCommunity.Firmware.Devices.DoorController;
using SmartCommunity.Firmware.Devices.ParkingBarrier;

/// <summary>Card reads become entry requests the edge answers (hardware-docs/parking-barrier.md, "Entry requests").</summary>
[TestClass]
public sealed class BarrierEntryRequestTests
{
    private static BarrierRig Ready()
    {
        BarrierRig rig = new BarrierRig();
        rig.Run(rig.Settings.SensorRecoverMs + BarrierRig.StepMs);
        return rig;
    }

    private static JsonElement LastEvent(BarrierRig rig, string name) =>
        rig.EventPayloads().FindLast(e => e.GetProperty("event").GetString() == name);

    [TestMethod]
    public void Step_CardRead_SendsEntryRequestAndStaysClosed()
    {
        BarrierRig rig = Ready();

        rig.Reader.Present(4_468_004, 26);
        rig.Step(BarrierRig.StepMs);

        JsonElement request = LastEvent(rig, "entry-request");
        Assert.AreEqual("4468004", request.GetProperty("card").GetString());
        Assert.AreEqual(26, request.GetProperty("bits").GetInt32());
        Assert.AreEqual("wiegand", request.GetProperty("reader").GetString());
        Assert.AreEqual(1, request.GetProperty("req").GetInt64());
        Assert.AreEqual(BarrierState.Closed, rig.Controller.State, "the barrier does not decide who may park");
        Assert.IsFalse(rig.DriveOpen.Energised);
    }

    [TestMethod]
    public void Execute_OpenAnsweringTheRequest_OpensAndSignalsGrant()
    {
        BarrierRig rig = Ready();
        rig.Reader.Present(17);
        rig.Step(BarrierRig.StepMs);

        rig.Command("o1", "open", ",\"req\":1,\"why\":\"valid\"");

        Assert.AreEqual("done", rig.LastAck().GetProperty("result").GetString());
        Assert.AreEqual(BarrierState.Opening, rig.Controller.State);
        Assert.AreEqual(1, rig.Reader.GrantedSignals);
        rig.RunUntil(BarrierState.Open);
    }

    [TestMethod]
    public void Execute_DenyAnsweringTheRequest_StaysClosedAndSignalsDenial()
    {
        BarrierRig rig = Ready();
        rig.Reader.Present(17);
        rig.Step(BarrierRig.StepMs);

        rig.Command("d1", "deny", ",\"req\":1,\"why\":\"car-park-full\"");

        Assert.AreEqual("done", rig.LastAck().GetProperty("result").GetString());
        Assert.AreEqual(BarrierState.Closed, rig.Controller.State);
        Assert.AreEqual(1, rig.Reader.DeniedSignals);
        Assert.AreEqual(0, rig.Reader.GrantedSignals);
    }

    [TestMethod]
    public void Execute_OpenAnswerArrivingTooLate_RefusedAsExpiredAndStaysClosed()
    {
        BarrierRig rig = Ready();
        rig.Reader.Present(17);
        rig.Step(BarrierRig.StepMs);
        rig.Run(rig.Settings.EntryAnswerMs + BarrierRig.StepMs);

        rig.Command("o1", "open", ",\"req\":1");

        Assert.AreEqual("rejected", rig.LastAck().GetProperty("result").GetString());
        Assert.AreEqual("expired", rig.LastAck().GetProperty("reason").GetString());
        Assert.AreEqual(BarrierState.Closed, rig.Controller.State);
        Assert.AreEqual(0, rig.Reader.Signals);
    }

    [TestMethod]
    public void Execute_AnswerToAnOlderRequest_RefusedAndOnlyTheNewestCounts()
    {
        BarrierRig rig = Ready();
        rig.Reader.Present(17);
        rig.Step(BarrierRig.StepMs);
        rig.Reader.Present(18);
        rig.Step(BarrierRig.StepMs);
        Assert.AreEqual(2, LastEvent(rig, "entry-request").GetProperty("req").GetInt64());

        rig.Command("o1", "open", ",\"req\":1");
        Assert.AreEqual("rejected", rig.LastAck().GetProperty("result").GetString());
        Assert.AreEqual(BarrierState.Closed, rig.Controller.State);

        rig.Command("o2", "open", ",\"req\":2");
        Assert.AreEqual("done", rig.LastAck().GetProperty("result").GetString());
        Assert.AreEqual(BarrierState.Opening, rig.Controller.State);
    }

    [TestMethod]
    public void Execute_SecondAnswerToTheSameRequest_Refused()
    {
        BarrierRig rig = Ready();
        rig.Reader.Present(17);
        rig.Step(BarrierRig.StepMs);
        rig.Command("d1", "deny", ",\"req\":1");

        rig.Command("o1", "open", ",\"req\":1");

        Assert.AreEqual("rejected", rig.LastAck().GetProperty("result").GetString());
        Assert.AreEqual(BarrierState.Closed, rig.Controller.State);
    }

    [TestMethod]
    public void Execute_OpenWithoutRequest_OpensAsAnOperatorOpen()
    {
        BarrierRig rig = Ready();

        rig.Command("o1", "open");

        Assert.AreEqual(BarrierState.Opening, rig.Controller.State);
        Assert.AreEqual(0, rig.Reader.Signals);
    }

    [TestMethod]
    public void Step_CardReadWithoutLink_SignalsDenialAndSendsNothing()
    {
        BarrierRig rig = Ready();
        rig.Transport.Disconnect();

        rig.Reader.Present(17);
        rig.Step(BarrierRig.StepMs);

        Assert.AreEqual(1, rig.Reader.DeniedSignals);
        Assert.AreEqual(0, rig.Count("entry-request"));
        Assert.AreEqual(BarrierState.Closed, rig.Controller.State);
    }

    [TestMethod]
    public void Step_BadFrame_CountedAndReported()
    {
        BarrierRig rig = Ready();

        rig.Reader.PresentBadFrame(BadFrameReason.Parity);
        rig.Step(BarrierRig.StepMs);

        JsonElement bad = LastEvent(rig, "bad-frame");
        Assert.AreEqual("parity", bad.GetProperty("why").GetString());
        Assert.AreEqual(1L, rig.Controller.BadFrames);
        Assert.AreEqual(0, rig.Count("entry-request"));
    }

    [TestMethod]
    public void Execute_OpenAnswerDuringEvacuation_StillOpen()
    {
        BarrierRig rig = Ready();
        rig.Command("e1", "evacuate");
        rig.RunUntil(BarrierState.Open);
        rig.Reader.Present(17);
        rig.Step(BarrierRig.StepMs);

        rig.Command("d1", "deny", ",\"req\":1");

        Assert.AreEqual(BarrierState.Open, rig.Controller.State, "a deny never closes anything");
    }
}
