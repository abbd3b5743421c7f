namespace SmartCommunity.Firmware.Tests.Devices.DoorController;

using System.Collections.Generic;
using System.Text.Json;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using SmartCommunity.Firmware.Devices.DoorController;
using SmartCommunity.Firmware.Hal;
using SmartCommunity.Firmware.Messaging;
using SmartCommunity.Firmware.Tests.TestSupport;
using SmartCommunity.Protocol.Crypto;
using SmartCommunity.Protocol.Osdp;
using SmartCommunity.Simulation.Hardware;

/// <summary>
/// The OSDP reader adapter (hardware-docs/door-controller.md, "Reader feedback"): reads the control panel accepted
/// reach the door controller, and its decisions come back to the reader as osdp_LED / osdp_BUZ commands on the line.
/// The reader is a minimal plain-mode PD behind a fake RS-485 line; the secure channel is the panel's own tests' business.
/// </summary>
[TestClass]
public sealed class OsdpCardReaderTests
{
    private const ulong Listed = 74565;
    private const ulong Unlisted = 4242;

    [TestMethod]
    public void TryTake_NoReadAccepted_ReturnsFalse()
    {
        OsdpDoorRig rig = OnlineDoor();
        CardRead read = new CardRead();

        Assert.IsFalse(rig.Reader.TryTake(read));
    }

    [TestMethod]
    public void TryTake_AcceptedWiegand26Read_ConvertsToAnOsdpCardRead()
    {
        FakePdLine line = new FakePdLine(new ManualClock(0));
        OsdpControlPanel panel = NewPanel(line);
        OsdpCardReader reader = new OsdpCardReader(panel);
        BringOnline(line, panel);
        line.PresentWiegand26(Listed);
        RunPanel(line, panel, 400);
        CardRead read = new CardRead();
        read.BadFrame = BadFrameReason.Parity;

        Assert.IsTrue(reader.TryTake(read));

        Assert.AreEqual(ReaderKind.Osdp, read.Reader);
        Assert.AreEqual(Listed, read.Card);
        Assert.AreEqual(26, read.Bits);
        Assert.AreEqual(BadFrameReason.None, read.BadFrame);
        Assert.IsFalse(reader.TryTake(read), "taken once");
    }

    [TestMethod]
    public void Signal_Granted_QueuesGreenLedAndOneBeep()
    {
        FakePdLine line = new FakePdLine(new ManualClock(0));
        OsdpControlPanel panel = NewPanel(line);
        OsdpCardReader reader = new OsdpCardReader(panel);
        BringOnline(line, panel);

        reader.Signal(true);
        RunPanel(line, panel, 200);

        Assert.AreEqual(1, line.LedCommands);
        Assert.AreEqual((int)OsdpColor.Green, line.LastLedOnColor);
        Assert.AreEqual(1, line.BuzzerCommands);
        Assert.AreEqual(1, line.LastBuzzerCount);
    }

    [TestMethod]
    public void Signal_Denied_QueuesRedLedAndThreeBeeps()
    {
        FakePdLine line = new FakePdLine(new ManualClock(0));
        OsdpControlPanel panel = NewPanel(line);
        OsdpCardReader reader = new OsdpCardReader(panel);
        BringOnline(line, panel);

        reader.Signal(false);
        RunPanel(line, panel, 200);

        Assert.AreEqual(1, line.LedCommands);
        Assert.AreEqual((int)OsdpColor.Red, line.LastLedOnColor);
        Assert.AreEqual(1, line.BuzzerCommands);
        Assert.AreEqual(3, line.LastBuzzerCount);
    }

    [TestMethod]
    public void Signal_ReaderOffline_CountedAsDroppedNothingSent()
    {
        FakePdLine line = new FakePdLine(new ManualClock(0));
        OsdpControlPanel panel = NewPanel(line);
        OsdpCardReader reader = new OsdpCardReader(panel);

        reader.Signal(true);

        Assert.IsFalse(panel.IsOnline);
        Assert.AreEqual(2L, panel.CommandsDropped);
        Assert.AreEqual(0, panel.PendingCommands);
    }

