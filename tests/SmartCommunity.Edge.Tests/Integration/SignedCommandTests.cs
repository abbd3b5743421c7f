namespace SmartCommunity.Edge.Tests.Integration;

using System.Collections.Generic;
using System;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Threading.Tasks;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using SmartCommunity.Edge.Registry;
using SmartCommunity.Edge.Commands;
using SmartCommunity.Edge.Layout;
using SmartCommunity.Edge.Operators;
using SmartCommunity.Edge.Storage;
using SmartCommunity.Edge.Tests.Http;
using SmartCommunity.Edge.Tests.TestSupport;
using SmartCommunity.Firmware.Messaging;
using SmartCommunity.Protocol;
using SmartCommunity.Protocol.Crypto;
using SmartCommunity.Simulation.Devices;

/// <summary>
/// Signed commands end to end (hardware-docs/protocol.md §4.5): the edge with its embedded broker and SQLite on
/// loopback, a door running the real firmware with the command key the registry issued for it.
/// </summary>
[TestClass]
public sealed class SignedCommandTests
{
    private const string DoorId = "b2-stair-door";

    [TestMethod]
    public async Task SignedCommand_DoorHoldsTheRegistryKey_ExecutesAndCarriesItsMac()
    {
        using var data = new TempFolder();
        await using EdgeHost edge = await EdgeRig.StartEdgeAsync(data);
        await using SignedDoor rig = await SignedDoor.StartAsync(edge);

        CommandRecord record = await rig.SendAsync(CommandKind.SelfTest);

        Assert.AreEqual(CommandState.Done, record.State, record.Result);
        Assert.AreEqual(1L, rig.Commands.Executed);
        Assert.AreEqual(0L, rig.Commands.BadMacs);
        JsonElement sent = JsonDocument.Parse(rig.SentPayloadOf(record.Id)).RootElement;
        Assert.AreEqual(CommandKey.MacHexLength, sent.GetProperty("mac").GetString()!.Length);
        Assert.AreEqual(rig.Door.Boot, sent.GetProperty("boot").GetInt64(), "bound to the door's boot");
        Assert.AreEqual(sent.GetProperty("ctr").GetInt64(), rig.Commands.LastCounter);
    }

    [TestMethod]
    public async Task ForgedCommand_SignedUnderAKeyTheDoorDoesNotHold_RefusedBadMacAndTheRecordSaysSo()
    {
        using var data = new TempFolder();
        await using EdgeHost edge = await EdgeRig.StartEdgeAsync(data);
        await using SignedDoor rig = await SignedDoor.StartAsync(edge);
        CommandKey forger = new CommandKey();
        forger.Set(1, new byte[CommandKey.KeySize], 0);

        // A forger with publish access to the broker, and an edge whose key the door was never given.
        byte[] forged = forger.Sign(Unsigned("forged-1", rig.Door.Boot, 1_000_000), Unsigned("forged-1", rig.Door.Boot, 1_000_000).Length);
        await edge.Broker.PublishAsync(rig.CommandTopic, forged, retain: false);
        await Eventually.WaitUntilAsync(() => rig.AckReasonOf("forged-1") is not null, "the door answers the forged command");
        await edge.Registry.IssueCredentialsAsync(DoorId, "installer");
        CommandRecord record = await rig.SendAsync(CommandKind.Release);

        Assert.AreEqual("bad-mac", rig.AckReasonOf("forged-1"));
        Assert.AreEqual(CommandState.Rejected, record.State);
        Assert.AreEqual("bad-mac", record.Result);
        Assert.AreEqual(0L, rig.Commands.Executed);
        Assert.AreEqual(2L, rig.Commands.BadMacs);
        Assert.IsTrue(rig.Door.DoorOutput!.Energised, "the forged release did not act");
        Assert.IsGreaterThanOrEqualTo(2L, edge.Commands.SecurityRefusals);
    }

