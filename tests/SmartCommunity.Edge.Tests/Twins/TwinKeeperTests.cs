namespace SmartCommunity.Edge.Tests.Twins;

using System;
using System.Linq;
using System.Threading.Tasks;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using SmartCommunity.Edge.Layout;
using SmartCommunity.Edge.Storage;
using SmartCommunity.Edge.Tests.TestSupport;
using SmartCommunity.Edge.Twins;
using SmartCommunity.Protocol;

[TestClass]
public sealed class TwinKeeperTests
{
    [TestMethod]
    public async Task Start_AfterAFlush_RestoresEveryTwinField()
    {
        await using var edge = new EdgeParts();
        DeviceDefinition door = edge.Device(DemoLayout.LobbyEntrance);
        edge.Twins.Apply(edge.Twin(door.Id), Messages.Online(door, 1, boot: 4, up: 100), edge.Time.GetUtcNow());
        edge.Twins.Apply(edge.Twin(door.Id), Messages.State(door, 5, "released", boot: 4, up: 900), edge.Time.GetUtcNow());
        await using (TwinKeeper keeper = Keeper(edge, edge.Twins))
        {
            await keeper.RunPassAsync();
        }

        var restored = new TwinRegistry(edge.Layout);
        await using TwinKeeper again = Keeper(edge, restored);
        again.Start(TimeSpan.FromSeconds(2));

        TwinSnapshot twin = restored.Find(door.Id)!.Snapshot();
        TwinSnapshot before = edge.Twin(door.Id).Snapshot();
        Assert.AreEqual(before, twin);
        Assert.IsTrue(twin.Online);
        Assert.AreEqual(4L, twin.Boot);
        Assert.AreEqual(5L, twin.LastSequence);
        Assert.AreEqual(3L, twin.Gaps);
        Assert.AreEqual("test-1", twin.FirmwareVersion);
        Assert.Contains("released", twin.LastState!);
    }

    [TestMethod]
    public async Task Start_LogIsAheadOfTheLastFlush_TakesTheSequenceFromTheLogSoNoFalseGap()
    {
        await using var edge = new EdgeParts();
        DeviceDefinition door = edge.Device(DemoLayout.LobbyEntrance);
        edge.Twins.Apply(edge.Twin(door.Id), Messages.Event(door, 5, "door-opened", boot: 2), edge.Time.GetUtcNow());
        await using (TwinKeeper keeper = Keeper(edge, edge.Twins))
        {
            await keeper.RunPassAsync();
        }

        // Committed and acknowledged after the last flush, then the process died (no further flush).
        for (long seq = 6; seq <= 9; seq++)
        {
            await edge.Log.AppendAsync(new EventRecord(edge.Time.GetUtcNow(), door.Site, door.Building, door.Id, Channel.Event, "door-opened", seq, 2, "{}", EventLane.Priority));
        }

        var restored = new TwinRegistry(edge.Layout);
        await using TwinKeeper again = Keeper(edge, restored);
        again.Start(TimeSpan.FromSeconds(2));

        DeviceTwin twin = restored.Find(door.Id)!;
        Assert.AreEqual(9L, twin.LastSequence);
        Assert.AreEqual(SequenceVerdict.InOrder, restored.Apply(twin, Messages.Event(door, 10, "door-closed", boot: 2), edge.Time.GetUtcNow()));
        Assert.AreEqual(0L, twin.Gaps);
    }

    [TestMethod]
    public async Task RunPassAsync_DeviceQuietLongerThanThreeHeartbeats_MarkedSilentAndLogged()
    {
        await using var edge = new EdgeParts();
        DeviceDefinition door = edge.Device(DemoLayout.LobbyEntrance);
        DeviceTwin twin = edge.Twin(door.Id);
        edge.Twins.Apply(twin, Messages.Online(door, 1), edge.Time.GetUtcNow());
        await using TwinKeeper keeper = Keeper(edge, edge.Twins);

        edge.Time.Advance(twin.SilentAfter);
        await keeper.RunPassAsync();
        Assert.IsTrue(twin.Online, "exactly the allowance is still fine");

        edge.Time.Advance(TimeSpan.FromSeconds(1));
        await keeper.RunPassAsync();

        Assert.IsFalse(twin.Online);
        Assert.AreEqual("silent", twin.OfflineReason);
        Assert.AreEqual(TimeSpan.FromSeconds(95), twin.SilentAfter, "three 30 s heartbeats and a 5 s margin");
        Assert.IsTrue(edge.Log.ReadRecent(10, door.Id).Any(e => e.Name == "device-silent"));
    }

    [TestMethod]
    public async Task RunPassAsync_SilentDeviceSpeaksAgain_OnlineWithoutReason()
    {
        await using var edge = new EdgeParts();
        DeviceDefinition door = edge.Device(DemoLayout.LobbyEntrance);
        DeviceTwin twin = edge.Twin(door.Id);
        edge.Twins.Apply(twin, Messages.Online(door, 1), edge.Time.GetUtcNow());
        await using TwinKeeper keeper = Keeper(edge, edge.Twins);
        edge.Time.Advance(TimeSpan.FromMinutes(5));
        await keeper.RunPassAsync();

        edge.Twins.Apply(twin, Messages.Event(door, 2, "door-opened"), edge.Time.GetUtcNow());

        Assert.IsTrue(twin.Online);
        Assert.IsNull(twin.OfflineReason);
    }

    [TestMethod]
    public void Apply_LastWill_OfflineBecauseOfTheWill()
    {
        var twins = new TwinRegistry(DemoLayout.Load());
        DeviceDefinition door = twins.All.First(t => t.Definition.Kind == DeviceKinds.Door).Definition;
        DeviceTwin twin = twins.Find(door.Id)!;
        twins.Apply(twin, Messages.Online(door, 1), DateTimeOffset.UnixEpoch);

        twins.Apply(twin, Messages.Will(door), DateTimeOffset.UnixEpoch);

        Assert.AreEqual("will", twin.OfflineReason);
    }

    private static TwinKeeper Keeper(EdgeParts edge, TwinRegistry twins) =>
        new(edge.Data.File("edge.db"), twins, edge.Log, edge.Time, NullLogger.Instance);
}
