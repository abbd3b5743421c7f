namespace SmartCommunity.Protocol.Tests.Osdp;

using System;
using System.Collections.Generic;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using SmartCommunity.Protocol.Osdp;
using SmartCommunity.Protocol.Tests.Crypto;

/// <summary>The CP state machine against the independent <see cref="PdSimulator"/>, on a fake clock (hardware-docs/osdp.md §6).</summary>
[TestClass]
public sealed partial class OsdpControlPanelTests
{
    private const string Fc90Cn324 = "00101101000000001010001000";

    [TestMethod]
    public void Constructor_Created_IsOfflineAndSendsNothing()
    {
        OsdpRig rig = new OsdpRig();

        Assert.AreEqual(OsdpLinkState.Offline, rig.Panel.State);
        Assert.IsEmpty(rig.Sent);
    }

    [TestMethod]
    public void Constructor_AddressOutOfRange_Throws()
    {
        OsdpControlPanelSettings settings = OsdpRig.DefaultSettings();
        settings.Address = 0x7F;

        Assert.ThrowsExactly<ArgumentException>(() => new OsdpRig(settings));
    }

    [TestMethod]
    public void Step_First_SendsChallengeWithSequenceZeroKeyTypeOneAndCpRandom()
    {
        OsdpRig rig = new OsdpRig();
        rig.Pd.DropCommands = 1;

        rig.Panel.Step(0);

        OsdpMessage sent = DecodeSent(rig.LastSent);
        Assert.AreEqual(OsdpCodes.Challenge, sent.Code);
        Assert.AreEqual(0, sent.Sequence);
        Assert.AreEqual(0x65, sent.Address);
        Assert.AreEqual(OsdpCodes.ScsChallenge, sent.SecurityBlockType);
        Assert.AreEqual(OsdpCodes.KeyProvisioned, sent.SecurityBlockValue);
        Assert.AreEqual("B0B1B2B3B4B5B6B7", Hex.Of(sent.Data, 0, sent.DataLength));
        Assert.AreEqual(OsdpLinkState.SecureChallenge, rig.Panel.State);
    }

    [TestMethod]
    public void Step_ReaderWithTheKey_CompletesHandshakeAndGoesOnline()
    {
        OsdpRig rig = new OsdpRig();

        Assert.IsTrue(rig.RunUntil(() => rig.Panel.IsOnline, 200));

        CollectionAssert.AreEqual(
            new[] { "Offline->SecureChallenge", "SecureChallenge->SecureCryptogram", "SecureCryptogram->Online" },
            rig.Transitions);
        Assert.IsTrue(rig.Panel.IsSecure);
        Assert.IsTrue(rig.Pd.IsSecure);
        Assert.AreEqual(1L, rig.Panel.SecureSessions);
        byte[] uid = new byte[8];
        rig.Panel.CopyClientUid(uid, 0);
        Assert.AreEqual("0102030405060708", Hex.Of(uid));
    }

    [TestMethod]
    public void Step_Online_PollsEveryPollIntervalOverTheSecureChannel()
    {
        OsdpRig rig = Online();
        int sentBefore = rig.Sent.Count;
        int pollsBefore = rig.Pd.Polls;

        rig.Run(2000);

        Assert.AreEqual(10, rig.Pd.Polls - pollsBefore);
        Assert.AreEqual(10, rig.Sent.Count - sentBefore);
        OsdpMessage poll = DecodeSent(rig.LastSent);
        Assert.AreEqual(OsdpCodes.Poll, poll.Code);
        Assert.AreEqual(OsdpCodes.ScsCommandMac, poll.SecurityBlockType);
        Assert.AreEqual(0L, rig.Panel.RejectedReplies);
    }

