namespace SmartCommunity.Simulation.Devices;

using System;
using System.Collections.Generic;
using System.Globalization;
using System.Threading.Tasks;
using SmartCommunity.Edge.Layout;
using SmartCommunity.Firmware.Devices.PulseMeter;
using SmartCommunity.Simulation.Hardware;

/// <summary>
/// The pulse meter's hardware (hardware-docs/pulse-meter.md) and the faults a meter is tested with: a power cut that
/// lasts (the device is off, its RAM is lost, pulses meanwhile are never seen, and it boots from its store when the
/// power returns) and messages lost on the way to the edge.
/// </summary>
public sealed partial class VirtualDevice
{
    /// <summary>Layout pin name of a pulse meter's tamper input (optional).</summary>
    public const string TamperPin = "tamper";

    /// <summary>Layout pin name of a pulse meter's power-fail warning input (optional; hold-up fitted).</summary>
    public const string PowerFailPin = "powerFail";

    // Edges handed to the firmware per loop step at most: the firmware's ring holds 64 per channel between two polls
    // (S0PulseInput.DefaultCapacity); a real loop (50 ms) polls long before that many arrive.
    private const int EdgesPerPoll = S0PulseInput.DefaultCapacity - 16;

    private readonly S0PulseTrain?[] _pulseTrains = new S0PulseTrain?[PulseMeterSettings.MaxChannels];
    private DateTimeOffset? _powerBackAt;
    private bool _cablePulledAtCut;
    private DateTimeOffset _loseMessagesUntil = DateTimeOffset.MinValue;

    /// <summary>True while a power cut lasts: the device does nothing and is off the broker.</summary>
    public bool PoweredOff => _powerBackAt is not null;

    /// <summary>The simulated meter on S0 channel <paramref name="channel"/> (1-4) of a pulse meter device; null when the channel is not fitted.</summary>
    public S0PulseTrain? PulseTrain(int channel) =>
        channel is >= 1 and <= PulseMeterSettings.MaxChannels ? _pulseTrains[channel - 1] : null;

    /// <summary>
    /// Cuts the power for <paramref name="off"/> of the device's time: the connection drops with no DISCONNECT (the
    /// broker publishes the Last Will), RAM is lost, outputs are unpowered, and nothing runs until the first connect
    /// attempt at or after the power returns, when new firmware boots from the same store. With a power-fail input
    /// wired, the warning comes first and the loop gets one step with it (the hold-up), as on the reference board.
    /// </summary>
    public async Task CutPowerAsync(TimeSpan off)
    {
        if (PoweredOff)
        {
            throw new InvalidOperationException($"{Definition.Id} is already without power");
        }

        if (Input(PowerFailPin) is { } warning && !_hung)
        {
            warning.Active = true;
            Step();
        }

        await StopLoopAsync();
        _powerBackAt = _time.GetUtcNow() + off;
        _cablePulledAtCut = _transport.IsNetworkCut;
        await _transport.CutNetworkAsync();
        foreach (SimulatedOutput output in _outputs.Values)
        {
            output.Write(false);
        }

        foreach (S0PulseTrain? train in _pulseTrains)
        {
            train?.PowerLost();
        }
    }

    /// <summary>
    /// A new meter on S0 channel <paramref name="channel"/>: its register starts at <paramref name="startMilli"/>, and the
    /// device's parameters get it as <c>chNStartMilli</c> (the installer's new commissioning), read at the next boot.
    /// </summary>
    public void FitNewMeter(int channel, long startMilli)
    {
        S0PulseTrain old = PulseTrain(channel) ?? throw new ArgumentOutOfRangeException(nameof(channel), channel, $"channel {channel} of {Definition.Id} is not fitted");
        var parameters = new Dictionary<string, long>(Definition.Parameters, StringComparer.Ordinal) { ["ch" + channel.ToString(CultureInfo.InvariantCulture) + "StartMilli"] = startMilli };
        Definition = Definition with { Parameters = parameters };
        _pulseTrains[channel - 1] = new S0PulseTrain(old.MilliPerPulse, startMilli, VirtualMs(), old.PulseWidthMs);
    }

    /// <summary>Messages the device sends until <paramref name="until"/> are lost on the way (the device thinks they went).</summary>
    public void LoseMessagesUntil(DateTimeOffset until) => _loseMessagesUntil = until;

    // Manual mode: the power comes back at the first connect attempt due at or after its time.
    private async Task RestorePowerIfDueAsync()
    {
        if (_powerBackAt is not { } back || _time.GetUtcNow() < back)
        {
            return;
        }

        _powerBackAt = null;
        bool cableStillPulled = _cablePulledAtCut;
        await _transport.DisposeAsync();
        if (Input(PowerFailPin) is { } warning)
        {
            warning.Active = false;
        }

        // Pulses that came and went while the controller was off are the meter's alone.
        long now = VirtualMs();
        foreach (S0PulseTrain? train in _pulseTrains)
        {
            train?.Discard(now);
        }

        PowerOn();
        _hung = false;
        if (cableStillPulled)
        {
            await _transport.CutNetworkAsync();
        }

        if (_manual)
        {
            StartManual();
        }
        else
        {
            Start();
        }
    }

    private void ApplyMessageLoss()
    {
        _transport.LosesOutgoing = _time.GetUtcNow() < _loseMessagesUntil;
    }

    private void FitPulseTrains()
    {
        PulseMeterSettings settings = FirmwareSettings.PulseMeter(Definition);
        long start = VirtualMs();
        long width = Math.Max(1, Definition.Parameter("pulseWidthMs", S0PulseTrain.DefaultPulseWidthMs));
        for (int n = 1; n <= PulseMeterSettings.MaxChannels; n++)
        {
            PulseChannelSettings channel = settings.Channel(n);
            if (channel.IsFitted)
            {
                _pulseTrains[n - 1] = new S0PulseTrain(channel.MilliPerPulse, channel.StartMilli, start, width);
            }
        }
    }

    // What the S0 interrupts did since the last loop step: every edge, with the uptime it happened at, to its channel.
    // A step that would bring more than the firmware's ring holds is split, as the real 50 ms loop would have polled.
    // The other channels may then be handed edges a little after that step's time; the input dates each by its own
    // time, so nothing is counted differently.
    private void FeedPulseInputs(long nowUptime)
    {
        if (_firmware is not PulseMeter meter)
        {
            return;
        }

        long nowMs = VirtualMs();
        long offset = nowUptime - nowMs;
        while (true)
        {
            bool more = false;
            long stepAt = nowMs;
            for (int n = 1; n <= PulseMeterSettings.MaxChannels; n++)
            {
                if (_pulseTrains[n - 1] is not { } train)
                {
                    continue;
                }

                int channel = n;
                long last = long.MinValue;
                int taken = train.Take(nowMs, (on, at) =>
                {
                    meter.Edge(channel, on, at + offset);
                    last = at;
                }, EdgesPerPoll);
                if (taken == EdgesPerPoll && train.NextEdgeAt(nowMs) is not null)
                {
                    more = true;
                    stepAt = Math.Min(stepAt, last);
                }
            }

            if (!more)
            {
                return;
            }

            meter.Step(stepAt + offset);
        }
    }

    private long VirtualMs() => _time.GetUtcNow().ToUnixTimeMilliseconds();
}
