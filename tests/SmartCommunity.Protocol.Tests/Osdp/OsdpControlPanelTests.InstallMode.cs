namespace SmartCommunity.Protocol.Tests.Osdp;

using System;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using SmartCommunity.Protocol.Osdp;
using SmartCommunity.Protocol.Tests.Crypto;

/// <summary>Provisioning: SCBK-D only in install mode, replaced at once with osdp_KEYSET (hardware-docs/osdp.md §4.3).</summary>
public sealed partial class OsdpControlPanelTests
{
    private static readonly byte[] NewKey = Convert.FromHexString("2B7E151628AED2A6ABF7158809CF4F3C");

    [TestMethod]
    public void EnterInstallMode_FactoryReader_SetsTheNewKeyThenReconnectsWithIt()
    {
        PdSimulator pd = new PdSimulator(0x65, null) { InstallMode = true };
        OsdpRig rig = new OsdpRig(null, pd);

        Assert.IsTrue(rig.Panel.EnterInstallMode(NewKey, 0, rig.Now));
        Assert.IsTrue(rig.RunUntil(() => rig.Panel.IsOnline, 1000));

        CollectionAssert.AreEqual(
            new[]
            {
                "Offline->SecureChallenge", "SecureChallenge->SecureCryptogram", "SecureCryptogram->SettingKey",
                "SettingKey->SecureChallenge", "SecureChallenge->SecureCryptogram", "SecureCryptogram->Online",
            },
            rig.Transitions);
        Assert.HasCount(1, pd.KeysReceived);
        Assert.AreEqual(Hex.Of(NewKey), Hex.Of(pd.KeysReceived[0]));
        Assert.AreEqual(1L, rig.Panel.KeysSet);
        Assert.IsFalse(rig.Panel.InstallMode);
        byte[] key = new byte[16];
        rig.Panel.CopyKey(key, 0);
        Assert.AreEqual(Hex.Of(NewKey), Hex.Of(key));
        Assert.AreEqual(2L, rig.Panel.SecureSessions);
        Assert.IsTrue(pd.IsSecure);
    }

    [TestMethod]
    public void EnterInstallMode_AnnexERandoms_SendsTheAnnexECpCryptogram()
    {
        // The reader's random is A0..A7 and the CP's first random B0..B7, as in SIA Annex E.
        PdSimulator pd = new PdSimulator(0x65, null) { InstallMode = true };
        OsdpRig rig = new OsdpRig(null, pd);
        rig.Panel.EnterInstallMode(NewKey, 0, rig.Now);

        rig.RunUntil(() => rig.Panel.State == OsdpLinkState.SettingKey, 500);

        OsdpMessage challenge = DecodeSent(rig.Sent[0]);
        Assert.AreEqual(OsdpCodes.KeyDefault, challenge.SecurityBlockValue);
        OsdpMessage scrypt = DecodeSent(rig.Sent[1]);
        Assert.AreEqual(OsdpCodes.ServerCryptogram, scrypt.Code);
        Assert.AreEqual(OsdpCodes.KeyDefault, scrypt.SecurityBlockValue);
        Assert.AreEqual("26D3356E07762D262801FC8E6665A891", Hex.Of(scrypt.Data, 0, scrypt.DataLength));
    }

    [TestMethod]
    public void EnterInstallMode_KeySetOnTheWire_IsEncryptedAndMaced()
    {
        PdSimulator pd = new PdSimulator(0x65, null) { InstallMode = true };
        OsdpRig rig = new OsdpRig(null, pd);
        rig.Panel.EnterInstallMode(NewKey, 0, rig.Now);

        rig.RunUntil(() => rig.Panel.IsOnline, 1000);

        byte[] keySet = rig.Sent[2];
        Assert.AreEqual(OsdpCodes.KeySet, keySet[7]);
        Assert.AreEqual(OsdpCodes.ScsCommandMacEncrypted, keySet[6]);
        Assert.DoesNotContain(Hex.Of(NewKey).Substring(0, 8), Hex.Of(keySet));
    }

