namespace SmartCommunity.Edge.Tests.Twins;

using System;
using System.Linq;
using Microsoft.Extensions.Time.Testing;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using SmartCommunity.Edge.Ingest;
using SmartCommunity.Edge.Layout;
using SmartCommunity.Edge.Tests.TestSupport;
using SmartCommunity.Edge.Twins;

[TestClass]
public sealed class TwinRegistryTests
{
    private readonly FakeTimeProvider _time = new(EdgeParts.Start);
    private readonly TwinRegistry _twins = new(DemoLayout.Load());

    private DeviceTwin Door => _twins.Find(DemoLayout.LobbyEntrance)!;

    private DeviceDefinition DoorDefinition => Door.Definition;

    [TestMethod]
    public void Constructor_DemoLayout_OneTwinPerDeviceAllOffline()
    {
        Assert.AreEqual(8, _twins.All.Count());
        Assert.IsTrue(_twins.All.All(t => !t.Online && t.Boot == 0 && t.LastSequence == 0));
        Assert.IsNull(_twins.Find("no-such-device"));
    }

    [TestMethod]
    public void Forget_MessageTheLogCouldNotCommit_ItsResendIsNotADuplicate()
    {
        Apply(Messages.Event(DoorDefinition, 1, "released"));
        DeviceMessage uncommitted = Messages.Event(DoorDefinition, 2, "energised");
        Apply(uncommitted);

        _twins.Forget(Door, uncommitted);

        Assert.AreEqual(SequenceVerdict.InOrder, Apply(Messages.Event(DoorDefinition, 2, "energised")));
        Assert.AreEqual(0L, Door.Duplicates);
    }

    [TestMethod]
    public void Forget_OlderMessage_LeavesTheNewerPosition()
    {
        DeviceMessage first = Messages.Event(DoorDefinition, 1, "released");
        Apply(first);
        Apply(Messages.Event(DoorDefinition, 2, "energised"));

        _twins.Forget(Door, first);

        Assert.AreEqual(2L, Door.LastSequence);
    }

    [TestMethod]
    public void Apply_SequenceGrowingByOne_InOrderWithoutGaps()
    {
        Assert.AreEqual(SequenceVerdict.NewBoot, Apply(Messages.Event(DoorDefinition, 1, "released")));
        Assert.AreEqual(SequenceVerdict.InOrder, Apply(Messages.Event(DoorDefinition, 2, "energised")));
        Assert.AreEqual(SequenceVerdict.InOrder, Apply(Messages.Event(DoorDefinition, 3, "door-opened")));

        Assert.AreEqual((1L, 3L, 0L, 0L), (Door.Boot, Door.LastSequence, Door.Gaps, Door.Duplicates));
    }

    [TestMethod]
    public void Apply_SequenceJumps_CountsTheMissingMessagesAsGaps()
    {
        Apply(Messages.Event(DoorDefinition, 1, "released"));

        SequenceVerdict verdict = Apply(Messages.Event(DoorDefinition, 5, "energised"));
        Apply(Messages.Event(DoorDefinition, 6, "door-opened"));
        Apply(Messages.Event(DoorDefinition, 9, "door-closed"));

        Assert.AreEqual(SequenceVerdict.AfterGap, verdict);
        Assert.AreEqual(3L + 2L, Door.Gaps);
        Assert.AreEqual(9L, Door.LastSequence);
    }

    [TestMethod]
    public void Apply_SameSequenceAgain_IsDuplicateAndChangesNothing()
    {
        Apply(Messages.Event(DoorDefinition, 1, "released"));
        Apply(Messages.State(DoorDefinition, 2, "energised"));
        string? stateBefore = Door.LastState;

        SequenceVerdict verdict = Apply(Messages.State(DoorDefinition, 2, "something-else"));

        Assert.AreEqual(SequenceVerdict.Duplicate, verdict);
        Assert.AreEqual((1L, 2L, 1L, 0L), (Door.Boot, Door.LastSequence, Door.Duplicates, Door.Gaps));
        Assert.AreEqual(stateBefore, Door.LastState);
    }

    [TestMethod]
    public void Apply_OlderSequenceOfThisBoot_IsDuplicate()
    {
        Apply(Messages.Event(DoorDefinition, 4, "released"));

        Assert.AreEqual(SequenceVerdict.Duplicate, Apply(Messages.Event(DoorDefinition, 3, "released")));
        Assert.AreEqual(4L, Door.LastSequence);
    }

    [TestMethod]
    public void Apply_MessageFromAnOlderBoot_IsDuplicateEvenWithAHigherSequence()
    {
        Apply(Messages.Event(DoorDefinition, 1, "released", boot: 2));

        SequenceVerdict verdict = Apply(Messages.Event(DoorDefinition, 50, "energised", boot: 1));

        Assert.AreEqual(SequenceVerdict.Duplicate, verdict);
        Assert.AreEqual((2L, 1L, 1L), (Door.Boot, Door.LastSequence, Door.Duplicates));
    }

