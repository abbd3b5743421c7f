namespace SmartCommunity.Protocol.Tests.Osdp;

using System;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using SmartCommunity.Protocol.Osdp;
using SmartCommunity.Protocol.Tests.Crypto;

[TestClass]
public sealed class OsdpSecureChannelTests
{
    // SIA OSDP Annex E secure channel example (libosdp tests/unit-tests/test-sc-sia-vectors.c; ../shared/notes/domain.md §A2).
    private const string CpRandom = "B0B1B2B3B4B5B6B7";
    private const string PdRandom = "A0A1A2A3A4A5A6A7";
    private const string SessionEncryption = "BF8DC2A8329ACB8C67C6D0CD9A451682";
    private const string SessionMac1 = "5E86C676603BDEE2D8BEAFE178637332";
    private const string SessionMac2 = "6FDA86E857777E81132035758239172E";
    private const string CpCryptogram = "26D3356E07762D262801FC8E6665A891";
    private const string PdCryptogram = "FDE5D2F428EC16312471EA3C02BD7796";
    private const string InitialReplyMac = "B2A30057EB98BA2229EC1F875662B524";

    [TestMethod]
    public void DeriveSessionKeys_AnnexEDefaultKeyAndCpRandom_GivesSessionKeys()
    {
        OsdpSecureChannel channel = AnnexEChannel();
        byte[] key = new byte[16];

        channel.CopyEncryptionKey(key, 0);
        Assert.AreEqual(SessionEncryption, Hex.Of(key));
        channel.CopyMacKey1(key, 0);
        Assert.AreEqual(SessionMac1, Hex.Of(key));
        channel.CopyMacKey2(key, 0);
        Assert.AreEqual(SessionMac2, Hex.Of(key));
        Assert.IsTrue(channel.IsDefaultKeySession);
    }

    [TestMethod]
    public void DeriveSessionKeys_AnnexE_MatchesOracleDerivation()
    {
        // The oracle derives with System.Security.Cryptography: AES(SCBK, 01 xx || cp_random[0..5] || 0*8).
        byte[] cpRandom = Hex.Bytes(CpRandom);

        Assert.AreEqual(SessionEncryption, Hex.Of(OsdpOracle.SessionKey(OsdpOracle.DefaultKey, cpRandom, 0x82)));
        Assert.AreEqual(SessionMac1, Hex.Of(OsdpOracle.SessionKey(OsdpOracle.DefaultKey, cpRandom, 0x01)));
        Assert.AreEqual(SessionMac2, Hex.Of(OsdpOracle.SessionKey(OsdpOracle.DefaultKey, cpRandom, 0x02)));
    }

    [TestMethod]
    public void ComputeCryptograms_AnnexE_GivesCpAndPdCryptograms()
    {
        OsdpSecureChannel channel = AnnexEChannel();
        byte[] cryptogram = new byte[16];

        channel.ComputeCpCryptogram(cryptogram, 0);
        Assert.AreEqual(CpCryptogram, Hex.Of(cryptogram));
        channel.ComputePdCryptogram(cryptogram, 0);
        Assert.AreEqual(PdCryptogram, Hex.Of(cryptogram));
    }

    [TestMethod]
    public void VerifyPdCryptogram_AnnexEValue_ReturnsTrueAndFalseWhenOneBitDiffers()
    {
        OsdpSecureChannel channel = AnnexEChannel();
        byte[] cryptogram = Hex.Bytes(PdCryptogram);

        Assert.IsTrue(channel.VerifyPdCryptogram(cryptogram, 0));
        cryptogram[7] ^= 0x20;
        Assert.IsFalse(channel.VerifyPdCryptogram(cryptogram, 0));
    }

    [TestMethod]
    public void ComputeInitialReplyMac_AnnexE_GivesRmacI()
    {
        OsdpSecureChannel channel = AnnexEChannel();
        byte[] rmacI = new byte[16];

        channel.ComputeInitialReplyMac(rmacI, 0);

        Assert.AreEqual(InitialReplyMac, Hex.Of(rmacI));
    }

    [TestMethod]
    public void Activate_AnnexERmacI_ActivatesAndSeedsTheReplyChain()
    {
        OsdpSecureChannel channel = AnnexEChannel();
        byte[] chain = new byte[16];

        Assert.IsTrue(channel.Activate(Hex.Bytes(InitialReplyMac), 0));

        Assert.IsTrue(channel.IsActive);
        channel.CopyChain(command: false, chain, 0);
        Assert.AreEqual(InitialReplyMac, Hex.Of(chain));
    }

    [TestMethod]
    public void Activate_WrongRmacI_StaysInactive()
    {
        OsdpSecureChannel channel = AnnexEChannel();
        byte[] wrong = Hex.Bytes(InitialReplyMac);
        wrong[15] ^= 1;

        Assert.IsFalse(channel.Activate(wrong, 0));
        Assert.IsFalse(channel.IsActive);
    }

    [TestMethod]
    public void Activate_BeforeKeysDerived_ReturnsFalse()
    {
        Assert.IsFalse(new OsdpSecureChannel().Activate(Hex.Bytes(InitialReplyMac), 0));
    }

    [TestMethod]
    public void IsDefaultKey_Scbkd_IsTrueAndAnyOtherKeyFalse()
    {
        byte[] key = new byte[17];
        OsdpSecureChannel.CopyDefaultKey(key, 1);

        Assert.AreEqual("303132333435363738393A3B3C3D3E3F", Hex.Of(key, 1, 16));
        Assert.IsTrue(OsdpSecureChannel.IsDefaultKey(key, 1));
        key[16] = 0x40;
        Assert.IsFalse(OsdpSecureChannel.IsDefaultKey(key, 1));
    }

