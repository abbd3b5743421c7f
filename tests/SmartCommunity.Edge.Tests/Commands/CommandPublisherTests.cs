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

        Assert.HasCount(3, edge.Downlink.Published, "sent at 0 s, 2 s and 4 s; at 6 s the command has expired");
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
}
