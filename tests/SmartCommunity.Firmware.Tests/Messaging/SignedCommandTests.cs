namespace SmartCommunity.Firmware.Tests.Messaging;

using System.Text;
using System.Text.Json;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using SmartCommunity.Firmware.Messaging;
using SmartCommunity.Firmware.Tests.TestSupport;
using SmartCommunity.Protocol;
using SmartCommunity.Protocol.Crypto;
using SmartCommunity.Simulation.Hardware;

/// <summary>Signed commands (hardware-docs/protocol.md §4.5) on a device that holds a command key.</summary>
[TestClass]
public sealed class SignedCommandTests
{
    private const long Boot = 4;
    private const long Expiry = 30_000;

    private readonly RecordingTransport _transport = new RecordingTransport();
    private readonly DeviceIdentity _identity = new DeviceIdentity("s", "b", "door", "d-1", "1.0");
    private readonly CountingTarget _target = new CountingTarget();
    private readonly MemoryStore _store = new MemoryStore();
    private readonly byte[] _keyBytes = SignedCommands.KeyOf(0x10);
    private readonly CommandKey _key;
    private CommandHandler _handler;

    public SignedCommandTests()
    {
        _key = SignedCommands.Key(1, _keyBytes);
        _handler = NewHandler(Boot);
    }

    [TestMethod]
    public void Handle_ValidMac_Executes()
    {
        Deliver(SignedCommands.Signed(_key, "a", "release", 100, Boot, Expiry), 10);

        Assert.AreEqual(1, _target.Calls);
        Assert.AreEqual("done", LastAck().GetProperty("result").GetString());
        Assert.AreEqual(100L, _handler.LastCounter);
    }

    [TestMethod]
    public void Handle_TagUnderAnotherKey_RejectedBadMacAndNothingExecuted()
    {
        CommandKey forger = SignedCommands.Key(1, SignedCommands.KeyOf(0x77));

        Deliver(SignedCommands.Signed(forger, "a", "release", 100, Boot, Expiry), 10);

        Assert.AreEqual(0, _target.Calls);
        Assert.AreEqual("bad-mac", LastAck().GetProperty("reason").GetString());
        Assert.AreEqual(1L, _handler.BadMacs);
        Assert.AreEqual(1L, _handler.Rejected);
        Assert.AreEqual(0L, _handler.LastCounter);
    }

    [TestMethod]
    public void Handle_UnsignedCommandWhileKeyed_RejectedBadMac()
    {
        Deliver(SignedCommands.Unsigned("a", "release", 100, Boot, Expiry), 10);
        Deliver(Encoding.UTF8.GetBytes("{\"v\":1,\"id\":\"b\",\"cmd\":\"release\"}"), 10);

        Assert.AreEqual(0, _target.Calls);
        Assert.AreEqual(2L, _handler.BadMacs);
        Assert.AreEqual("bad-mac", LastAck().GetProperty("reason").GetString());
    }

    [TestMethod]
    public void Handle_ContentChangedAfterSigning_RejectedBadMac()
    {
        byte[] signed = SignedCommands.Signed(_key, "a", "unlock", 100, Boot, Expiry, ",\"ms\":5000");
        byte[] altered = Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(signed).Replace("\"ms\":5000", "\"ms\":9000", System.StringComparison.Ordinal));

        Deliver(altered, 10);