    [TestMethod]
    public async Task ReplayedCommand_CapturedSignedCommandSentAgain_RefusedAsReplayedAndNotExecutedTwice()
    {
        using var data = new TempFolder();
        await using EdgeHost edge = await EdgeRig.StartEdgeAsync(data);
        await using SignedDoor rig = await SignedDoor.StartAsync(edge);
        CommandRecord captured = await rig.SendAsync(CommandKind.SelfTest);
        byte[] capturedBytes = Encoding.UTF8.GetBytes(rig.SentPayloadOf(captured.Id));

        // Enough later commands that the door's inbox no longer remembers the captured id: only the counter can stop it.
        for (int i = 0; i < CommandInbox.Capacity; i++)
        {
            Assert.AreEqual(CommandState.Done, (await rig.SendAsync(CommandKind.SelfTest)).State);
        }

        long executed = rig.Commands.Executed;
        await edge.Broker.PublishAsync(rig.CommandTopic, capturedBytes, retain: false);
        await Eventually.WaitUntilAsync(() => rig.Commands.Replays == 1, "the door refuses the replayed command");

        Assert.AreEqual(executed, rig.Commands.Executed, "the replayed command did not run again");
        await Eventually.WaitUntilAsync(() => rig.AckReasonOf(captured.Id, rejectedOnly: true) == "replayed", "the refusal reaches the edge's log");
        Assert.IsGreaterThanOrEqualTo(1L, edge.Commands.SecurityRefusals);
        Assert.AreEqual(CommandState.Done, edge.Commands.Find(captured.Id)!.State, "the original command's outcome stands");
    }

    [TestMethod]
    public async Task RotateKey_ThroughTheRegistryApi_DoorTakesTheNewKeyAndCommandsKeepWorking()
    {
        using var data = new TempFolder();
        await using EdgeHost edge = await EdgeRig.StartEdgeAsync(data);
        await using SignedDoor rig = await SignedDoor.StartAsync(edge);
        using HttpClient http = OperatorClient.WithToken(edge, await edge.Operators.IssueAsync("ian", role: OperatorRoles.Installer));

        using HttpResponseMessage response = await http.PostAsync($"/registry/devices/{DoorId}/rotate-key", null);

        Assert.AreEqual(HttpStatusCode.OK, response.StatusCode, await response.Content.ReadAsStringAsync());
        JsonElement body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.AreEqual(2L, body.GetProperty("keyId").GetInt64());
        Assert.AreEqual(2L, edge.Registry.SigningKeyFor(DoorId)!.Id);
        Assert.AreEqual(2L, rig.Commands.Keys.NextKeyId, "the door holds the new key until a command uses it");

        CommandRecord after = await rig.SendAsync(CommandKind.SelfTest);

        Assert.AreEqual(CommandState.Done, after.State, after.Result);
        Assert.AreEqual(2L, rig.Commands.Keys.CurrentKeyId);
        Assert.AreEqual(0L, rig.Commands.Keys.NextKeyId);
        Assert.IsTrue(edge.EventLog.ReadRecent(1000, DoorId).Any(e => e.Channel == "operator" && e.Name == "key-rotated"), "the rotation is audited");
    }