    [TestMethod]
    public void Step_Online_SequenceRunsOneTwoThreeAndNeverZeroAgain()
    {
        OsdpRig rig = Online();
        int first = rig.Pd.Sequences.Count;

        rig.Run(2000);

        List<int> sequences = rig.Pd.Sequences.GetRange(first, rig.Pd.Sequences.Count - first);
        for (int i = 1; i < sequences.Count; i++)
        {
            Assert.AreNotEqual(0, sequences[i]);
            Assert.AreEqual(sequences[i - 1] == 3 ? 1 : sequences[i - 1] + 1, sequences[i], "poll " + i);
        }
    }

    [TestMethod]
    public void Receive_CardReadOverSecureChannel_QueuesCredentialNumberAndBitCount()
    {
        OsdpRig rig = Online();
        rig.Pd.PresentCard(Fc90Cn324);

        rig.Run(400);

        OsdpCardRead read = new OsdpCardRead();
        Assert.IsTrue(rig.Panel.TryTakeCardRead(read));
        Assert.AreEqual(26, read.BitCount);
        Assert.AreEqual((90UL * 65536) + 324, read.CredentialNumber);
        Assert.IsFalse(rig.Panel.TryTakeCardRead(read));
        Assert.AreEqual(1L, rig.Panel.CardReads);
    }

    [TestMethod]
    public void Receive_CardReadWithBadParity_IsRejectedAndCounted()
    {
        OsdpRig rig = Online();
        rig.Pd.PresentCard("1" + Fc90Cn324.Substring(1));

        rig.Run(400);

        Assert.IsFalse(rig.Panel.TryTakeCardRead(new OsdpCardRead()));
        Assert.AreEqual(1L, rig.Panel.CardReadsRejected);
        Assert.AreEqual(OsdpRejection.BadCardParity, rig.Panel.LastRejection);
        Assert.IsTrue(rig.Panel.IsOnline);
    }

    [TestMethod]
    public void Receive_MoreCardsThanTheQueueHolds_KeepsTheNewestAndCountsTheDropped()
    {
        OsdpRig rig = Online();
        for (int i = 0; i < OsdpControlPanel.CardQueueCapacity + 2; i++)
        {
            rig.Pd.PresentCard(Convert.ToString(100 + i, 2));
        }

        rig.Run(2000);

        Assert.AreEqual(2L, rig.Panel.CardReadsDropped);
        OsdpCardRead read = new OsdpCardRead();
        Assert.IsTrue(rig.Panel.TryTakeCardRead(read));
        Assert.AreEqual(102UL, read.CredentialNumber);
    }

    [TestMethod]
    public void SignalGranted_Online_SendsGreenLedAndOneBeepToTheReader()
    {
        OsdpRig rig = Online();

        Assert.IsTrue(rig.Panel.SignalGranted());
        rig.Run(200);

        Assert.HasCount(1, rig.Pd.LedCommands);
        byte[] led = rig.Pd.LedCommands[0];
        Assert.AreEqual(LedTemporaryOn(OsdpColor.Green, OsdpColor.Green, 10, 0, 3000), Hex.Of(led));
        Assert.HasCount(1, rig.Pd.BuzzerCommands);
        Assert.AreEqual("0002020001", Hex.Of(rig.Pd.BuzzerCommands[0]));
        Assert.AreEqual(0, rig.Panel.PendingCommands);
    }

    [TestMethod]
    public void SignalDenied_Online_SendsFlashingRedLedAndThreeBeeps()
    {
        OsdpRig rig = Online();

        Assert.IsTrue(rig.Panel.SignalDenied());
        rig.Run(200);

        Assert.AreEqual(LedTemporaryOn(OsdpColor.Red, OsdpColor.Black, 2, 2, 2000), Hex.Of(rig.Pd.LedCommands[0]));
        Assert.AreEqual("0002010103", Hex.Of(rig.Pd.BuzzerCommands[0]));
    }

