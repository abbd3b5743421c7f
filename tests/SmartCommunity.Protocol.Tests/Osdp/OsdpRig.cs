namespace SmartCommunity.Protocol.Tests.Osdp;

using System;
using System.Collections.Generic;
using SmartCommunity.Protocol.Crypto;
using SmartCommunity.Protocol.Osdp;

/// <summary>
/// A CP wired to a <see cref="PdSimulator"/> through a fake RS-485 line, with a fake clock. A packet the CP
/// writes reaches the simulator at once; its reply arrives <see cref="ReplyDelayMs"/> later, in the step
/// that reaches that time, before the CP's <see cref="OsdpControlPanel.Step"/>.
/// </summary>
internal sealed class OsdpRig
{
    public static readonly byte[] ReaderKey = Convert.FromHexString("00112233445566778899AABBCCDDEEFF");

    private readonly List<(long At, byte[] Bytes)> _inFlight = new List<(long, byte[])>();

    public OsdpRig(OsdpControlPanelSettings? settings = null, PdSimulator? pd = null)
    {
        Settings = settings ?? DefaultSettings();
        Pd = pd ?? new PdSimulator(Settings.Address, ReaderKey);
        Line = new Wire(this);
        Random = new CountingRandom();
        Panel = new OsdpControlPanel(Settings, Line, Random);
        Panel.StateChanged += (panel, previous, current) => Transitions.Add(previous + "->" + current);
    }

    public OsdpControlPanelSettings Settings { get; }

    public PdSimulator Pd { get; }

    public Wire Line { get; }

    public CountingRandom Random { get; }

    public OsdpControlPanel Panel { get; }

    public long Now { get; private set; }

    public long ReplyDelayMs { get; set; } = 10;

    public List<string> Transitions { get; } = new List<string>();

    /// <summary>Bytes put on the line by the CP, one entry per write.</summary>
    public List<byte[]> Sent { get; } = new List<byte[]>();

    public static OsdpControlPanelSettings DefaultSettings() => new OsdpControlPanelSettings
    {
        Address = 0x65,
        Scbk = (byte[])ReaderKey.Clone(),
    };

    /// <summary>Advances the clock in <paramref name="stepMs"/> steps for <paramref name="ms"/> milliseconds.</summary>
    public void Run(long ms, long stepMs = 10)
    {
        long end = Now + ms;
        while (Now < end)
        {
            Now += stepMs;
            Deliver();
            Panel.Step(Now);
        }
    }

    /// <summary>Runs until <paramref name="condition"/> holds, at most <paramref name="limitMs"/>.</summary>
    public bool RunUntil(Func<bool> condition, long limitMs = 10000, long stepMs = 10)
    {
        long end = Now + limitMs;
        while (Now < end)
        {
            if (condition())
            {
                return true;
            }

            Now += stepMs;
            Deliver();
            Panel.Step(Now);
        }

        return condition();
    }

    /// <summary>Feeds bytes to the CP as if they came from the line now.</summary>
    public void Inject(byte[] bytes)
    {
        Panel.Receive(bytes, bytes.Length, Now);
    }

    public byte[] LastSent => Sent[^1];

    private void Deliver()
    {
        for (int i = 0; i < _inFlight.Count; i++)
        {
            if (_inFlight[i].At <= Now)
            {
                byte[] bytes = _inFlight[i].Bytes;
                _inFlight.RemoveAt(i);
                i--;
                Panel.Receive(bytes, bytes.Length, Now);
            }
        }
    }

    public sealed class Wire : IOsdpLine
    {
        private readonly OsdpRig _rig;

        public Wire(OsdpRig rig)
        {
            _rig = rig;
        }

        public void Write(byte[] buffer, int length)
        {
            byte[] packet = buffer.AsSpan(0, length).ToArray();
            _rig.Sent.Add(packet);
            byte[]? reply = _rig.Pd.Handle(packet);
            if (reply != null)
            {
                _rig._inFlight.Add((_rig.Now + _rig.ReplyDelayMs, reply));
            }
        }
    }

    /// <summary>Deterministic "random" bytes: B0..B7 first (the Annex E CP random), then counting up.</summary>
    public sealed class CountingRandom : IRandomSource
    {
        private int _next = 0xB0;

        public int Fills { get; private set; }

        public void Fill(byte[] buffer, int offset, int count)
        {
            Fills++;
            for (int i = 0; i < count; i++)
            {
                buffer[offset + i] = (byte)_next++;
            }
        }
    }
}
