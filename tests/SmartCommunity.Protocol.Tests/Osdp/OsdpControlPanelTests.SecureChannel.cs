namespace SmartCommunity.Protocol.Tests.Osdp;

using System;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using SmartCommunity.Protocol.Osdp;
using SmartCommunity.Protocol.Tests.Crypto;

/// <summary>Secure channel behaviour of the CP: MAC chain, tampering, key refusal (hardware-docs/osdp.md §4).</summary>
public sealed partial class OsdpControlPanelTests
{
    [TestMethod]
    public void Receive_ReplyWithTamperedMac_IsRejectedAndTheSecureChannelRestarts()
    {
        OsdpRig rig = Online();
        rig.Run(100);
        rig.Transitions.Clear();
        rig.Pd.TamperNextReplyMac = true;
        rig.Pd.PresentCard(Fc90Cn324);

        rig.Run(200);

        Assert.AreEqual(1L, rig.Panel.RejectedReplies);
        Assert.AreEqual(OsdpRejection.BadMac, rig.Panel.LastRejection);
        Assert.IsFalse(rig.Panel.TryTakeCardRead(new OsdpCardRead()), "nothing from a packet whose MAC failed");
        Assert.AreEqual("Online->SecureChallenge", rig.Transitions[0]);
        Assert.IsTrue(rig.RunUntil(() => rig.Panel.IsOnline, 500));
        Assert.AreEqual(2L, rig.Panel.SecureSessions);
    }

    [TestMethod]
    public void Receive_PlainTextCardReadWhileSecure_IsRejected()
    {
        OsdpRig rig = Online();
        rig.Pd.PlainCardInjection = true;
        rig.Pd.PresentCard(Fc90Cn324);

        rig.Run(400);

        Assert.AreEqual(OsdpRejection.PlainTextInSecureChannel, rig.Panel.LastRejection);
        Assert.IsFalse(rig.Panel.TryTakeCardRead(new OsdpCardRead()));
        Assert.AreEqual(0L, rig.Panel.CardReads);
        Assert.IsGreaterThanOrEqualTo(1L, rig.Panel.Resends, "the injected reply did not count as an answer");
    }

    [TestMethod]
    public void Receive_ForgedMacedReplyFromAnAttacker_IsRejected()
    {
        OsdpRig rig = Online();
        rig.ReplyDelayMs = 100;
        rig.Run(210);
        int sequence = DecodeSent(rig.LastSent).Sequence;

        // Looks right on the wire (address, sequence, SCS_16, CRC) but the attacker has no session key.
        byte[] forged = OsdpOracle.Packet(0x80 | 0x65, sequence, true, new byte[] { 2, 0x16 }, OsdpCodes.Ack, new byte[] { 1, 2, 3, 4 });
        rig.Inject(forged);

        Assert.AreEqual(OsdpRejection.BadMac, rig.Panel.LastRejection);
    }

    [TestMethod]
    public void Receive_PlainNakWhileSecure_RestartsTheSecureChannel()
    {
        OsdpRig rig = Online();
        rig.Transitions.Clear();
        rig.ReplyDelayMs = 100;
        rig.Run(210);
        int sequence = DecodeSent(rig.LastSent).Sequence;

        rig.Inject(OsdpOracle.Packet(0x80 | 0x65, sequence, true, OsdpCodes.Nak, 0x06));

        Assert.AreEqual("Online->SecureChallenge", rig.Transitions[0]);
        Assert.AreEqual(OsdpCodes.NakSecurityConditions, rig.Panel.LastNakReason);
    }

    [TestMethod]
    public void Step_ReaderOnlyKnowsScbkdAndSaysSo_RefusedWhileNotInInstallMode()
    {
        PdSimulator pd = new PdSimulator(0x65, null) { AlwaysUseDefaultKey = true };
        OsdpRig rig = new OsdpRig(null, pd);

        rig.Run(300);

        Assert.AreEqual(OsdpLinkState.Offline, rig.Panel.State);
        Assert.AreEqual(OsdpRejection.DefaultKeyRefused, rig.Panel.LastRejection);
        Assert.AreEqual(1L, rig.Panel.HandshakeFailures);
        Assert.AreEqual(0L, rig.Panel.SecureSessions);
        Assert.IsFalse(pd.IsSecure);
    }

