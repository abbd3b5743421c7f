namespace SmartCommunity.Edge.Tests.Commands;

using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json;
using System.Threading.Tasks;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using SmartCommunity.Edge.Commands;
using SmartCommunity.Edge.Layout;
using SmartCommunity.Edge.Storage;
using SmartCommunity.Edge.Tests.TestSupport;
using SmartCommunity.Protocol;

[TestClass]
public sealed class CommandPublisherTests
{
    [TestMethod]
    public async Task SendAsync_DeviceNeverSeen_PublishesEnvelopeWithoutExpiry()
    {
        await using var edge = new EdgeParts();
        DeviceDefinition door = edge.Device(DemoLayout.LobbyEntrance);

        string id = await edge.Commands.SendAsync(door, CommandKind.Release, "fire drill");

        Downlinked sent = edge.Downlink.Published.Single();
        Assert.AreEqual("sc/v1/riverside/b1/door/b1-lobby-entrance/cmd", sent.Topic);
        Assert.IsFalse(sent.Retain, "commands are never retained");
        JsonElement payload = sent.Json;
        Assert.AreEqual(ProtocolVersion.Current, payload.GetProperty("v").GetInt32());
        Assert.AreEqual(id, payload.GetProperty("id").GetString());
        Assert.AreEqual(CommandNames.Release, payload.GetProperty("cmd").GetString());
        Assert.IsGreaterThan(0L, payload.GetProperty("ctr").GetInt64());
        Assert.AreEqual(0L, payload.GetProperty("boot").GetInt64(), "the edge does not know the device's boot yet");
        Assert.AreEqual(0L, payload.GetProperty("exp").GetInt64(), "no expiry without the device's clock");
        Assert.AreEqual(JsonValueKind.String, payload.GetProperty("mac").ValueKind, "the MAC field is reserved");
        Assert.AreEqual("fire drill", payload.GetProperty("reason").GetString());
        Assert.IsLessThanOrEqualTo(MessageLimits.MaxDownlinkBytes, sent.Payload.Length);
        Assert.IsTrue(edge.Commands.IsPending(id));
        Assert.AreEqual(1L, edge.Counters.CommandsSent);
    }

    [TestMethod]
    public async Task SendAsync_DeviceKnown_ExpiryIsDeviceUptimeNowPlusTimeToLive()
    {
        await using var edge = new EdgeParts();
        DeviceDefinition door = edge.Device(DemoLayout.LobbyEntrance);
        edge.Twins.Apply(edge.Twin(door.Id), Messages.Online(door, 1, boot: 3, up: 5_000), edge.Time.GetUtcNow());
        edge.Time.Advance(TimeSpan.FromMilliseconds(1_500));

        await edge.Commands.SendAsync(door, CommandKind.Release, "fire");

        JsonElement payload = edge.Downlink.Published.Single().Json;
        Assert.AreEqual(3L, payload.GetProperty("boot").GetInt64());
        Assert.AreEqual(5_000L + 1_500L + (long)edge.Options.TimeToLive.TotalMilliseconds, payload.GetProperty("exp").GetInt64());
    }

    [TestMethod]
    public async Task SendAsync_TwoCommands_FreshIdsAndGrowingCounter()
    {
        await using var edge = new EdgeParts();
        DeviceDefinition door = edge.Device(DemoLayout.LobbyEntrance);
        DeviceDefinition other = edge.Device(DemoLayout.StairDoor);

        string first = await edge.Commands.SendAsync(door, CommandKind.Release, "fire");
        string second = await edge.Commands.SendAsync(other, CommandKind.Reset, "reset");

        Assert.AreNotEqual(first, second);
        long[] counters = edge.Downlink.Published.Select(p => p.Json.GetProperty("ctr").GetInt64()).ToArray();
        Assert.AreEqual(counters[0] + 1, counters[1]);
        Assert.AreEqual(CommandNames.Reset, edge.Downlink.Published[1].Json.GetProperty("cmd").GetString());
    }

    [TestMethod]
    public async Task SendAsync_Completed_CommandIsInTheEventLog()
    {
        await using var edge = new EdgeParts();
        DeviceDefinition door = edge.Device(DemoLayout.StairDoor);

        string id = await edge.Commands.SendAsync(door, CommandKind.Release, "fire");

        StoredEvent logged = edge.Log.ReadRecent(10, door.Id).Single();
        Assert.AreEqual((Channel.Command, CommandNames.Release, "b1"), (logged.Channel, logged.Name, logged.Building));
        Assert.Contains(id, logged.Payload);
    }