    [TestMethod]
    public void RequestPermanentLed_Online_SetsOnlyThePermanentPart()
    {
        OsdpRig rig = Online();

        Assert.IsTrue(rig.Panel.RequestPermanentLed(OsdpColor.Red, OsdpColor.Red, 1, 0));
        rig.Run(100);

        Assert.AreEqual("0000" + "00000000000000" + "0101000101", Hex.Of(rig.Pd.LedCommands[0]));
    }

    [TestMethod]
    public void RequestLed_Offline_RefusedAndCounted()
    {
        OsdpRig rig = new OsdpRig();

        Assert.IsFalse(rig.Panel.RequestLed(OsdpColor.Green, OsdpColor.Green, 1, 0, 1000));
        Assert.IsFalse(rig.Panel.SignalGranted());

        Assert.AreEqual(3L, rig.Panel.CommandsDropped);
    }

    [TestMethod]
    public void RequestBuzzer_QueueFull_RefusesTheFifth()
    {
        OsdpRig rig = Online();

        for (int i = 0; i < OsdpControlPanel.PendingCapacity; i++)
        {
            Assert.IsTrue(rig.Panel.RequestBuzzer(1, 1, 1));
        }

        Assert.IsFalse(rig.Panel.RequestBuzzer(1, 1, 1));
        Assert.AreEqual(1L, rig.Panel.CommandsDropped);
        rig.Run(200);
        Assert.HasCount(OsdpControlPanel.PendingCapacity, rig.Pd.BuzzerCommands);
    }

    [TestMethod]
    public void Step_ReplyLost_ResendsTheSamePacketAfterTheReplyTimeout()
    {
        OsdpRig rig = Online();
        rig.Run(200);
        rig.Pd.DropReplies = 1;
        rig.Pd.PresentCard(Fc90Cn324);
        int sentBefore = rig.Sent.Count;

        rig.Run(200);
        Assert.AreEqual(sentBefore + 1, rig.Sent.Count, "the poll went out, its reply was lost");
        byte[] lost = rig.LastSent;
        rig.Run(200);

        Assert.AreEqual(Hex.Of(lost), Hex.Of(rig.Sent[sentBefore + 1]), "resent byte for byte: same sequence, same MAC");
        Assert.AreEqual(1L, rig.Panel.Resends);
        Assert.AreEqual(1L, rig.Panel.ReplyTimeouts);
        Assert.AreEqual(1, rig.Pd.RepeatedReplies, "the PD answered the repeat from its cache");
        Assert.IsTrue(rig.Panel.IsOnline);
        OsdpCardRead read = new OsdpCardRead();
        Assert.IsTrue(rig.Panel.TryTakeCardRead(read), "the card in the lost reply arrives with the repeat");
        Assert.AreEqual(1L, rig.Panel.CardReads);
    }

    [TestMethod]
    public void Step_CommandLost_ResendsAndThePdActsOnce()
    {
        OsdpRig rig = Online();
        rig.Pd.DropCommands = 1;
        rig.Panel.SignalGranted();

        rig.Run(600);

        Assert.HasCount(1, rig.Pd.LedCommands);
        Assert.HasCount(1, rig.Pd.BuzzerCommands);
        Assert.AreEqual(1L, rig.Panel.Resends);
        Assert.IsTrue(rig.Panel.IsOnline);
    }

    [TestMethod]
    public void Step_NoValidReplyFor8Seconds_GoesOfflineNotBefore()
    {
        OsdpRig rig = Online();
        rig.Run(100);
        long lastReply = rig.Now;
        rig.Pd.DropCommands = int.MaxValue;

        rig.Run(7800);
        Assert.IsTrue(rig.Panel.IsOnline, "7.9 s without a reply is not yet offline");
        rig.Run(300);

        Assert.AreEqual(OsdpLinkState.Offline, rig.Panel.State);
        Assert.AreEqual(OsdpRejection.NoReply, rig.Panel.LastRejection);
        Assert.AreEqual(1L, rig.Panel.OfflineTransitions);
        Assert.IsFalse(rig.Panel.IsSecure);
        Assert.IsGreaterThan(30L, rig.Panel.Resends, "resent about every 200 ms meanwhile");
        Assert.IsTrue(rig.Now - lastReply >= 8000);
    }

