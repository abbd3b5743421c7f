namespace SmartCommunity.Edge.Tests.Operations;

using System;
using System.IO;
using System.Linq;
using System.Threading.Tasks;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using SmartCommunity.Edge.Operators;
using SmartCommunity.Edge.Storage;
using SmartCommunity.Edge.Tests.TestSupport;

[TestClass]
public sealed class OperatorStoreTests
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2025, 3, 1, 8, 0, 0, TimeSpan.Zero));

    [TestMethod]
    public async Task IssueAsync_NewOperator_TokenAuthenticatesAndOnlyItsHashIsStored()
    {
        using var data = new TempFolder();
        await using OperatorStore store = OperatorStore.Open(data.File("edge.db"), _time);

        string token = await store.IssueAsync("alice", "test");

        Assert.StartsWith(OperatorStore.TokenPrefix, token);
        Assert.AreEqual(OperatorStore.TokenPrefix.Length + 43, token.Length, "256 bits in unpadded base64url");
        Assert.AreEqual("alice", await store.AuthenticateAsync(token));
        string[] stored = Column(data.File("edge.db"), "SELECT token_sha256 FROM operators");
        CollectionAssert.AreEqual(new[] { OperatorStore.HashToken(token) }, stored);
        foreach (string file in Directory.GetFiles(data.Path))
        {
            Assert.IsFalse(File.ReadAllText(file).Contains(token[OperatorStore.TokenPrefix.Length..], StringComparison.Ordinal), $"the token itself is in {file}");
        }
    }

    [TestMethod]
    public async Task IssueAsync_TwoOperators_DifferentTokensEachForItsOwner()
    {
        using var data = new TempFolder();
        await using OperatorStore store = OperatorStore.Open(data.File("edge.db"), _time);

        string alice = await store.IssueAsync("alice");
        string bob = await store.IssueAsync("bob");

        Assert.AreNotEqual(alice, bob);
        Assert.AreEqual(("alice", "bob"), (await store.AuthenticateAsync(alice), await store.AuthenticateAsync(bob)));
    }

    [TestMethod]
    public async Task IssueAsync_NameWithALiveToken_RefusedUntilRevokedThenANewTokenAndTheOldOneDead()
    {
        using var data = new TempFolder();
        await using OperatorStore store = OperatorStore.Open(data.File("edge.db"), _time);
        string first = await store.IssueAsync("alice");

        var refused = await Assert.ThrowsExactlyAsync<OperatorException>(() => store.IssueAsync("alice"));
        Assert.IsTrue(await store.RevokeAsync("alice", "test"));
        string second = await store.IssueAsync("alice");

        StringAssert.Contains(refused.Message, "revoke it first");
        Assert.IsNull(await store.AuthenticateAsync(first));
        Assert.AreEqual("alice", await store.AuthenticateAsync(second));
        var listed = await store.ListAsync();
        Assert.AreEqual((true, false), (listed[0].Revoked, listed[1].Revoked));
        Assert.AreEqual("test", listed[0].RevokedBy);
    }

    [TestMethod]
    [DataRow("")]
    [DataRow("  ")]
    [DataRow("alice smith")]
    [DataRow("alice;drop")]
    [DataRow("élodie")]
    public async Task IssueAsync_BadName_RefusedWithTheRule(string name)
    {
        using var data = new TempFolder();
        await using OperatorStore store = OperatorStore.Open(data.File("edge.db"), _time);

        await Assert.ThrowsExactlyAsync<OperatorException>(() => store.IssueAsync(name));
        Assert.IsNull(OperatorStore.WhyInvalidName("night-shift.2@b1"));
        Assert.IsNotNull(OperatorStore.WhyInvalidName(new string('a', OperatorStore.MaxNameLength + 1)));
    }

    [TestMethod]
    [DataRow("")]
    [DataRow("sce_")]
    [DataRow("not-even-our-prefix")]
    public async Task AuthenticateAsync_UnknownToken_Null(string token)
    {
        using var data = new TempFolder();
        await using OperatorStore store = OperatorStore.Open(data.File("edge.db"), _time);
        await store.IssueAsync("alice");

        Assert.IsNull(await store.AuthenticateAsync(token));
    }

    [TestMethod]
    public async Task RevokeAsync_NoLiveToken_False()
    {
        using var data = new TempFolder();
        await using OperatorStore store = OperatorStore.Open(data.File("edge.db"), _time);

        Assert.IsFalse(await store.RevokeAsync("nobody"));
    }

    [TestMethod]
    public async Task AuthenticateAsync_ChangesMadeByTheCommandLine_WrittenToTheEventLogOnceWithWhoMadeThem()
    {
        using var data = new TempFolder();
        await using EventLog log = EventLog.Open(data.File("edge.db"), NullLogger.Instance);
        await using OperatorStore edge = OperatorStore.Open(data.File("edge.db"), _time, log, "riverside");
        await edge.AuditPendingAsync();
        string token = await edge.IssueAsync("alice", "edge");

        // What `sc-edge operator add/revoke` does: its own connection, no event log.
        await using (OperatorStore cli = OperatorStore.Open(data.File("edge.db"), _time, mustExist: true))
        {
            await cli.IssueAsync("bob", "cli:installer");
            await cli.RevokeAsync("bob", "cli:installer");
        }

        await edge.AuthenticateAsync(token);
        await edge.AuthenticateAsync(token);

        var audit = log.ReadRecent(100, "edge").Where(e => e.Channel == OperatorAudit.Channel).Reverse().ToList();
        CollectionAssert.AreEqual(new[] { "operator-added", "operator-added", "operator-revoked" }, audit.Select(e => e.Name).ToArray());
        StringAssert.Contains(audit[1].Payload, "\"by\":\"cli:installer\"");
        StringAssert.Contains(audit[2].Payload, "\"operator\":\"bob\"");
        Assert.AreEqual("riverside", audit[2].Site);
    }

    [TestMethod]
    public void Open_MustExistButNoDatabase_ThrowsSayingWhichFolder()
    {
        using var data = new TempFolder();

        var error = Assert.ThrowsExactly<OperatorException>(() => OperatorStore.Open(data.File("edge.db"), _time, mustExist: true));

        StringAssert.Contains(error.Message, data.File("edge.db"));
        Assert.IsFalse(File.Exists(data.File("edge.db")), "no empty database left behind");
    }

    [TestMethod]
    public async Task Open_Database_ReadableByItsOwnerOnly()
    {
        if (OperatingSystem.IsWindows())
        {
            Assert.Inconclusive("Unix file modes only");
            return;
        }

        using var data = new TempFolder();
        await using OperatorStore store = OperatorStore.Open(data.File("edge.db"), _time);

        Assert.AreEqual(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(data.File("edge.db")));
    }

    [TestMethod]
    public async Task AcknowledgeAsync_SameAlarmTwice_FirstStandsAndANewAlarmStartsUnacknowledged()
    {
        using var data = new TempFolder();
        await using OperatorStore store = OperatorStore.Open(data.File("edge.db"), _time);
        DateTimeOffset since = _time.GetUtcNow();

        var first = await store.AcknowledgeAsync("fire-b1", since, "alice");
        _time.Advance(TimeSpan.FromMinutes(1));
        var second = await store.AcknowledgeAsync("fire-b1", since, "bob");

        Assert.AreEqual(("alice", false), (first.Acknowledgement.By, first.Repeated));
        Assert.AreEqual(("alice", true, since), (second.Acknowledgement.By, second.Repeated, second.Acknowledgement.At));
        Assert.IsNull(await store.FindAcknowledgementAsync("fire-b1", since.AddHours(1)), "a later latch is a new alarm");
    }

    private static string[] Column(string database, string sql)
    {
        using var connection = new SqliteConnection($"Data Source={database};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        using var reader = command.ExecuteReader();
        var values = new System.Collections.Generic.List<string>();
        while (reader.Read())
        {
            values.Add(reader.GetString(0));
        }

        return [.. values];
    }
}