    [TestMethod]
    public void Step_ReaderUsesScbkdButClaimsTheRealKey_RefusedOnTheCryptogram()
    {
        PdSimulator pd = new PdSimulator(0x65, null) { AlwaysUseDefaultKey = true, LieAboutKeyType = true };
        OsdpRig rig = new OsdpRig(null, pd);

        rig.Run(300);

        Assert.AreEqual(OsdpLinkState.Offline, rig.Panel.State);
        Assert.AreEqual(OsdpRejection.BadCryptogram, rig.Panel.LastRejection);
        Assert.AreEqual(0L, rig.Panel.SecureSessions);
    }

    [TestMethod]
    public void Step_ReaderWithAnotherKey_RefusedOnTheCryptogramAndRetried()
    {
        PdSimulator pd = new PdSimulator(0x65, Hex.Bytes("FFEEDDCCBBAA99887766554433221100"));
        OsdpRig rig = new OsdpRig(null, pd);

        rig.Run(300);
        Assert.AreEqual(OsdpRejection.BadCryptogram, rig.Panel.LastRejection);
        rig.Run(1000);

        Assert.AreEqual(2L, rig.Panel.HandshakeFailures, "tried again after the offline retry time");
        Assert.AreEqual(OsdpLinkState.Offline, rig.Panel.State);
    }

    [TestMethod]
    public void Step_ConfiguredKeyIsScbkd_RefusesToConnectAndSendsNothing()
    {
        OsdpControlPanelSettings settings = OsdpRig.DefaultSettings();
        settings.Scbk = (byte[])OsdpOracle.DefaultKey.Clone();
        OsdpRig rig = new OsdpRig(settings);

        rig.Run(500);

        Assert.IsEmpty(rig.Sent);
        Assert.AreEqual(OsdpRejection.DefaultKeyRefused, rig.Panel.LastRejection);
        Assert.AreEqual(OsdpLinkState.Offline, rig.Panel.State);
    }

    [TestMethod]
    public void Step_NoKeyConfiguredButSecureChannelRequired_RefusesToConnect()
    {
        OsdpControlPanelSettings settings = OsdpRig.DefaultSettings();
        settings.Scbk = null;
        OsdpRig rig = new OsdpRig(settings);

        rig.Run(500);

        Assert.IsEmpty(rig.Sent);
        Assert.AreEqual(OsdpRejection.NoKey, rig.Panel.LastRejection);
    }

    [TestMethod]
    public void Step_ReaderWithoutSecureChannel_NaksChallengeAndStaysOffline()
    {
        PdSimulator pd = new PdSimulator(0x65, OsdpRig.ReaderKey) { SupportsSecureChannel = false };
        OsdpRig rig = new OsdpRig(null, pd);

        rig.Run(300);

        Assert.AreEqual(OsdpLinkState.Offline, rig.Panel.State);
        Assert.AreEqual(OsdpRejection.Nak, rig.Panel.LastRejection);
        Assert.AreEqual(OsdpCodes.NakSecurityBlockUnsupported, rig.Panel.LastNakReason);
    }

    [TestMethod]
    public void Step_ReaderRejectsServerCryptogram_HandshakeFails()
    {
        OsdpRig rig = new OsdpRig();
        rig.ReplyDelayMs = 100;
        rig.Run(110);
        Assert.AreEqual(OsdpLinkState.SecureCryptogram, rig.Panel.State);
        int sequence = DecodeSent(rig.LastSent).Sequence;
        rig.Pd.DropReplies = 1;

        rig.Inject(OsdpOracle.Packet(0x80 | 0x65, sequence, true, new byte[] { 3, 0x14, 0xFF }, OsdpCodes.InitialReplyMac, new byte[16]));

        Assert.AreEqual(OsdpLinkState.Offline, rig.Panel.State);
        Assert.AreEqual(OsdpRejection.BadCryptogram, rig.Panel.LastRejection);
    }

    [TestMethod]
    public void Send_LedOverSecureChannel_DataIsEncryptedOnTheWire()
    {
        OsdpRig rig = Online();
        rig.Panel.RequestLed(OsdpColor.Green, OsdpColor.Green, 10, 0, 3000);

        rig.Run(100);

        byte[] packet = rig.Sent.Find(p => p.Length > 14 && p[7] == OsdpCodes.Led)!;
        Assert.IsNotNull(packet);
        Assert.AreEqual(OsdpCodes.ScsCommandMacEncrypted, packet[6]);
        Assert.AreEqual(5 + 2 + 1 + 16 + 4 + 2, packet.Length);
        string plain = LedTemporaryOn(OsdpColor.Green, OsdpColor.Green, 10, 0, 3000);
        Assert.DoesNotContain(plain.Substring(4, 12), Hex.Of(packet));
    }
}