    [TestMethod]
    public void Step_OfflineAndTheReaderReturns_ReconnectsAfterTheRetryTime()
    {
        OsdpRig rig = Online();
        rig.Pd.DropCommands = int.MaxValue;
        rig.RunUntil(() => rig.Panel.State == OsdpLinkState.Offline, 9000);
        long offlineAt = rig.Now;
        rig.Pd.DropCommands = 0;
        int sentWhenOffline = rig.Sent.Count;

        rig.Run(900);
        Assert.AreEqual(sentWhenOffline, rig.Sent.Count, "quiet for the retry time");
        Assert.IsTrue(rig.RunUntil(() => rig.Panel.IsOnline, 500));

        Assert.IsGreaterThanOrEqualTo(1000L, rig.Now - offlineAt);
        Assert.AreEqual(2L, rig.Panel.SecureSessions);
        Assert.AreEqual(0, DecodeSent(rig.Sent[sentWhenOffline]).Sequence, "a new connection starts with sequence 0");
    }

    [TestMethod]
    public void Step_ReaderNeverAnswers_RetriesAConnectionEveryOfflineRetryAfterEachAttempt()
    {
        OsdpRig rig = new OsdpRig();
        rig.Pd.DropCommands = int.MaxValue;

        rig.Run(8000 + 1000 + 4000);

        Assert.AreEqual(OsdpLinkState.SecureChallenge, rig.Panel.State, "second attempt under way");
        Assert.AreEqual(2, rig.Random.Fills, "one fresh CP random per attempt");
        Assert.AreEqual(OsdpRejection.NoReply, rig.Panel.LastRejection);
    }

    [TestMethod]
    public void Receive_BusyReply_ResendsTheSamePacketAfterThePollInterval()
    {
        OsdpRig rig = Online();
        rig.Run(200);
        rig.Pd.BusyReplies = 1;
        int sentBefore = rig.Sent.Count;

        rig.Run(400);

        Assert.AreEqual(1L, rig.Panel.BusyReplies);
        Assert.AreEqual(Hex.Of(rig.Sent[sentBefore]), Hex.Of(rig.Sent[sentBefore + 1]));
        Assert.IsTrue(rig.Panel.IsOnline);
        Assert.AreEqual(0L, rig.Panel.RejectedReplies);
    }

    [TestMethod]
    public void Receive_NakForAnLedCommand_DropsItAndStaysOnline()
    {
        OsdpRig rig = Online();
        rig.Pd.NakNext = OsdpCodes.NakUnknownCommand;
        rig.Panel.RequestLed(OsdpColor.Blue, OsdpColor.Black, 1, 1, 1000);

        rig.Run(400);

        Assert.AreEqual(1L, rig.Panel.Naks);
        Assert.AreEqual(OsdpCodes.NakUnknownCommand, rig.Panel.LastNakReason);
        Assert.AreEqual(1L, rig.Panel.CommandsDropped);
        Assert.IsTrue(rig.Panel.IsOnline);
        Assert.AreEqual(1L, rig.Panel.SecureSessions);
    }

    [TestMethod]
    public void Receive_SequenceNak_RestartsTheConnection()
    {
        OsdpRig rig = Online();
        rig.Transitions.Clear();
        rig.Pd.NakNext = OsdpCodes.NakSequence;

        rig.Run(600);

        Assert.AreEqual("Online->SecureChallenge", rig.Transitions[0]);
        Assert.IsTrue(rig.Panel.IsOnline);
        Assert.AreEqual(2L, rig.Panel.SecureSessions);
    }