    [TestMethod]
    public void Step_ListedOsdpCard_GrantedUnlocksAndShowsGreen()
    {
        OsdpDoorRig rig = OnlineDoor();

        rig.Line.PresentWiegand26(Listed);
        rig.RunUntil(() => rig.Accesses().Count > 0, 1000);

        JsonElement access = rig.Accesses()[0];
        Assert.AreEqual(Listed.ToString(System.Globalization.CultureInfo.InvariantCulture), access.GetProperty("card").GetString());
        Assert.AreEqual("granted", access.GetProperty("decision").GetString());
        Assert.AreEqual("allow-list", access.GetProperty("why").GetString());
        Assert.AreEqual("osdp", access.GetProperty("reader").GetString());
        Assert.AreEqual(26, access.GetProperty("bits").GetInt32());
        Assert.IsFalse(rig.Output.Energised, "unlocked");
        rig.Run(500);
        Assert.AreEqual(1, rig.Line.LedCommands, "one osdp_LED (0x69) for the decision");
        Assert.AreEqual((int)OsdpColor.Green, rig.Line.LastLedOnColor);
        Assert.AreEqual(1, rig.Line.BuzzerCommands);
        Assert.AreEqual(0L, rig.Panel.CommandsDropped);
    }

    [TestMethod]
    public void Step_UnlistedOsdpCard_DeniedStaysLockedAndFlashesRed()
    {
        OsdpDoorRig rig = OnlineDoor();

        rig.Line.PresentWiegand26(Unlisted);
        rig.RunUntil(() => rig.Accesses().Count > 0, 1000);

        JsonElement access = rig.Accesses()[0];
        Assert.AreEqual("denied", access.GetProperty("decision").GetString());
        Assert.AreEqual("unknown-card", access.GetProperty("why").GetString());
        Assert.IsTrue(rig.Output.Energised, "still locked");
        rig.Run(500);
        Assert.AreEqual(1, rig.Line.LedCommands);
        Assert.AreEqual((int)OsdpColor.Red, rig.Line.LastLedOnColor);
        Assert.AreEqual(3, rig.Line.LastBuzzerCount);
    }

    [TestMethod]
    public void Step_TwoOsdpCards_OneFeedbackPerDecision()
    {
        OsdpDoorRig rig = OnlineDoor();

        rig.Line.PresentWiegand26(Listed);
        rig.RunUntil(() => rig.Accesses().Count > 0, 1000);
        rig.Line.PresentWiegand26(Unlisted);
        rig.RunUntil(() => rig.Accesses().Count > 1, 1000);
        rig.Run(1000);

        Assert.HasCount(2, rig.Accesses());
        Assert.AreEqual(2, rig.Line.LedCommands);
        Assert.AreEqual((int)OsdpColor.Red, rig.Line.LastLedOnColor);
        Assert.AreEqual(2, rig.Line.BuzzerCommands);
    }

    [TestMethod]
    public void Step_OsdpCardsAndFeedback_AllocatesNothing()
    {
        OsdpDoorRig rig = OnlineDoor(keepMessages: false);
        for (int i = 0; i < 20; i++)
        {
            CardAndSettle(rig, i);
        }

        int leds = rig.Line.LedCommands;
        long reads = rig.Panel.CardReads;

        long allocated = Allocations.During(() =>
        {
            for (int i = 0; i < 200; i++)
            {
                CardAndSettle(rig, i);
            }
        });

        Assert.AreEqual(0L, allocated, "bytes allocated by OSDP reads, decisions and feedback");
        Assert.AreEqual(reads + 200, rig.Panel.CardReads);
        Assert.AreEqual(leds + 200, rig.Line.LedCommands);
    }