    [TestMethod]
    public void Apply_NewBoot_RestartsTheSequence()
    {
        Apply(Messages.Event(DoorDefinition, 1, "released", boot: 1));
        Apply(Messages.Event(DoorDefinition, 2, "energised", boot: 1));
        Apply(Messages.Event(DoorDefinition, 3, "door-opened", boot: 1));

        SequenceVerdict rebooted = Apply(Messages.Event(DoorDefinition, 1, "released", boot: 2));
        SequenceVerdict next = Apply(Messages.Event(DoorDefinition, 2, "energised", boot: 2));

        Assert.AreEqual(SequenceVerdict.NewBoot, rebooted);
        Assert.AreEqual(SequenceVerdict.InOrder, next);
        Assert.AreEqual((2L, 2L, 0L, 0L), (Door.Boot, Door.LastSequence, Door.Gaps, Door.Duplicates));
    }

    [TestMethod]
    public void Apply_NewBootStartingLate_CountsItsLostFirstMessages()
    {
        Apply(Messages.Event(DoorDefinition, 1, "released", boot: 1));

        SequenceVerdict verdict = Apply(Messages.Event(DoorDefinition, 4, "released", boot: 2));

        Assert.AreEqual(SequenceVerdict.NewBoot, verdict);
        Assert.AreEqual(3L, Door.Gaps);
    }

    [TestMethod]
    public void Apply_FirstMessageEverMidSequence_CountsNoGaps()
    {
        SequenceVerdict verdict = Apply(Messages.Event(DoorDefinition, 40, "released", boot: 6));

        Assert.AreEqual(SequenceVerdict.NewBoot, verdict);
        Assert.AreEqual((6L, 40L, 0L), (Door.Boot, Door.LastSequence, Door.Gaps));
    }

    [TestMethod]
    public void Apply_OnlineStatus_MarksOnlineAndRecordsFirmware()
    {
        Apply(Messages.Online(DoorDefinition, 1, boot: 3, up: 250));

        Assert.IsTrue(Door.Online);
        Assert.AreEqual("test-1", Door.FirmwareVersion);
        Assert.AreEqual((3L, 1L, 250L), (Door.Boot, Door.LastSequence, Door.LastUptimeMs));
    }

    [TestMethod]
    public void Apply_LastWill_MarksOfflineAndKeepsTheSequence()
    {
        Apply(Messages.Online(DoorDefinition, 1));
        Apply(Messages.Event(DoorDefinition, 2, "energised"));

        SequenceVerdict verdict = Apply(Messages.Will(DoorDefinition));

        Assert.AreEqual(SequenceVerdict.Will, verdict);
        Assert.IsFalse(Door.Online);
        Assert.AreEqual((1L, 2L, 0L, 0L), (Door.Boot, Door.LastSequence, Door.Gaps, Door.Duplicates));
        Assert.AreEqual("test-1", Door.FirmwareVersion);
    }

    [TestMethod]
    public void Apply_AnyMessageAfterTheWill_MarksOnlineAgain()
    {
        Apply(Messages.Online(DoorDefinition, 1));
        Apply(Messages.Will(DoorDefinition));

        SequenceVerdict verdict = Apply(Messages.Event(DoorDefinition, 2, "door-opened"));

        Assert.AreEqual(SequenceVerdict.InOrder, verdict);
        Assert.IsTrue(Door.Online);
    }

    [TestMethod]
    public void Apply_Messages_StampEdgeTimeAndKeepLastState()
    {
        DateTimeOffset first = _time.GetUtcNow();
        Apply(Messages.Event(DoorDefinition, 1, "released"));
        _time.Advance(TimeSpan.FromSeconds(7));

        var state = Messages.State(DoorDefinition, 2, "energised");
        Apply(state);

        Assert.AreEqual(first, Door.LastEventAt, "only events move the last event time");
        Assert.AreEqual(first + TimeSpan.FromSeconds(7), Door.LastSeen);
        Assert.AreEqual(state.Payload, Door.LastState);
    }

    [TestMethod]
    public void Snapshot_AfterMessages_CopiesTheTwin()
    {
        Apply(Messages.Online(DoorDefinition, 1, boot: 2));
        Apply(Messages.Event(DoorDefinition, 3, "energised", boot: 2));

        TwinSnapshot snapshot = Door.Snapshot();

        Assert.AreEqual(DemoLayout.LobbyEntrance, snapshot.Id);
        Assert.AreEqual(("door", "egress-lock", "b1", "ground", "lobby"), (snapshot.Kind, snapshot.Role, snapshot.Building, snapshot.Floor, snapshot.Zone));
        Assert.AreEqual((true, 2L, 3L, 1L, 0L), (snapshot.Online, snapshot.Boot, snapshot.LastSequence, snapshot.Gaps, snapshot.Duplicates));
        Assert.AreEqual("test-1", snapshot.FirmwareVersion);
    }

    private SequenceVerdict Apply(DeviceMessage message) => _twins.Apply(Door, message, _time.GetUtcNow());
}