    [TestMethod]
    public async Task RetryDueAsync_NoAckWithinRetryInterval_SendsSamePayloadAgain()
    {
        await using var edge = new EdgeParts();
        DeviceDefinition door = edge.Device(DemoLayout.LobbyEntrance);
        string id = await edge.Commands.SendAsync(door, CommandKind.Release, "fire");

        edge.Time.Advance(edge.Options.RetryInterval - TimeSpan.FromMilliseconds(1));
        await edge.Commands.RetryDueAsync();
        int beforeDue = edge.Downlink.Published.Count;
        edge.Time.Advance(TimeSpan.FromMilliseconds(1));
        await edge.Commands.RetryDueAsync();

        Assert.AreEqual(1, beforeDue, "nothing is re-sent before the retry interval");
        IReadOnlyList<Downlinked> sent = edge.Downlink.Published;
        Assert.HasCount(2, sent);
        Assert.AreEqual(id, sent[1].Json.GetProperty("id").GetString());
        CollectionAssert.AreEqual(sent[0].Payload, sent[1].Payload, "a retry is the same command, not a new one");
        Assert.AreEqual(sent[0].Topic, sent[1].Topic);
        Assert.AreEqual(1L, edge.Counters.CommandRetries);
        Assert.IsTrue(edge.Commands.IsPending(id));
    }

    [TestMethod]
    public async Task RetryDueAsync_NeverAcknowledged_StopsAfterMaxAttempts()
    {
        await using var edge = new EdgeParts(new CommandOptions { RetryInterval = TimeSpan.FromSeconds(2), MaxAttempts = 3, TimeToLive = TimeSpan.FromMinutes(5) });
        string id = await edge.Commands.SendAsync(edge.Device(DemoLayout.LobbyEntrance), CommandKind.Release, "fire");

        for (int i = 0; i < 10; i++)
        {
            edge.Time.Advance(edge.Options.RetryInterval);
            await edge.Commands.RetryDueAsync();
        }

        Assert.HasCount(3, edge.Downlink.Published);
        Assert.IsTrue(edge.Downlink.Published.All(p => p.Json.GetProperty("id").GetString() == id));
        Assert.IsFalse(edge.Commands.IsPending(id));
        Assert.AreEqual(0, edge.Commands.PendingCount);
    }

    [TestMethod]
    public async Task RetryDueAsync_TimeToLivePassed_GivesUpBeforeMaxAttempts()
    {
        await using var edge = new EdgeParts(new CommandOptions { RetryInterval = TimeSpan.FromSeconds(2), MaxAttempts = 50, TimeToLive = TimeSpan.FromSeconds(5) });
        string id = await edge.Commands.SendAsync(edge.Device(DemoLayout.LobbyEntrance), CommandKind.Release, "fire");

        for (int i = 0; i < 10; i++)
        {
            edge.Time.Advance(edge.Options.RetryInterval);
            await edge.Commands.RetryDueAsync();
        }

        Assert.HasCount(2, edge.Downlink.Published, "sent at 0 s and 2 s; the next attempt (at 6 s, the pause doubling) is past the 5 s expiry");
        Assert.IsFalse(edge.Commands.IsPending(id));
    }

    [TestMethod]
    public async Task RetryDueAsync_OwnTimer_RetriesWhenTheClockMoves()
    {
        await using var edge = new EdgeParts();
        string id = await edge.Commands.SendAsync(edge.Device(DemoLayout.LobbyEntrance), CommandKind.Release, "fire");

        edge.Time.Advance(edge.Options.RetryInterval);

        Assert.HasCount(2, edge.Downlink.Published, "the publisher's timer runs on the injected clock");
        Assert.AreEqual(id, edge.Downlink.Published[1].Json.GetProperty("id").GetString());
    }

    [TestMethod]
    public async Task OnAck_Done_SettlesTheCommandSoItIsNotSentAgain()
    {
        await using var edge = new EdgeParts();
        DeviceDefinition door = edge.Device(DemoLayout.LobbyEntrance);
        string id = await edge.Commands.SendAsync(door, CommandKind.Release, "fire");

        edge.Commands.OnAck(Messages.Ack(door, 5, id));
        edge.Time.Advance(edge.Options.RetryInterval * 3);
        await edge.Commands.RetryDueAsync();

        Assert.IsFalse(edge.Commands.IsPending(id));
        Assert.HasCount(1, edge.Downlink.Published);
        Assert.AreEqual((1L, 0L), (edge.Counters.Acks, edge.Counters.RejectedAcks));
    }