        Assert.AreEqual(0, _target.Calls);
        Assert.AreEqual("bad-mac", LastAck().GetProperty("reason").GetString());
    }

    [TestMethod]
    public void Handle_UpperCaseMacOfTheRightValue_RejectedBadMac()
    {
        string signed = Encoding.UTF8.GetString(SignedCommands.Signed(_key, "a", "release", 100, Boot, Expiry));
        int at = signed.IndexOf("\"mac\":\"", System.StringComparison.Ordinal) + 7;
        string upper = signed[..at] + signed.Substring(at, 64).ToUpperInvariant() + signed[(at + 64)..];

        Deliver(Encoding.UTF8.GetBytes(upper), 10);

        Assert.AreEqual(0, _target.Calls);
        Assert.AreEqual("bad-mac", LastAck().GetProperty("reason").GetString());
    }

    [TestMethod]
    public void Handle_ReplayedCommandAfterItLeftTheInbox_RefusedAsReplayed()
    {
        byte[] captured = SignedCommands.Signed(_key, "captured", "unlock", 100, Boot, Expiry, ",\"ms\":5000");
        Deliver(captured, 10);
        for (int i = 0; i < CommandInbox.Capacity; i++)
        {
            Deliver(SignedCommands.Signed(_key, "later" + i, "self-test", 101 + i, Boot, Expiry), 20);
        }

        int callsBefore = _target.Calls;
        Deliver(captured, 30);

        Assert.AreEqual(callsBefore, _target.Calls, "a replayed command must not run again");
        JsonElement ack = LastAck();
        Assert.AreEqual("rejected", ack.GetProperty("result").GetString());
        Assert.AreEqual("replayed", ack.GetProperty("reason").GetString());
        Assert.IsFalse(ack.GetProperty("repeat").GetBoolean());
        Assert.AreEqual(1L, _handler.Replays);
    }

    [TestMethod]
    public void Handle_NewIdWithCounterNotAboveTheLast_RefusedAsReplayed()
    {
        Deliver(SignedCommands.Signed(_key, "a", "release", 100, Boot, Expiry), 10);

        Deliver(SignedCommands.Signed(_key, "b", "reset", 100, Boot, Expiry), 10);
        Deliver(SignedCommands.Signed(_key, "c", "reset", 99, Boot, Expiry), 10);

        Assert.AreEqual(1, _target.Calls);
        Assert.AreEqual(2L, _handler.Replays);
        Assert.AreEqual("replayed", LastAck().GetProperty("reason").GetString());
    }

    [TestMethod]
    public void Handle_RetryWithSameId_RepeatAckedAndExecutedOnce()
    {
        byte[] command = SignedCommands.Signed(_key, "a", "release", 100, Boot, Expiry);
        Deliver(command, 10);
        Deliver(SignedCommands.Signed(_key, "b", "self-test", 101, Boot, Expiry), 10);

        Deliver(command, 20);

        Assert.AreEqual(2, _target.Calls);
        JsonElement ack = LastAck();
        Assert.AreEqual("done", ack.GetProperty("result").GetString());
        Assert.IsTrue(ack.GetProperty("repeat").GetBoolean());
        Assert.AreEqual(0L, _handler.Replays);
    }

    [TestMethod]
    public void Handle_DeviceUptimePastExpiry_RejectedExpired()
    {
        Deliver(SignedCommands.Signed(_key, "a", "release", 100, Boot, 5000), 5001);

        Assert.AreEqual(0, _target.Calls);
        Assert.AreEqual("expired", LastAck().GetProperty("reason").GetString());
    }

    [TestMethod]
    [DataRow(Boot - 1, Expiry, DisplayName = "an earlier boot")]
    [DataRow(0L, Expiry, DisplayName = "boot unknown")]
    [DataRow(Boot, 0L, DisplayName = "no expiry")]
    public void Handle_SignedButNotBoundToThisBootWithAnExpiry_RejectedExpired(long boot, long expiresAt)
    {
        Deliver(SignedCommands.Signed(_key, "a", "release", 100, boot, expiresAt), 10);

        Assert.AreEqual(0, _target.Calls);
        Assert.AreEqual("expired", LastAck().GetProperty("reason").GetString());
    }

    [TestMethod]
    public void Handle_CommandCapturedInAnEarlierBoot_RefusedAfterReboot()
    {
        byte[] captured = SignedCommands.Signed(_key, "a", "release", 100, Boot, Expiry);
        Deliver(captured, 10);

        _handler = NewHandler(Boot + 1);
        Deliver(captured, 10);

        Assert.AreEqual(1, _target.Calls);
        Assert.AreEqual("expired", LastAck().GetProperty("reason").GetString());
    }

    [TestMethod]
    public void Handle_NoKeyConfigured_UnsignedCommandsRunAsBefore()
    {
        CommandHandler open = new CommandHandler(new Uplink(_identity, new ManualClock(), _transport, Boot), _target);
        byte[] payload = Encoding.UTF8.GetBytes("{\"v\":1,\"id\":\"a\",\"cmd\":\"release\"}");

        open.Handle(payload, payload.Length, 0);

        Assert.AreEqual(1, _target.Calls);
        Assert.IsFalse(open.Keys.IsConfigured);
    }

    [TestMethod]
    public void Handle_Rotation_OldKeyAcceptedUntilTheFirstCommandUnderTheNewKey()
    {
        byte[] nextBytes = SignedCommands.KeyOf(0x50);
        CommandKey next = SignedCommands.Key(2, nextBytes);
        Deliver(Rekey(_key, "rk", 2, nextBytes, 100), 10);
        Assert.AreEqual("done", LastAck().GetProperty("result").GetString());
        Assert.AreEqual(2L, _handler.Keys.NextKeyId);

        Deliver(SignedCommands.Signed(_key, "old-1", "self-test", 101, Boot, Expiry), 10);
        Assert.AreEqual("done", LastAck().GetProperty("result").GetString(), "the old key still works until the new one is used");

        Deliver(SignedCommands.Signed(next, "new-1", "self-test", 102, Boot, Expiry), 10);
        Assert.AreEqual("done", LastAck().GetProperty("result").GetString());
        Assert.AreEqual(2L, _handler.Keys.CurrentKeyId);
        Assert.AreEqual(0L, _handler.Keys.NextKeyId);

        Deliver(SignedCommands.Signed(_key, "old-2", "self-test", 103, Boot, Expiry), 10);
        Assert.AreEqual("bad-mac", LastAck().GetProperty("reason").GetString(), "the old key is refused once the new one was used");
        Assert.AreEqual(2, _target.Calls);
    }

    [TestMethod]
    public void Handle_RotatedThenRebooted_NewKeyKeptFromTheStore()
    {
        byte[] nextBytes = SignedCommands.KeyOf(0x50);
        CommandKey next = SignedCommands.Key(2, nextBytes);
        Deliver(Rekey(_key, "rk", 2, nextBytes, 100), 10);
        Deliver(SignedCommands.Signed(next, "new-1", "self-test", 101, Boot, Expiry), 10);

        _handler = NewHandler(Boot + 1);
        Deliver(SignedCommands.Signed(next, "new-2", "self-test", 5, Boot + 1, Expiry), 10);
        Assert.AreEqual("done", LastAck().GetProperty("result").GetString());

        Deliver(SignedCommands.Signed(_key, "old", "self-test", 6, Boot + 1, Expiry), 10);
        Assert.AreEqual("bad-mac", LastAck().GetProperty("reason").GetString());
    }

    [TestMethod]
    public void Handle_RotatedThenProvisionedWithAnotherBundleKey_StoredRotationDiscarded()
    {
        byte[] nextBytes = SignedCommands.KeyOf(0x50);
        Deliver(Rekey(_key, "rk", 2, nextBytes, 100), 10);
        Deliver(SignedCommands.Signed(SignedCommands.Key(2, nextBytes), "new-1", "self-test", 101, Boot, Expiry), 10);
        byte[] reprovisioned = SignedCommands.KeyOf(0x90);

        _handler = new CommandHandler(new Uplink(_identity, new ManualClock(), _transport, Boot + 1), _target);
        _handler.Keys.Configure(1, reprovisioned, 0, _store);
        Deliver(SignedCommands.Signed(SignedCommands.Key(1, reprovisioned), "p-1", "self-test", 1, Boot + 1, Expiry), 10);

        Assert.AreEqual("done", LastAck().GetProperty("result").GetString());
        Assert.AreEqual(1L, _handler.Keys.CurrentKeyId);
    }

    [TestMethod]
    public void Handle_RekeyToAKeyIdNotAboveTheCurrent_RejectedBadArgument()
    {
        Deliver(Rekey(_key, "rk", 1, SignedCommands.KeyOf(0x50), 100), 10);

        Assert.AreEqual("bad-argument", LastAck().GetProperty("reason").GetString());
        Assert.AreEqual(0L, _handler.Keys.NextKeyId);
    }

    [TestMethod]
    public void Handle_ForgedRekey_RejectedBadMacAndKeyUnchanged()
    {
        CommandKey forger = SignedCommands.Key(1, SignedCommands.KeyOf(0x77));

        Deliver(Rekey(forger, "rk", 2, SignedCommands.KeyOf(0x50), 100), 10);

        Assert.AreEqual("bad-mac", LastAck().GetProperty("reason").GetString());
        Assert.AreEqual(0L, _handler.Keys.NextKeyId);
    }

    private static byte[] Rekey(CommandKey under, string id, long keyId, byte[] newKey, long counter)
    {
        byte[] idBytes = Encoding.UTF8.GetBytes(id);
        string wrapped = under.Wrap(idBytes, idBytes.Length, newKey);
        return SignedCommands.Signed(under, id, "rekey", counter, Boot, Expiry, ",\"kid\":" + keyId + ",\"key\":\"" + wrapped + "\"");
    }

    private CommandHandler NewHandler(long boot)
    {
        CommandHandler handler = new CommandHandler(new Uplink(_identity, new ManualClock(), _transport, boot), _target);
        handler.Keys.Configure(1, _keyBytes, 0, _store);
        return handler;
    }

    private void Deliver(byte[] payload, long nowMs) => _handler.Handle(payload, payload.Length, nowMs);

    private JsonElement LastAck() => Published.Json(_transport.Messages[^1]);

    private sealed class CountingTarget : ICommandTarget
    {
        public int Calls { get; private set; }

        public CommandRejection Execute(Command command, long nowMs)
        {
            Calls++;
            return CommandRejection.None;
        }
    }
}