    private static void CardAndSettle(OsdpDoorRig rig, int i)
    {
        rig.Line.PresentWiegand26(i % 2 == 0 ? Listed : Unlisted);
        for (int n = 0; n < 120; n++)
        {
            rig.Step(10);
        }
    }

    private static OsdpDoorRig OnlineDoor(bool keepMessages = true)
    {
        OsdpDoorRig rig = new OsdpDoorRig(keepMessages);
        rig.MakeReady();
        rig.Deliver(
            rig.Identity.CommandTopic,
            DeviceRig.CommandPayload("s1", "allow-list", ",\"op\":\"full\",\"ver\":1,\"part\":1,\"parts\":1,\"now\":" + DoorRig.EdgeNow + ",\"add\":\"" + Listed + ":0:0\""));
        Assert.AreEqual(1L, rig.Controller.AllowList.Version, "the allow-list was taken");
        Assert.IsTrue(rig.RunUntil(() => rig.Panel.IsOnline, 1000), "the reader came online");
        return rig;
    }

    private static OsdpControlPanel NewPanel(FakePdLine line) =>
        new OsdpControlPanel(FakePdLine.Settings(), line, new CountingRandom());

    private static void BringOnline(FakePdLine line, OsdpControlPanel panel)
    {
        RunPanel(line, panel, 100);
        Assert.IsTrue(panel.IsOnline);
    }

    private static void RunPanel(FakePdLine line, OsdpControlPanel panel, long ms)
    {
        for (long t = 0; t < ms; t += 10)
        {
            line.Clock.Advance(10);
            line.Deliver(panel);
            panel.Step(line.Clock.UptimeMs);
        }
    }

    /// <summary>A door controller reading from an <see cref="OsdpCardReader"/>, with the board loop's order: UART bytes, panel, door.</summary>
    private sealed class OsdpDoorRig : DeviceRig
    {
        public OsdpDoorRig(bool keepMessages)
            : base(DoorController.Kind, "door-osdp", "1.2.3", keepMessages)
        {
            Line = new FakePdLine(Clock);
            Panel = new OsdpControlPanel(FakePdLine.Settings(), Line, new CountingRandom());
            Reader = new OsdpCardReader(Panel);
            Controller = new DoorController(
                Identity,
                Settings,
                Output,
                FireInput,
                new SimulatedInput(active: true),
                new SimulatedInput(),
                Reader,
                new FixedStore(AllowList.HeaderBytes + (16 * AllowList.EntryBytes)),
                Clock,
                Transport,
                1);
        }

        public DoorSettings Settings { get; } = new DoorSettings();

        public SimulatedInput FireInput { get; } = new SimulatedInput();

        public SimulatedOutput Output { get; } = new SimulatedOutput();

        public FakePdLine Line { get; }

        public OsdpControlPanel Panel { get; }

        public OsdpCardReader Reader { get; }

        public DoorController Controller { get; }

        protected override IFirmwareDevice Device => Controller;

        protected override long LoopMs => 10;

        public void MakeReady()
        {
            Step();
            Step(Settings.FireInputClearMs);
            Deliver(Identity.FireStateTopic, "{\"v\":1,\"state\":\"clear\"}");
        }

        public List<JsonElement> Accesses() =>
            EventPayloads().FindAll(e => e.GetProperty("event").GetString() == "access");

        public bool RunUntil(System.Func<bool> condition, long limitMs)
        {
            for (long t = 0; t < limitMs && !condition(); t += LoopMs)
            {
                Step(LoopMs);
            }

            return condition();
        }

        protected override void OnTimePassed(long advanceMs)
        {
            Line.Deliver(Panel);
            Panel.Step(Clock.UptimeMs);
        }
    }

    /// <summary>
    /// The RS-485 line with one plain-mode PD on it, allocation-free: it decodes each command the panel writes,
    /// counts LED and buzzer commands, and answers one loop later with osdp_ACK, or osdp_RAW to a poll while a card waits.
    /// </summary>
    private sealed class FakePdLine : IOsdpLine
    {
        public const int Address = 0x65;
        private const int ReplyDelayMs = 10;