    [TestMethod]
    public void EnterInstallMode_ReaderAlreadyHoldsTheNewKey_AdoptsItWithoutKeySet()
    {
        PdSimulator pd = new PdSimulator(0x65, (byte[])NewKey.Clone());
        OsdpRig rig = new OsdpRig(null, pd);

        rig.Panel.EnterInstallMode(NewKey, 0, rig.Now);
        Assert.IsTrue(rig.RunUntil(() => rig.Panel.IsOnline, 3000));

        Assert.IsEmpty(pd.KeysReceived);
        Assert.AreEqual(0L, rig.Panel.KeysSet);
        Assert.IsFalse(rig.Panel.InstallMode);
        Assert.AreEqual(1L, rig.Panel.HandshakeFailures, "SCBK-D was tried first and refused by the reader");
    }

    [TestMethod]
    public void EnterInstallMode_ProductionReaderWithAnotherKey_NeverConnectsAndStaysInInstallMode()
    {
        PdSimulator pd = new PdSimulator(0x65, Hex.Bytes("FFEEDDCCBBAA99887766554433221100"));
        OsdpRig rig = new OsdpRig(null, pd);

        rig.Panel.EnterInstallMode(NewKey, 0, rig.Now);
        rig.Run(5000);

        Assert.IsFalse(rig.Panel.IsOnline);
        Assert.IsTrue(rig.Panel.InstallMode);
        Assert.IsEmpty(pd.KeysReceived);
        Assert.IsGreaterThanOrEqualTo(4L, rig.Panel.HandshakeFailures);
    }

    [TestMethod]
    public void EnterInstallMode_ReaderNaksKeySet_GoesOfflineAndStaysInInstallMode()
    {
        PdSimulator pd = new PdSimulator(0x65, null) { InstallMode = true, RefuseKeySet = true };
        OsdpRig rig = new OsdpRig(null, pd);
        rig.Panel.EnterInstallMode(NewKey, 0, rig.Now);

        rig.RunUntil(() => rig.Transitions.Contains("SettingKey->Offline"), 500);

        Assert.AreEqual(OsdpLinkState.Offline, rig.Panel.State);
        Assert.AreEqual(OsdpRejection.Nak, rig.Panel.LastRejection);
        Assert.IsTrue(rig.Panel.InstallMode);
        Assert.AreEqual(0L, rig.Panel.KeysSet);
        byte[] key = new byte[16];
        rig.Panel.CopyKey(key, 0);
        Assert.AreEqual(Hex.Of(OsdpRig.ReaderKey), Hex.Of(key), "the configured key is kept");
    }

    [TestMethod]
    public void EnterInstallMode_DefaultKeyAsTheNewKey_IsRefused()
    {
        OsdpRig rig = new OsdpRig();

        Assert.IsFalse(rig.Panel.EnterInstallMode(OsdpOracle.DefaultKey, 0, 0));
        Assert.IsFalse(rig.Panel.EnterInstallMode(new byte[8], 0, 0));
        Assert.IsFalse(rig.Panel.InstallMode);
    }

    [TestMethod]
    public void LeaveInstallMode_BeforeProvisioning_GoesBackToTheConfiguredKey()
    {
        OsdpRig rig = new OsdpRig();
        rig.Panel.EnterInstallMode(NewKey, 0, 0);

        rig.Panel.LeaveInstallMode(rig.Now);
        Assert.IsTrue(rig.RunUntil(() => rig.Panel.IsOnline, 500));

        Assert.IsFalse(rig.Panel.InstallMode);
        Assert.AreEqual(OsdpCodes.KeyProvisioned, DecodeSent(rig.Sent[0]).SecurityBlockValue);
    }

    [TestMethod]
    public void EnterInstallMode_WhileOnline_RestartsTheLinkAtOnce()
    {
        PdSimulator pd = new PdSimulator(0x65, OsdpRig.ReaderKey) { InstallMode = true };
        OsdpRig rig = Online(null, pd);
        rig.Transitions.Clear();

        rig.Panel.EnterInstallMode(NewKey, 0, rig.Now);
        rig.Run(10);

        CollectionAssert.AreEqual(new[] { "Online->Offline", "Offline->SecureChallenge" }, rig.Transitions);
        Assert.IsTrue(rig.RunUntil(() => rig.Panel.IsOnline, 1000));
        Assert.AreEqual(1L, rig.Panel.KeysSet);
    }
}