    [TestMethod]
    public void Receive_EchoOfOwnCommand_IsIgnored()
    {
        OsdpRig rig = Online();
        rig.Run(150);
        byte[] echo = rig.LastSent;

        rig.Inject(echo);

        Assert.AreEqual(OsdpRejection.WrongAddress, rig.Panel.LastRejection);
        Assert.AreEqual(1L, rig.Panel.RejectedReplies);
        Assert.IsTrue(rig.Panel.IsOnline);
    }

    [TestMethod]
    public void Receive_ReplyFromAnotherAddress_IsIgnored()
    {
        OsdpRig rig = Online();
        rig.ReplyDelayMs = 50;
        rig.Run(220);

        rig.Inject(OsdpOracle.Packet(0x80 | 0x10, 1, true, OsdpCodes.Ack));

        Assert.AreEqual(OsdpRejection.WrongAddress, rig.Panel.LastRejection);
        rig.Run(100);
        Assert.AreEqual(0L, rig.Panel.Resends, "the real reply still counted");
    }

    [TestMethod]
    public void Receive_ReplyWithWrongSequence_IsRejectedAndTheCommandResent()
    {
        OsdpRig rig = new OsdpRig(PlainSettings());
        rig.RunUntil(() => rig.Panel.IsOnline, 200);
        rig.ReplyDelayMs = 100;
        rig.Run(210);
        int expected = DecodeSent(rig.LastSent).Sequence;

        rig.Inject(OsdpOracle.Packet(0x80 | 0x65, expected == 3 ? 1 : expected + 1, true, OsdpCodes.Ack));

        Assert.AreEqual(OsdpRejection.WrongSequence, rig.Panel.LastRejection);
        rig.Run(150);
        Assert.IsTrue(rig.Panel.IsOnline);
    }

    [TestMethod]
    public void Receive_UnsolicitedReplyWhileIdle_IsRejected()
    {
        OsdpRig rig = Online();
        rig.Run(50);

        rig.Inject(OsdpOracle.Packet(0x80 | 0x65, 1, true, OsdpCodes.Ack));

        Assert.AreEqual(OsdpRejection.UnexpectedReply, rig.Panel.LastRejection);
    }

    [TestMethod]
    public void Receive_CorruptedBytes_RejectedWithReasonAndNeverThrows()
    {
        OsdpRig rig = Online();
        Random random = new Random(5);
        byte[] noise = new byte[4000];
        random.NextBytes(noise);

        rig.Inject(Hex.Bytes("5365080004606091"));
        Assert.AreEqual(OsdpRejection.BadCrc, rig.Panel.LastRejection);
        rig.Inject(noise);
        rig.Run(1000);

        Assert.IsTrue(rig.Panel.IsOnline);
    }

    [TestMethod]
    [DataRow(true)]
    [DataRow(false)]
    public void Receive_RandomWellFramedRepliesWithTheRightAddressAndSequence_NeverThrow(bool secure)
    {
        OsdpRig rig = secure ? Online() : new OsdpRig(PlainSettings(), new PdSimulator(0x65, null));
        rig.RunUntil(() => rig.Panel.IsOnline, 200);
        Random random = new Random(secure ? 1 : 2);
        for (int round = 0; round < 3000; round++)
        {
            rig.Run(10);
            int sequence = rig.Sent.Count > 0 ? DecodeSent(rig.LastSent).Sequence : 0;
            byte[] data = new byte[random.Next(0, 40)];
            random.NextBytes(data);
            byte[] codes = { OsdpCodes.Ack, OsdpCodes.Nak, OsdpCodes.RawCard, OsdpCodes.Busy, OsdpCodes.ClientCryptogram, OsdpCodes.InitialReplyMac, 0x45 };
            byte code = codes[random.Next(codes.Length)];
            byte[]? block = random.Next(3) switch
            {
                0 => null,
                1 => new byte[] { 2, (byte)(0x16 + (2 * random.Next(2))) },
                _ => new byte[] { 3, (byte)(0x12 + (2 * random.Next(2))), (byte)random.Next(256) },
            };

            rig.Inject(OsdpOracle.Packet(0x80 | 0x65, sequence, random.Next(2) == 0, block, code, data));
        }

        Assert.IsGreaterThan(0L, rig.Panel.RejectedReplies);
    }