    [TestMethod]
    public async Task RotateKey_OperatorWithoutInstallerRole_ForbiddenAndKeyUnchanged()
    {
        using var data = new TempFolder();
        await using EdgeHost edge = await EdgeRig.StartEdgeAsync(data);
        await edge.Registry.IssueCredentialsAsync(DoorId, "installer");
        using HttpClient http = await OperatorClient.AsOperatorAsync(edge);

        using HttpResponseMessage response = await http.PostAsync($"/registry/devices/{DoorId}/rotate-key", null);

        Assert.AreEqual(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.AreEqual(1L, edge.Registry.SigningKeyFor(DoorId)!.Id);
    }

    [TestMethod]
    public async Task RotateKey_DeviceWithoutAKey_ConflictSayingWhatToDo()
    {
        using var data = new TempFolder();
        await using EdgeHost edge = await EdgeRig.StartEdgeAsync(data);
        using HttpClient http = OperatorClient.WithToken(edge, await edge.Operators.IssueAsync("carol", role: OperatorRoles.Admin));

        using HttpResponseMessage response = await http.PostAsync($"/registry/devices/{DoorId}/rotate-key", null);

        Assert.AreEqual(HttpStatusCode.Conflict, response.StatusCode);
        StringAssert.Contains(await response.Content.ReadAsStringAsync(), "credentials");
    }

    private static byte[] Unsigned(string id, long boot, long expiresAt) =>
        Encoding.UTF8.GetBytes("{\"v\":1,\"id\":\"" + id + "\",\"cmd\":\"release\",\"ctr\":" + long.MaxValue + ",\"boot\":" + boot + ",\"exp\":" + expiresAt + ",\"mac\":\"\"}");

    /// <summary>The edge, its registry key for one door, and the demo community with that door holding the key.</summary>
    private sealed class SignedDoor : IAsyncDisposable
    {
        private readonly EdgeHost _edge;
        private readonly VirtualBuilding _community;

        private SignedDoor(EdgeHost edge, VirtualBuilding community)
        {
            _edge = edge;
            _community = community;
        }

        public VirtualDevice Door => _community[DoorId];

        public DeviceDefinition Definition => Door.Definition;

        public CommandHandler Commands => Door.Firmware.Commands;

        public string CommandTopic => Topics.Device(Definition.Site, Definition.Building, Definition.Kind, Definition.Id, Channel.Command);

        public static async Task<SignedDoor> StartAsync(EdgeHost edge)
        {
            DeviceSecrets secrets = (await edge.Registry.IssueCredentialsAsync(DoorId, "installer"))!;
            var community = new VirtualBuilding(edge.Layout, "127.0.0.1", edge.MqttPort, TimeProvider.System, EdgeRig.Tick,
                new Dictionary<string, DeviceSecrets> { [DoorId] = secrets });
            community.Start();
            var rig = new SignedDoor(edge, community);
            Assert.IsTrue(rig.Door.HasCommandKey);
            await Eventually.WaitUntilAsync(() => community.Devices.All(d => edge.Twins.Find(d.Definition.Id)?.Online == true), "every device online");
            await EdgeRig.WaitUntilEnergisedAsync([rig.Door], "the door has read the clear fire state");
            return rig;
        }

        public async Task<CommandRecord> SendAsync(CommandKind kind)
        {
            CommandTicket ticket = await _edge.Commands.RequestAsync(new CommandRequest(Definition, kind, "signed command test", CommandOrigin.Operator, "alice"));
            Assert.IsNotNull(ticket.Id, ticket.RefusedBecause);
            await Eventually.WaitUntilAsync(() => _edge.Commands.Find(ticket.Id)?.State is not CommandState.Pending, $"{kind} settles");
            return _edge.Commands.Find(ticket.Id)!;
        }

        public string SentPayloadOf(string commandId) =>
            _edge.EventLog.ReadRecent(10_000, DoorId).Single(e => e.Channel == Channel.Command && e.Payload.Contains("\"id\":\"" + commandId + "\"", StringComparison.Ordinal)).Payload;

        public string? AckReasonOf(string commandId, bool rejectedOnly = false)
        {
            foreach (StoredEvent ack in _edge.EventLog.ReadRecent(10_000, DoorId).Where(e => e.Channel == Channel.Ack))
            {
                JsonElement body = JsonDocument.Parse(ack.Payload).RootElement;
                if (body.GetProperty("id").GetString() == commandId && (!rejectedOnly || body.GetProperty("result").GetString() == "rejected"))
                {
                    return body.TryGetProperty("reason", out JsonElement reason) ? reason.GetString() : "done";
                }
            }

            return null;
        }

        public async ValueTask DisposeAsync() => await _community.DisposeAsync();
    }
}
