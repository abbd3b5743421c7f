namespace SmartCommunity.Edge.Tests.Commands;

using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading.Tasks;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using SmartCommunity.Edge.Commands;
using SmartCommunity.Edge.Layout;
using SmartCommunity.Edge.Tests.TestSupport;
using SmartCommunity.Protocol;
using SmartCommunity.Protocol.Crypto;
using Microsoft.VisualStudio.TestTools.UnitTesting;

/// <summary>The edge's side of signed commands (hardware-docs/protocol.md §4.5) and its persisted counter.</summary>
[TestClass]
public sealed class CommandSigningTests
{
    private static readonly byte[] Key = Enumerable.Range(0, 32).Select(i => (byte)(i * 7)).ToArray();

    [TestMethod]
    public async Task SendAsync_DeviceWithKey_MacVerifiesOnTheDeviceSideAndRetriesAreByteIdentical()
    {
        await using var parts = new EdgeParts();
        var commands = new CommandPublisher(parts.Downlink, parts.Log, parts.Twins, parts.Counters, parts.Time, NullLogger.Instance, parts.Options)
        {
            Keys = new FixedKeys(new Dictionary<string, CommandSigningKey> { [DemoLayout.StairDoor] = new(1, Key) }),
        };
        await using (commands)
        {
            await commands.SendAsync(parts.Device(DemoLayout.StairDoor), CommandKind.Release, "fire \"drill\" with a note");
            await commands.SendAsync(parts.Device(DemoLayout.LobbyEntrance), CommandKind.Release, "fire");
            parts.Time.Advance(parts.Options.RetryInterval);
            await commands.RetryDueAsync();

            List<Downlinked> toStair = parts.Downlink.Commands.Where(c => c.Topic.Contains(DemoLayout.StairDoor, StringComparison.Ordinal)).ToList();
            Assert.HasCount(2, toStair, "the first send and one retry");
            CollectionAssert.AreEqual(toStair[0].Payload, toStair[1].Payload, "a retry is the very same signed bytes");
            Assert.IsTrue(VerifiesOnDevice(toStair[0].Payload), "the firmware's own HMAC accepts the edge's .NET HMAC");
            Assert.AreEqual(1L, commands.SignedSent);
            Downlinked toLobby = parts.Downlink.Commands.First(c => c.Topic.Contains(DemoLayout.LobbyEntrance, StringComparison.Ordinal));
            Assert.AreEqual(string.Empty, toLobby.Json.GetProperty("mac").GetString(), "a device without a key gets unsigned commands");
        }
    }

    [TestMethod]
    public void MaxEncodedLength_LongReason_LeavesRoomForTheMac()
    {
        var request = new CommandRequest(DemoLayout.Load().DevicesById[DemoLayout.StairDoor], CommandKind.Release, new string('x', 1000), CommandOrigin.Operator);

        Assert.IsGreaterThan(MessageLimits.MaxDownlinkBytes, CommandPublisher.MaxEncodedLength(request));
    }

    [TestMethod]
    public async Task SendAsync_LongReasonToKeyedDevice_SignedCommandStillFitsTheLimit()
    {
        await using var parts = new EdgeParts();
        var commands = new CommandPublisher(parts.Downlink, parts.Log, parts.Twins, parts.Counters, parts.Time, NullLogger.Instance, parts.Options)
        {
            Keys = new FixedKeys(new Dictionary<string, CommandSigningKey> { [DemoLayout.StairDoor] = new(1, Key) }),
        };
        await using (commands)
        {
            await commands.SendAsync(parts.Device(DemoLayout.StairDoor), CommandKind.Release, new string('r', 600));

            byte[] payload = parts.Downlink.Commands.Single().Payload;
            Assert.IsLessThanOrEqualTo(MessageLimits.MaxDownlinkBytes, payload.Length);
            Assert.IsTrue(VerifiesOnDevice(payload));
        }
    }

    [TestMethod]
    public void Next_AfterRestartWithTheClockSetBack_KeepsGrowing()
    {
        using var data = new TempFolder();
        string path = data.File(CommandCounter.FileName);
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 28, 12, 0, 0, TimeSpan.Zero));
        CommandCounter first = CommandCounter.Open(path, time);
        long last = 0;
        for (int i = 0; i < 10; i++)
        {
            last = first.Next();
        }

        // A box without a battery clock may come up a day (or decades) in the past.
        CommandCounter second = CommandCounter.Open(path, new FakeTimeProvider(time.GetUtcNow().AddDays(-1)));

        Assert.IsGreaterThan(last, second.Next());
    }

    [TestMethod]
    public void Next_PastTheReservedBlock_ReservesTheNextOneFirst()
    {
        using var data = new TempFolder();
        string path = data.File(CommandCounter.FileName);
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 28, 12, 0, 0, TimeSpan.Zero));
        CommandCounter counter = CommandCounter.Open(path, time);
        long start = counter.Current;

        long value = 0;
        for (long i = 0; i <= CommandCounter.Block; i++)
        {
            value = counter.Next();
        }

        Assert.AreEqual(start + CommandCounter.Block + 1, value);
        Assert.IsGreaterThan(value, long.Parse(File.ReadAllText(path), System.Globalization.CultureInfo.InvariantCulture));
    }

    [TestMethod]
    public void Open_UnreadableFile_StartsFromTheClock()
    {
        using var data = new TempFolder();
        string path = data.File(CommandCounter.FileName);
        File.WriteAllText(path, "garbage");
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 28, 12, 0, 0, TimeSpan.Zero));

        CommandCounter counter = CommandCounter.Open(path, time);

        Assert.AreEqual(time.GetUtcNow().ToUnixTimeMilliseconds() + 1, counter.Next());
    }

    private static bool VerifiesOnDevice(byte[] payload)
    {
        var decoder = new CommandDecoder();
        var command = new Command();
        Assert.AreEqual(CommandRejection.None, decoder.Decode(payload, payload.Length, command));
        var key = new CommandKey();
        key.Set(1, Key, 0);
        return key.Verify(payload, payload.Length, command.MacStart, command.MacRawLength);
    }

    private sealed class FixedKeys(Dictionary<string, CommandSigningKey> keys) : ICommandKeys
    {
        public CommandSigningKey? SigningKeyFor(string deviceId) => keys.GetValueOrDefault(deviceId);
    }
}