    [TestMethod]
    public void Step_PlainModeReader_ConnectsWithPollSequenceZeroAndReadsCards()
    {
        OsdpRig rig = new OsdpRig(PlainSettings(), new PdSimulator(0x65, null));

        Assert.IsTrue(rig.RunUntil(() => rig.Panel.IsOnline, 200));
        rig.Pd.PresentCard(Fc90Cn324);
        rig.Run(400);

        CollectionAssert.AreEqual(new[] { "Offline->Connecting", "Connecting->Online" }, rig.Transitions);
        OsdpMessage first = DecodeSent(rig.Sent[0]);
        Assert.AreEqual(OsdpCodes.Poll, first.Code);
        Assert.AreEqual(0, first.Sequence);
        Assert.AreEqual(0, first.SecurityBlockType);
        Assert.IsFalse(rig.Panel.IsSecure);
        Assert.IsTrue(rig.Panel.TryTakeCardRead(new OsdpCardRead()));
    }

    [TestMethod]
    public void Step_PlainModeReaderSilent_StaysConnectingThenGoesOfflineAfter8Seconds()
    {
        OsdpRig rig = new OsdpRig(PlainSettings(), new PdSimulator(0x65, null) { DropCommands = int.MaxValue });

        rig.Run(7900);
        Assert.AreEqual(OsdpLinkState.Connecting, rig.Panel.State);
        rig.Run(300);

        CollectionAssert.AreEqual(new[] { "Offline->Connecting", "Connecting->Offline" }, rig.Transitions);
        Assert.AreEqual(OsdpRejection.NoReply, rig.Panel.LastRejection);
        foreach (byte[] packet in rig.Sent)
        {
            Assert.AreEqual(0, DecodeSent(packet).Sequence, "every resend keeps sequence 0");
        }
    }

    [TestMethod]
    public void Step_PlainModeWithChecksum_SendsChecksumPackets()
    {
        OsdpControlPanelSettings settings = PlainSettings();
        settings.UseCrc = false;
        OsdpRig rig = new OsdpRig(settings, new PdSimulator(0x65, null));

        Assert.IsTrue(rig.RunUntil(() => rig.Panel.IsOnline, 200));

        Assert.AreEqual("536507000060E1", Hex.Of(rig.Sent[0]));
    }

    private static OsdpRig Online(OsdpControlPanelSettings? settings = null, PdSimulator? pd = null)
    {
        OsdpRig rig = new OsdpRig(settings, pd);
        Assert.IsTrue(rig.RunUntil(() => rig.Panel.IsOnline, 1000), "handshake");
        return rig;
    }

    private static OsdpControlPanelSettings PlainSettings()
    {
        OsdpControlPanelSettings settings = OsdpRig.DefaultSettings();
        settings.RequireSecureChannel = false;
        settings.Scbk = null;
        return settings;
    }

    private static OsdpMessage DecodeSent(byte[] packet)
    {
        OsdpMessage message = new OsdpMessage();
        Assert.AreEqual(OsdpRejection.None, new OsdpCodec().Decode(packet, 0, packet.Length, message));
        return message;
    }

    private static string LedTemporaryOn(OsdpColor on, OsdpColor off, int onTime, int offTime, int durationMs)
    {
        int timer = durationMs / 100;
        byte[] led =
        {
            0, 0, 2, (byte)onTime, (byte)offTime, (byte)on, (byte)off, (byte)timer, (byte)(timer >> 8), 0, 0, 0, 0, 0,
        };
        return Hex.Of(led);
    }
}