        private readonly OsdpCodec _codec = new OsdpCodec();
        private readonly OsdpSecureChannel _plain = new OsdpSecureChannel();
        private readonly OsdpMessage _command = new OsdpMessage();
        private readonly OsdpMessage _reply = new OsdpMessage();
        private readonly byte[] _replyBuffer = new byte[OsdpCodec.MaxPacketLength];
        private readonly byte[] _card = new byte[8];
        private int _replyLength;
        private long _replyDueMs;
        private bool _cardWaiting;

        public FakePdLine(ManualClock clock)
        {
            Clock = clock;
        }

        public ManualClock Clock { get; }

        public int LedCommands { get; private set; }

        public int LastLedOnColor { get; private set; } = -1;

        public int BuzzerCommands { get; private set; }

        public int LastBuzzerCount { get; private set; } = -1;

        public static OsdpControlPanelSettings Settings() => new OsdpControlPanelSettings
        {
            Address = Address,
            RequireSecureChannel = false,
        };

        /// <summary>The next poll is answered with this 24-bit credential as a 26-bit Wiegand osdp_RAW (parity included).</summary>
        public void PresentWiegand26(ulong credential)
        {
            _card[0] = 0;
            _card[1] = OsdpCardRead.FormatWiegand;
            _card[2] = 26;
            _card[3] = 0;
            for (int i = 4; i < 8; i++)
            {
                _card[i] = 0;
            }

            int even = 0;
            int odd = 1;
            for (int i = 0; i < 24; i++)
            {
                int bit = (int)((credential >> (23 - i)) & 1);
                SetBit(i + 1, bit);
                if (i < 12)
                {
                    even ^= bit;
                }
                else
                {
                    odd ^= bit;
                }
            }

            SetBit(0, even);
            SetBit(25, odd);
            _cardWaiting = true;
        }

        public void Write(byte[] buffer, int length)
        {
            if (_codec.Decode(buffer, 0, length, _command) != OsdpRejection.None || _command.IsReply)
            {
                return;
            }

            if (_command.Code == OsdpCodes.Led)
            {
                LedCommands++;
                LastLedOnColor = _command.Data[5];
            }
            else if (_command.Code == OsdpCodes.Buzzer)
            {
                BuzzerCommands++;
                LastBuzzerCount = _command.Data[4];
            }

            _reply.Clear();
            _reply.Address = _command.Address;
            _reply.IsReply = true;
            _reply.Sequence = _command.Sequence;
            _reply.UseCrc = true;
            if (_command.Code == OsdpCodes.Poll && _cardWaiting)
            {
                _cardWaiting = false;
                _reply.SetPayload(OsdpCodes.RawCard, _card, 0, _card.Length);
            }
            else
            {
                _reply.SetPayload(OsdpCodes.Ack, _card, 0, 0);
            }

            _replyLength = _codec.Encode(_reply, _plain, _replyBuffer, 0);
            _replyDueMs = Clock.UptimeMs + ReplyDelayMs;
        }

        /// <summary>Hands a due reply to the panel, as the UART adapter would.</summary>
        public void Deliver(OsdpControlPanel panel)
        {
            if (_replyLength > 0 && _replyDueMs <= Clock.UptimeMs)
            {
                int length = _replyLength;
                _replyLength = 0;
                panel.Receive(_replyBuffer, length, Clock.UptimeMs);
            }
        }

        private void SetBit(int index, int bit)
        {
            if (bit != 0)
            {
                _card[4 + (index / 8)] |= (byte)(0x80 >> (index % 8));
            }
        }
    }

    private sealed class CountingRandom : IRandomSource
    {
        private int _next;

        public void Fill(byte[] buffer, int offset, int count)
        {
            for (int i = 0; i < count; i++)
            {
                buffer[offset + i] = (byte)_next++;
            }
        }
    }
}