    [TestMethod]
    public void SignAndVerify_AlternatingCommandsAndReplies_FollowTheOracleChain()
    {
        OsdpSecureChannel cp = AnnexEActive();
        OsdpSecureChannel pd = AnnexEActive();
        byte[] sMac1 = Hex.Bytes(SessionMac1);
        byte[] sMac2 = Hex.Bytes(SessionMac2);
        byte[] chain = Hex.Bytes(InitialReplyMac);
        Random random = new Random(7);
        for (int round = 0; round < 12; round++)
        {
            bool command = round % 2 == 0;
            byte[] packet = new byte[8 + random.Next(40) + 4];
            random.NextBytes(packet);
            int length = packet.Length - 4;
            OsdpSecureChannel sender = command ? cp : pd;
            OsdpSecureChannel receiver = command ? pd : cp;

            sender.Sign(command, packet, 0, length);

            byte[] expected = OsdpOracle.Mac(sMac1, sMac2, chain, packet.AsSpan(0, length));
            Assert.AreEqual(Hex.Of(expected, 0, 4), Hex.Of(packet, length, 4), "round " + round);
            Assert.IsTrue(receiver.Verify(command, packet, 0, length), "round " + round);
            chain = expected;
        }
    }

    [TestMethod]
    public void Sign_WholeBlockMessage_AddsNoPadding()
    {
        OsdpSecureChannel cp = AnnexEActive();
        byte[] packet = new byte[32 + 4];
        new Random(3).NextBytes(packet);

        cp.Sign(command: true, packet, 0, 32);

        byte[] expected = OsdpOracle.Mac(Hex.Bytes(SessionMac1), Hex.Bytes(SessionMac2), Hex.Bytes(InitialReplyMac), packet.AsSpan(0, 32));
        Assert.AreEqual(Hex.Of(expected, 0, 4), Hex.Of(packet, 32, 4));
    }

    [TestMethod]
    public void Verify_ForgedMac_ReturnsFalseAndLeavesTheChainForTheGenuinePacket()
    {
        OsdpSecureChannel cp = AnnexEActive();
        OsdpSecureChannel pd = AnnexEActive();
        byte[] packet = new byte[14];
        new Random(11).NextBytes(packet);
        cp.Sign(command: true, packet, 0, 10);
        byte[] forged = (byte[])packet.Clone();
        forged[12] ^= 0x80;

        Assert.IsFalse(pd.Verify(command: true, forged, 0, 10));
        Assert.IsTrue(pd.Verify(command: true, packet, 0, 10));
    }

    [TestMethod]
    [DataRow(0, 16)]
    [DataRow(1, 16)]
    [DataRow(15, 16)]
    [DataRow(16, 32)]
    [DataRow(33, 48)]
    public void EncryptData_AnyLength_PadsWithMarkerAndMatchesOracle(int length, int padded)
    {
        OsdpSecureChannel cp = AnnexEActive();
        OsdpSecureChannel pd = AnnexEActive();
        byte[] plain = new byte[length];
        new Random(length).NextBytes(plain);
        byte[] buffer = new byte[64];
        plain.CopyTo(buffer, 0);

        int encrypted = cp.EncryptData(command: true, buffer, 0, length);

        Assert.AreEqual(padded, encrypted);
        byte[] expected = OsdpOracle.EncryptData(Hex.Bytes(SessionEncryption), Hex.Bytes(InitialReplyMac), plain);
        Assert.AreEqual(Hex.Of(expected), Hex.Of(buffer, 0, encrypted));
        Assert.AreEqual(length, pd.DecryptData(command: true, buffer, 0, encrypted));
        Assert.AreEqual(Hex.Of(plain), Hex.Of(buffer, 0, length));
    }

    [TestMethod]
    public void DecryptData_NoEndMarker_ReturnsMinusOne()
    {
        OsdpSecureChannel pd = AnnexEActive();
        byte[] zeros = new byte[16];
        byte[] cipher = OsdpOracle.EncryptData(Hex.Bytes(SessionEncryption), Hex.Bytes(InitialReplyMac), zeros);

        // Decrypting only the first block: sixteen zeros, no 0x80 marker in it.
        Assert.AreEqual(-1, pd.DecryptData(command: true, cipher, 0, 16));
    }

    [TestMethod]
    [DataRow(15)]
    [DataRow(17)]
    public void DecryptData_NotWholeBlocks_ReturnsMinusOne(int length)
    {
        OsdpSecureChannel pd = AnnexEActive();

        Assert.AreEqual(-1, pd.DecryptData(command: true, new byte[32], 0, length));
    }

    [TestMethod]
    public void Reset_ActiveChannel_ForgetsKeysAndChain()
    {
        OsdpSecureChannel channel = AnnexEActive();
        byte[] chain = new byte[16];

        channel.Reset();

        Assert.IsFalse(channel.IsActive);
        Assert.IsFalse(channel.HasSessionKeys);
        channel.CopyChain(command: false, chain, 0);
        Assert.AreEqual(new string('0', 32), Hex.Of(chain));
        Assert.AreEqual(-1, channel.DecryptData(command: true, new byte[16], 0, 16));
    }

    private static OsdpSecureChannel AnnexEChannel()
    {
        OsdpSecureChannel channel = new OsdpSecureChannel();
        channel.DeriveSessionKeys(OsdpOracle.DefaultKey, 0, Hex.Bytes(CpRandom), 0);
        channel.SetPdRandom(Hex.Bytes(PdRandom), 0);
        return channel;
    }

    private static OsdpSecureChannel AnnexEActive()
    {
        OsdpSecureChannel channel = AnnexEChannel();
        Assert.IsTrue(channel.Activate(Hex.Bytes(InitialReplyMac), 0));
        return channel;
    }
}
