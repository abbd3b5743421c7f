namespace SmartCommunity.Edge.Tests.Operators;

using System;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Text.Json;
using System.Threading.Tasks;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using SmartCommunity.Edge.Operators;
using SmartCommunity.Edge.Storage;
using SmartCommunity.Edge.Tests.Http;
using SmartCommunity.Edge.Tests.Operations;
using SmartCommunity.Edge.Tests.TestSupport;

/// <summary>Operator roles: kept with the token, migrated for old databases, set by the command line, carried by the request.</summary>
[TestClass]
public sealed class OperatorRolesTests
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2025, 3, 1, 8, 0, 0, TimeSpan.Zero));

    [TestMethod]
    public async Task IssueAsync_AdminAndDefault_EachTokenIdentifiesItsRoleAndTheListShowsThem()
    {
        using var data = new TempFolder();
        await using OperatorStore store = OperatorStore.Open(data.File("edge.db"), _time);

        string alice = await store.IssueAsync("alice", "test");
        string root = await store.IssueAsync("root", "test", OperatorRoles.Admin);

        Assert.AreEqual(new OperatorIdentity("alice", OperatorRoles.Operator), await store.IdentifyAsync(alice));
        Assert.AreEqual(new OperatorIdentity("root", OperatorRoles.Admin), await store.IdentifyAsync(root));
        CollectionAssert.AreEqual(new[] { ("alice", "operator"), ("root", "admin") }, (await store.ListAsync()).Select(o => (o.Name, o.Role)).ToArray());
    }

    [TestMethod]
    public async Task IssueAsync_UnknownRole_RefusedNamingTheRoles()
    {
        using var data = new TempFolder();
        await using OperatorStore store = OperatorStore.Open(data.File("edge.db"), _time);

        OperatorException error = await Assert.ThrowsExactlyAsync<OperatorException>(() => store.IssueAsync("bob", "test", "superuser"));

        StringAssert.Contains(error.Message, "viewer, operator, installer, admin");
        Assert.IsEmpty(await store.ListAsync());
    }

    [TestMethod]
    public async Task Open_DatabaseFromBeforeRoles_ExistingOperatorsBecomeOperatorsAndTheirTokensStillWork()
    {
        using var data = new TempFolder();
        const string token = OperatorStore.TokenPrefix + "issued-before-roles-existed";
        using (var old = new SqliteConnection($"Data Source={data.File("edge.db")};Pooling=False"))
        {
            old.Open();
            using SqliteCommand create = old.CreateCommand();
            create.CommandText = $"""
                CREATE TABLE operators (
                  id INTEGER PRIMARY KEY AUTOINCREMENT, name TEXT NOT NULL, token_sha256 TEXT NOT NULL UNIQUE, created_at TEXT NOT NULL,
                  created_by TEXT NOT NULL, revoked_at TEXT, revoked_by TEXT, audited INTEGER NOT NULL DEFAULT 0);
                INSERT INTO operators (name, token_sha256, created_at, created_by, audited)
                  VALUES ('carol', '{OperatorStore.HashToken(token)}', '2024-01-01T00:00:00.0000000+00:00', 'cli:installer', 1);
                """;
            create.ExecuteNonQuery();
        }

        await using OperatorStore store = OperatorStore.Open(data.File("edge.db"), _time);
        await using OperatorStore again = OperatorStore.Open(data.File("edge.db"), _time);

        Assert.AreEqual(new OperatorIdentity("carol", OperatorRoles.Operator), await store.IdentifyAsync(token));
        Assert.AreEqual(OperatorRoles.Operator, (await again.ListAsync()).Single().Role, "a second open finds the column and leaves it");
        await again.IssueAsync("root", "test", OperatorRoles.Admin);
        Assert.AreEqual(OperatorRoles.Admin, (await store.ListAsync()).Single(o => o.Name == "root").Role);
    }

    [TestMethod]
    public async Task AuditPendingAsync_AdminAdded_TheRecordNamesTheRole()
    {
        using var data = new TempFolder();
        await using EventLog log = EventLog.Open(data.File("edge.db"), NullLogger.Instance);
        await using OperatorStore store = OperatorStore.Open(data.File("edge.db"), _time, log, "riverside");

        await store.IssueAsync("root", "cli:installer", OperatorRoles.Admin);

        StoredEvent added = log.ReadRecent(10, "edge").Single(e => e.Name == "operator-added");
        using JsonDocument payload = JsonDocument.Parse(added.Payload);
        Assert.AreEqual(("root", "admin", "cli:installer"), (payload.RootElement.GetProperty("operator").GetString(),
            payload.RootElement.GetProperty("role").GetString(), payload.RootElement.GetProperty("by").GetString()));
    }

    [TestMethod]
    public async Task OperatorAddWithRole_WhileTheEdgeRuns_ListShowsItAndOnlyTheAdminsTokenMayForceAReset()
    {
        using var data = new TempFolder();
        await using EdgeHost edge = await EdgeRig.StartEdgeAsync(data);
        await edge.FireRule.LatchAsync("b1", "test");

        (int added, string addOutput) = await ScEdgeCli.RunAsync("operator", "add", "root", "--role", "admin", "--data", data.Path);
        (int plain, string plainOutput) = await ScEdgeCli.RunAsync("operator", "add", "alice", "--data", data.Path);
        (int listed, string listOutput) = await ScEdgeCli.RunAsync("operator", "list", "--data", data.Path);
        (int bad, string badOutput) = await ScEdgeCli.RunAsync("operator", "add", "bob", "--role", "boss", "--data", data.Path);
        using HttpClient root = OperatorClient.WithToken(edge, Token(addOutput));
        using HttpClient alice = OperatorClient.WithToken(edge, Token(plainOutput));
        using HttpResponseMessage byAlice = await OperatorClient.PostJsonAsync(alice, "/buildings/b1/fire/reset", """{"force":true}""");
        using HttpResponseMessage byRoot = await OperatorClient.PostJsonAsync(root, "/buildings/b1/fire/reset", """{"force":true}""");

        Assert.AreEqual((0, 0, 0), (added, plain, listed), addOutput + plainOutput + listOutput);
        StringAssert.Contains(addOutput, "role admin");
        string rootRow = listOutput.Split('\n').Single(l => l.Contains("│ root ", StringComparison.Ordinal));
        string aliceRow = listOutput.Split('\n').Single(l => l.Contains("│ alice ", StringComparison.Ordinal));
        StringAssert.Contains(rootRow, "admin");
        StringAssert.Contains(aliceRow, "operator");
        Assert.AreNotEqual(0, bad, badOutput);
        StringAssert.Contains(badOutput, "unknown role 'boss'");
        await OperatorClient.ProblemAsync(byAlice, HttpStatusCode.Forbidden);
        Assert.AreEqual("root", (await OperatorClient.JsonAsync(byRoot, HttpStatusCode.OK)).GetProperty("by").GetString());
    }

    private static string Token(string output) =>
        output.Split('\n').Select(l => l.Trim()).Single(l => l.StartsWith(OperatorStore.TokenPrefix, StringComparison.Ordinal));
}
