namespace SmartCommunity.Edge.Tests.Alerts;

using System;
using System.Linq;
using System.Text.Json;
using System.Threading.Tasks;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using SmartCommunity.Edge.Alerts;
using SmartCommunity.Edge.Storage;
using SmartCommunity.Edge.Tests.TestSupport;

[TestClass]
public sealed class AlertBookTests
{
    [TestMethod]
    public async Task RaiseAsync_NewAlert_OpenAndLoggedOnThePriorityLane()
    {
        await using var edge = new EdgeParts();
        using AlertBook book = Open(edge);

        Alert alert = await book.RaiseAsync("door-held", AlertSeverity.Warning, "stair door open", DemoLayout.StairDoor, "b1");

        Assert.AreEqual(("door-held", AlertSeverity.Warning, "stair door open", DemoLayout.StairDoor, "b1", EdgeParts.Start, AlertState.Raised),
            (alert.Rule, alert.Severity, alert.Text, alert.Device, alert.Building, alert.RaisedAt, alert.State));
        Assert.AreEqual(alert, book.List().Single());
        Assert.AreEqual(alert, book.Find(alert.Id));
        (string name, string payload, long lane) = AlertRecords(edge).Single();
        Assert.AreEqual(("raised", (long)EventLane.Priority), (name, lane));
        using JsonDocument record = JsonDocument.Parse(payload);
        Assert.AreEqual((alert.Id, "warning", "raised"), (record.RootElement.GetProperty("alert").GetInt64(), record.RootElement.GetProperty("severity").GetString(), record.RootElement.GetProperty("state").GetString()));
    }

    [TestMethod]
    public async Task RaiseAsync_SameRuleAndDeviceWhileOpen_CountsARepeatInsteadOfASecondAlert()
    {
        await using var edge = new EdgeParts();
        using AlertBook book = Open(edge);
        Alert first = await book.RaiseAsync("silent", AlertSeverity.Warning, "quiet", "d1", "b1");
        edge.Time.Advance(TimeSpan.FromMinutes(5));

        Alert again = await book.RaiseAsync("silent", AlertSeverity.Critical, "still quiet", "d1", "b1");
        Alert other = await book.RaiseAsync("silent", AlertSeverity.Warning, "quiet", "d2", "b1");

        Assert.AreEqual((first.Id, 1, "still quiet", AlertSeverity.Critical, EdgeParts.Start.AddMinutes(5)), (again.Id, again.Repeats, again.Text, again.Severity, again.LastRaisedAt));
        Assert.AreNotEqual(first.Id, other.Id);
        Assert.AreEqual(2, book.OpenCount);
    }

    [TestMethod]
    public async Task AcknowledgeAsync_OpenAlert_RecordsWhoAndWhenAndStaysOpen()
    {
        await using var edge = new EdgeParts();
        using AlertBook book = Open(edge);
        Alert alert = await book.RaiseAsync("r", AlertSeverity.Critical, "smoke", "d1", "b1");
        edge.Time.Advance(TimeSpan.FromSeconds(40));

        AlertChange change = await book.AcknowledgeAsync(alert.Id, "alice");

        Assert.AreEqual((AlertChangeResult.Done, AlertState.Acknowledged, "alice", EdgeParts.Start.AddSeconds(40)),
            (change.Result, change.Alert!.State, change.Alert.AcknowledgedBy, change.Alert.AcknowledgedAt));
        Assert.AreEqual(AlertState.Acknowledged, book.List().Single().State, "acknowledged is still open until cleared");
        Assert.AreEqual("acknowledged", AlertRecords(edge).Last().Name);
        StringAssert.Contains(AlertRecords(edge).Last().Payload, "\"by\":\"alice\"");
    }

    [TestMethod]
    public async Task AcknowledgeAsync_Twice_SecondSaysWhoWasFirst()
    {
        await using var edge = new EdgeParts();
        using AlertBook book = Open(edge);
        Alert alert = await book.RaiseAsync("r", AlertSeverity.Critical, "smoke");
        await book.AcknowledgeAsync(alert.Id, "alice");

        AlertChange change = await book.AcknowledgeAsync(alert.Id, "bob");

        Assert.AreEqual((AlertChangeResult.AlreadyAcknowledged, "alice"), (change.Result, change.Alert!.AcknowledgedBy));
    }

    [TestMethod]
    public async Task ClearAsync_UnacknowledgedAlert_ClosedAndAcknowledgedByTheSamePerson()
    {
        await using var edge = new EdgeParts();
        using AlertBook book = Open(edge);
        Alert alert = await book.RaiseAsync("r", AlertSeverity.Info, "note");

        AlertChange change = await book.ClearAsync(alert.Id, "bob");

        Assert.AreEqual((AlertChangeResult.Done, AlertState.Cleared, "bob", "bob"), (change.Result, change.Alert!.State, change.Alert.ClearedBy, change.Alert.AcknowledgedBy));
        Assert.IsEmpty(book.List());
        Assert.AreEqual(AlertState.Cleared, book.List(openOnly: false).Single().State);
        Assert.AreEqual(AlertState.Cleared, book.Find(alert.Id)!.State);
        Assert.AreEqual(AlertChangeResult.AlreadyCleared, (await book.ClearAsync(alert.Id, "bob")).Result);
        Assert.AreEqual(AlertChangeResult.AlreadyCleared, (await book.AcknowledgeAsync(alert.Id, "bob")).Result);
        CollectionAssert.AreEqual(new[] { "raised", "cleared" }, AlertRecords(edge).Select(r => r.Name).ToList());
    }