    [TestMethod]
    public async Task OnAck_Rejected_SettlesAndCountsTheRejection()
    {
        await using var edge = new EdgeParts();
        DeviceDefinition door = edge.Device(DemoLayout.LobbyEntrance);
        string id = await edge.Commands.SendAsync(door, CommandKind.Reset, "reset");

        edge.Commands.OnAck(Messages.Ack(door, 5, id, CommandNames.ResultRejected));

        Assert.IsFalse(edge.Commands.IsPending(id));
        Assert.AreEqual((1L, 1L), (edge.Counters.Acks, edge.Counters.RejectedAcks));
    }

    [TestMethod]
    public async Task OnAck_UnknownId_LeavesPendingCommandsAlone()
    {
        await using var edge = new EdgeParts();
        DeviceDefinition door = edge.Device(DemoLayout.LobbyEntrance);
        string id = await edge.Commands.SendAsync(door, CommandKind.Release, "fire");

        edge.Commands.OnAck(Messages.Ack(door, 5, "from-before-a-restart"));

        Assert.IsTrue(edge.Commands.IsPending(id));
        Assert.AreEqual(1, edge.Commands.PendingCount);
    }

    [TestMethod]
    public async Task RetryDueAsync_NeverAcknowledged_PauseDoublesUpToTheCap()
    {
        await using var edge = new EdgeParts(new CommandOptions
        {
            RetryInterval = TimeSpan.FromSeconds(1), MaxRetryInterval = TimeSpan.FromSeconds(4), MaxAttempts = 50, TimeToLive = TimeSpan.FromMinutes(5),
        });
        await edge.Commands.SendAsync(edge.Device(DemoLayout.LobbyEntrance), CommandKind.Release, "fire");
        var sentAt = new List<double> { 0 };

        for (int second = 1; second <= 20; second++)
        {
            // The publisher's own timer may send during Advance; count from before it.
            int before = edge.Downlink.Published.Count;
            edge.Time.Advance(TimeSpan.FromSeconds(1));
            await edge.Commands.RetryDueAsync();
            if (edge.Downlink.Published.Count > before)
            {
                sentAt.Add(second);
            }
        }

        CollectionAssert.AreEqual(new List<double> { 0, 1, 3, 7, 11, 15, 19 }, sentAt, "pauses of 1, 2, 4, then 4 s (the cap)");
    }

    [TestMethod]
    public async Task RequestAsync_GateRefuses_NothingSentRefusalCountedAndLogged()
    {
        await using var edge = new EdgeParts();
        edge.Commands.AddSafetyGate(new RefuseEverything());
        DeviceDefinition door = edge.Device(DemoLayout.LobbyEntrance);

        CommandTicket ticket = await edge.Commands.RequestAsync(new CommandRequest(door, CommandKind.Lock, "night schedule", CommandOrigin.Rule, "night-lock"));

        Assert.IsFalse(ticket.Accepted);
        Assert.AreEqual("not today", ticket.RefusedBecause);
        Assert.IsEmpty(edge.Downlink.Published);
        Assert.AreEqual(1L, edge.Counters.CommandsRefused);
        StoredEvent refused = edge.Log.ReadRecent(10, door.Id).Single();
        Assert.AreEqual("command-refused", refused.Name);
        Assert.Contains("night-lock", refused.Payload);
    }

    [TestMethod]
    public async Task RequestAsync_UnlockWithDuration_CarriesMsAndIsTrackedToItsAck()
    {
        await using var edge = new EdgeParts();
        DeviceDefinition door = edge.Device(DemoLayout.LobbyEntrance);

        CommandTicket ticket = await edge.Commands.RequestAsync(new CommandRequest(door, CommandKind.Unlock, "visitor", CommandOrigin.Operator, "alice", 7000));

        Assert.IsTrue(ticket.Accepted);
        Assert.AreEqual(7000L, edge.Downlink.Published.Single().Json.GetProperty("ms").GetInt64());
        CommandRecord pending = edge.Commands.Find(ticket.Id!)!;
        Assert.AreEqual(CommandState.Pending, pending.State);
        Assert.AreEqual("alice", pending.Operator);
        edge.Time.Advance(TimeSpan.FromMilliseconds(40));

        edge.Commands.OnAck(Messages.Ack(door, 5, ticket.Id!));

        CommandRecord done = edge.Commands.Find(ticket.Id!)!;
        Assert.AreEqual(CommandState.Done, done.State);
        Assert.AreEqual(TimeSpan.FromMilliseconds(40), done.SettledAt - done.SentAt);
        Assert.AreEqual(ticket.Id, edge.Commands.Recent(10, door.Id).First().Id);
    }