    [TestMethod]
    public async Task RaiseAsync_AfterTheOpenOneWasCleared_RaisesANewAlert()
    {
        await using var edge = new EdgeParts();
        using AlertBook book = Open(edge);
        Alert first = await book.RaiseAsync("r", AlertSeverity.Warning, "x", "d1");
        await book.ClearAsync(first.Id, "bob");

        Alert second = await book.RaiseAsync("r", AlertSeverity.Warning, "x", "d1");

        Assert.AreNotEqual(first.Id, second.Id);
        Assert.AreEqual(0, second.Repeats);
    }

    [TestMethod]
    public async Task AcknowledgeAsync_UnknownId_NotFound()
    {
        await using var edge = new EdgeParts();
        using AlertBook book = Open(edge);

        Assert.AreEqual(new AlertChange(AlertChangeResult.NotFound, null), await book.AcknowledgeAsync(42, "alice"));
        Assert.AreEqual(new AlertChange(AlertChangeResult.NotFound, null), await book.ClearAsync(42, "alice"));
        Assert.IsNull(book.Find(42));
    }

    [TestMethod]
    public async Task AcknowledgeAsync_NoOperatorName_Refused()
    {
        await using var edge = new EdgeParts();
        using AlertBook book = Open(edge);
        Alert alert = await book.RaiseAsync("r", AlertSeverity.Warning, "x");

        await Assert.ThrowsAsync<ArgumentException>(() => book.AcknowledgeAsync(alert.Id, " "));
    }

    [TestMethod]
    public async Task Open_AfterARestart_AlertsAndTheirAcknowledgementsAreStillThere()
    {
        await using var edge = new EdgeParts();
        long acknowledged, cleared, raised;
        using (AlertBook book = Open(edge))
        {
            acknowledged = (await book.RaiseAsync("a", AlertSeverity.Critical, "ack me", "d1", "b1")).Id;
            cleared = (await book.RaiseAsync("b", AlertSeverity.Warning, "clear me")).Id;
            raised = (await book.RaiseAsync("c", AlertSeverity.Info, "leave me")).Id;
            await book.AcknowledgeAsync(acknowledged, "alice");
            await book.ClearAsync(cleared, "bob");
        }

        edge.Time.Advance(TimeSpan.FromHours(1));
        using AlertBook reopened = Open(edge);

        CollectionAssert.AreEqual(new[] { raised, acknowledged }, reopened.List().Select(a => a.Id).ToList(), "open alerts, newest first");
        Alert ack = reopened.Find(acknowledged)!;
        Assert.AreEqual(("alice", EdgeParts.Start, "d1", "b1", AlertSeverity.Critical), (ack.AcknowledgedBy, ack.AcknowledgedAt, ack.Device, ack.Building, ack.Severity));
        Assert.AreEqual(("bob", AlertState.Cleared), (reopened.Find(cleared)!.ClearedBy, reopened.Find(cleared)!.State));
        Alert again = await reopened.RaiseAsync("a", AlertSeverity.Critical, "ack me", "d1", "b1");
        Assert.AreEqual((acknowledged, 1), (again.Id, again.Repeats), "an open alert from before the restart still takes the repeats");
        Assert.IsGreaterThan(raised, (await reopened.RaiseAsync("d", AlertSeverity.Info, "new")).Id, "ids never repeat");
    }

    [TestMethod]
    public async Task Changed_EveryChange_IsReported()
    {
        await using var edge = new EdgeParts();
        using AlertBook book = Open(edge);
        var seen = new System.Collections.Generic.List<AlertState>();
        book.Changed += a => seen.Add(a.State);

        Alert alert = await book.RaiseAsync("r", AlertSeverity.Warning, "x");
        await book.AcknowledgeAsync(alert.Id, "alice");
        await book.ClearAsync(alert.Id, "alice");

        CollectionAssert.AreEqual(new[] { AlertState.Raised, AlertState.Acknowledged, AlertState.Cleared }, seen);
    }

    private static AlertBook Open(EdgeParts edge) => AlertBook.Open(edge.Data.File("edge.db"), edge.Log, edge.Layout.Site, edge.Time, NullLogger.Instance);

    private static (string Name, string Payload, long Lane)[] AlertRecords(EdgeParts edge)
    {
        using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = edge.Data.File("edge.db"), Pooling = false }.ToString());
        connection.Open();
        using SqliteCommand command = connection.CreateCommand();
        command.CommandText = "SELECT name, payload, lane FROM events WHERE source = 'edge' AND channel = 'alert' ORDER BY id";
        using SqliteDataReader reader = command.ExecuteReader();
        var records = new System.Collections.Generic.List<(string, string, long)>();
        while (reader.Read())
        {
            records.Add((reader.GetString(0), reader.GetString(1), reader.GetInt64(2)));
        }

        return [.. records];
    }
}