    [TestMethod]
    public async Task OnAck_Rejected_RecordsTheDevicesReason()
    {
        await using var edge = new EdgeParts();
        DeviceDefinition door = edge.Device(DemoLayout.LobbyEntrance);
        string id = await edge.Commands.SendAsync(door, CommandKind.Release, "test");
        string json = $$"""{"v":1,"dev":"{{door.Id}}","seq":2,"boot":1,"up":1000,"id":"{{id}}","cmd":"release","result":"rejected","reason":"expired"}""";

        edge.Commands.OnAck(Messages.Decode(Messages.TopicOf(door, Channel.Ack), json));

        CommandRecord record = edge.Commands.Find(id)!;
        Assert.AreEqual(CommandState.Rejected, record.State);
        Assert.AreEqual("expired", record.Result);
    }

    [TestMethod]
    public async Task RetryDueAsync_NoAckBeforeExpiry_RecordedAsExpiredInTheLog()
    {
        await using var edge = new EdgeParts(new CommandOptions { RetryInterval = TimeSpan.FromSeconds(1), TimeToLive = TimeSpan.FromSeconds(3) });
        DeviceDefinition door = edge.Device(DemoLayout.LobbyEntrance);
        string id = await edge.Commands.SendAsync(door, CommandKind.Release, "test");
        var settled = new List<CommandRecord>();
        edge.Commands.Settled += settled.Add;

        for (int i = 0; i < 10; i++)
        {
            edge.Time.Advance(TimeSpan.FromSeconds(1));
            await edge.Commands.RetryDueAsync();
        }

        Assert.AreEqual(CommandState.Expired, edge.Commands.Find(id)!.State);
        Assert.AreEqual(id, settled.Single().Id);
        Assert.IsTrue(edge.Log.ReadRecent(50, door.Id).Any(e => e.Name == "command-expired" && e.Payload.Contains(id, StringComparison.Ordinal)));
    }

    [TestMethod]
    public async Task CancelPendingAsync_SelectedKindsInTheBuilding_NoMoreRetriesAndRecordedCancelled()
    {
        await using var edge = new EdgeParts();
        DeviceDefinition b1Door = edge.Device(DemoLayout.LobbyEntrance);
        DeviceDefinition b2Door = edge.Layout.DevicesIn("b2").First(d => d.Kind == DeviceKinds.Door);
        string b1Lock = (await edge.Commands.RequestAsync(new CommandRequest(b1Door, CommandKind.Lock, "schedule", CommandOrigin.Rule))).Id!;
        string b1Release = await edge.Commands.SendAsync(b1Door, CommandKind.Release, "test");
        string b2Lock = (await edge.Commands.RequestAsync(new CommandRequest(b2Door, CommandKind.Lock, "schedule", CommandOrigin.Rule))).Id!;

        int cancelled = await edge.Commands.CancelPendingAsync("b1", k => k == CommandKind.Lock, "fire");

        Assert.AreEqual(1, cancelled);
        Assert.AreEqual(CommandState.Cancelled, edge.Commands.Find(b1Lock)!.State);
        Assert.IsFalse(edge.Commands.IsPending(b1Lock));
        Assert.IsTrue(edge.Commands.IsPending(b1Release));
        Assert.IsTrue(edge.Commands.IsPending(b2Lock));
        int before = edge.Downlink.Published.Count;
        edge.Time.Advance(edge.Options.RetryInterval);
        await edge.Commands.RetryDueAsync();
        Assert.IsFalse(edge.Downlink.Published.Skip(before).Any(p => p.Json.GetProperty("id").GetString() == b1Lock));
    }

    private sealed class RefuseEverything : ISafetyGate
    {
        public string? WhyRefused(CommandRequest request) => "not today";
    }

    [TestMethod]
    public async Task SendAsync_VeryLongReason_ShortenedSoTheCommandFitsTheDeviceLimit()
    {
        await using var edge = new EdgeParts();
        string reason = "operator note: " + new string('x', 2000);

        await edge.Commands.SendAsync(edge.Device(DemoLayout.LobbyEntrance), CommandKind.Release, reason);

        Downlinked sent = edge.Downlink.Published.Single();
        Assert.IsLessThanOrEqualTo(MessageLimits.MaxDownlinkBytes, sent.Payload.Length);
        Assert.StartsWith("operator note: xxx", sent.Json.GetProperty("reason").GetString()!);
        // Room stays for the 64-character MAC of a signed command (protocol.md §4.5), signed or not.
        Assert.IsLessThanOrEqualTo(MessageLimits.MaxDownlinkBytes - MessageLimits.MaxMacLength, sent.Payload.Length);
        Assert.IsGreaterThan(MessageLimits.MaxDownlinkBytes - MessageLimits.MaxMacLength - 40, sent.Payload.Length, "only as much is cut as needed");
    }
}
