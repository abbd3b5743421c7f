namespace SmartCommunity.Simulation.Devices;

using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using SmartCommunity.Edge.Layout;
using SmartCommunity.Firmware.Boot;
using SmartCommunity.Firmware.Devices.DoorController;
using SmartCommunity.Firmware.Devices.SmokeDetector;
using SmartCommunity.Firmware.Hal;
using SmartCommunity.Firmware.Messaging;
using SmartCommunity.Simulation.Hardware;

/// <summary>
/// One device of the layout, running the real firmware logic on simulated pins and a real MQTT connection.
/// <para>
/// <see cref="Start"/> runs it as the microcontroller's main loop would, on its own task in real time.
/// <see cref="StartManual"/> leaves the stepping to someone else (the scenario runner, in virtual time): it calls
/// <see cref="ConnectIfDueAsync"/>, <see cref="Step"/> and <see cref="FlushAsync"/> itself, so nothing happens
/// between two of its ticks.
/// </para>
/// <para>
/// Fault switches: <see cref="RebootAsync"/> (power cycle: new firmware instance, same store, so the boot counter
/// grows), <see cref="Hung"/> (the loop stops, the MQTT connection stays), <see cref="SkewClock"/> (the device's
/// monotonic clock jumps), and the transport's network cut.
/// </para>
/// </summary>
public sealed class VirtualDevice : IAsyncDisposable
{
    public const string FirmwareVersion = "sim-0.1.0";

    /// <summary>Smoke head level in clean air; the demo layout's alarm threshold is 600.</summary>
    public const int CleanAirLevel = 100;

    // What a real device does after a failed connect (MqttDeviceTransport's own loop does the same in real time).
    private static readonly TimeSpan FirstReconnectPause = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan LongestReconnectPause = TimeSpan.FromSeconds(5);

    // The simulated signals of each kind, by the pin names of the layout schema (hardware-docs/layout.md, "pins").
    private static readonly IReadOnlyDictionary<string, IReadOnlyDictionary<string, SimulatedPinKind>> Pins =
        new Dictionary<string, IReadOnlyDictionary<string, SimulatedPinKind>>(StringComparer.Ordinal)
        {
            [DeviceKinds.Door] = new Dictionary<string, SimulatedPinKind>(StringComparer.Ordinal)
            {
                ["lock"] = SimulatedPinKind.DigitalOutput,
                ["fire"] = SimulatedPinKind.DigitalInput,
                ["doorClosed"] = SimulatedPinKind.DigitalInput,
            },
            [DeviceKinds.Smoke] = new Dictionary<string, SimulatedPinKind>(StringComparer.Ordinal)
            {
                ["head"] = SimulatedPinKind.AnalogInput,
            },
        };

    private readonly string _host;
    private readonly int _port;
    private readonly TimeProvider _time;
    private readonly TimeSpan _tick;
    private readonly Dictionary<string, SimulatedInput> _digitalInputs = new(StringComparer.Ordinal);
    private readonly Dictionary<string, SimulatedAnalogInput> _analogInputs = new(StringComparer.Ordinal);
    private readonly Dictionary<string, SimulatedOutput> _outputs = new(StringComparer.Ordinal);
    private IFirmwareDevice _firmware = null!;
    private MqttDeviceTransport _transport = null!;
    private DeviceClock _clock = null!;
    private CancellationTokenSource? _stop;
    private Task? _loop;
    private bool _manual;
    private volatile bool _hung;
    private DateTimeOffset _nextConnectAt;
    private TimeSpan _reconnectPause = FirstReconnectPause;

    private VirtualDevice(DeviceDefinition definition, string host, int port, TimeProvider time, TimeSpan tick)
    {
        Definition = definition;
        _host = host;
        _port = port;
        _time = time;
        _tick = tick;
    }

    public DeviceDefinition Definition { get; }

    /// <summary>The running firmware; a reboot replaces it.</summary>
    public IFirmwareDevice Firmware => _firmware;

    /// <summary>The current MQTT session; a reboot replaces it.</summary>
    public MqttDeviceTransport Transport => _transport;

    /// <summary>The device's monotonic clock (uptime since its last boot, plus any skew).</summary>
    public IClock Clock => _clock;

    /// <summary>The non-volatile store; it survives reboots and holds the boot counter.</summary>
    public MemoryStore Store { get; } = new();

    /// <summary>The boot count the running firmware reports (protocol.md §3).</summary>
    public long Boot { get; private set; }

    /// <summary>Door output; null for devices without one. Energised = locked (egress) or held open (hold-open).</summary>
    public SimulatedOutput? DoorOutput { get; private init; }

    public SimulatedInput? FireInput { get; private init; }

    public SimulatedInput? DoorClosed { get; private init; }

    public SimulatedAnalogInput? SmokeHead { get; private init; }

    /// <summary>The device's simulated signals by layout pin name.</summary>
    public IReadOnlyDictionary<string, SimulatedInput> DigitalInputs => _digitalInputs;

    public IReadOnlyDictionary<string, SimulatedAnalogInput> AnalogInputs => _analogInputs;

    public IReadOnlyDictionary<string, SimulatedOutput> Outputs => _outputs;

    /// <summary>
    /// Fault switch: the firmware's loop stops (a hang) while its MQTT connection stays up, so it sends nothing and
    /// handles nothing; only the edge's heartbeat allowance can notice.
    /// </summary>
    public bool Hung
    {
        get => _hung;
        set => _hung = value;
    }

    /// <summary>The simulated signals a device kind has, by layout pin name; null for a kind the simulator has no model of.</summary>
    public static IReadOnlyDictionary<string, SimulatedPinKind>? PinsOf(string kind) => Pins.GetValueOrDefault(kind);

    public static VirtualDevice Create(DeviceDefinition definition, string host, int port, TimeProvider time, TimeSpan tick)
    {
        VirtualDevice device = definition.Kind switch
        {
            DeviceKinds.Door => new VirtualDevice(definition, host, port, time, tick)
            {
                DoorOutput = new SimulatedOutput(),
                FireInput = new SimulatedInput(),
                DoorClosed = new SimulatedInput(active: true),
            },
            DeviceKinds.Smoke => new VirtualDevice(definition, host, port, time, tick) { SmokeHead = new SimulatedAnalogInput(CleanAirLevel) },
            _ => throw new NotSupportedException($"the simulator has no virtual '{definition.Kind}' yet"),
        };
        device.WirePins();
        device.PowerOn();
        return device;
    }

    /// <summary>Runs the device on its own loop in real time.</summary>
    public void Start()
    {
        _transport.Start();
        StartLoop();
    }

    /// <summary>Externally stepped (virtual time): no loop, no background connects; see the class summary.</summary>
    public void StartManual()
    {
        _manual = true;
        _transport.StartManual();
        _nextConnectAt = _time.GetUtcNow();
    }

    /// <summary>
    /// Manual mode: one connection attempt when the device is off the broker and its reconnect pause (on the device's
    /// TimeProvider, so virtual in a scenario) is over. A hung device does not reconnect: its loop is what would.
    /// True when a new session started.
    /// </summary>
    public async Task<bool> ConnectIfDueAsync(CancellationToken cancel)
    {
        if (_hung || _transport.IsConnected || _transport.IsNetworkCut || _time.GetUtcNow() < _nextConnectAt)
        {
            return false;
        }

        if (await _transport.TryConnectAsync(cancel))
        {
            _reconnectPause = FirstReconnectPause;
            return true;
        }

        _nextConnectAt = _time.GetUtcNow() + _reconnectPause;
        _reconnectPause = TimeSpan.FromTicks(Math.Min(_reconnectPause.Ticks * 2, LongestReconnectPause.Ticks));
        return false;
    }

    /// <summary>
    /// Manual mode: one iteration of the main loop at the device's clock: received messages to the firmware, then its
    /// Step. A hung device does neither. Returns how many messages were handed over.
    /// </summary>
    public int Step(Action<string, byte[]>? received = null)
    {
        if (_hung)
        {
            return 0;
        }

        long now = _clock.UptimeMs;
        int delivered = _transport.DeliverInbox(now, received);
        _firmware.Step(now);
        return delivered;
    }

    /// <summary>Manual mode: hands received messages to the firmware without stepping it (nothing when hung).</summary>
    public int DeliverInbox(Action<string, byte[]>? received = null) => _hung ? 0 : _transport.DeliverInbox(_clock.UptimeMs, received);

    /// <summary>Manual mode: sends what the firmware queued; see <see cref="MqttDeviceTransport.FlushAsync"/>.</summary>
    public Task<int> FlushAsync(Action<SentMessage>? sent, CancellationToken cancel) => _transport.FlushAsync(sent, cancel);

    /// <summary>Fault switch: the monotonic clock jumps by <paramref name="ms"/> (negative = backwards) until the next reboot.</summary>
    public void SkewClock(long ms) => _clock.Skew(ms);

    /// <summary>
    /// Power cycle: the connection drops without a DISCONNECT (the broker publishes the Last Will), RAM is lost (the
    /// inbox and outbox with it), and new firmware boots from the same store, so the boot counter grows. The output
    /// pin is unpowered meanwhile; the firmware's first write releases it. The device then reconnects in its mode.
    /// </summary>
    public async Task RebootAsync()
    {
        await StopLoopAsync();
        MqttDeviceTransport old = _transport;
        bool cableStillPulled = old.IsNetworkCut;
        await old.CutNetworkAsync();
        await old.DisposeAsync();
        DoorOutput?.Write(false);
        PowerOn();

        // A reboot does not plug the cable back in; it does end a hang (as the board's watchdog would).
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

    public async ValueTask DisposeAsync()
    {
        await StopLoopAsync();
        await _transport.DisposeAsync();
    }

    private void WirePins()
    {
        if (DoorOutput is not null)
        {
            _outputs["lock"] = DoorOutput;
        }

        if (FireInput is not null)
        {
            _digitalInputs["fire"] = FireInput;
        }

        if (DoorClosed is not null)
        {
            _digitalInputs["doorClosed"] = DoorClosed;
        }

        if (SmokeHead is not null)
        {
            _analogInputs["head"] = SmokeHead;
        }
    }

    // A boot: count it in the store, start the clock at zero, build the firmware on the (surviving) hardware.
    private void PowerOn()
    {
        long boot = BootCounter.Advance(Store);
        var clock = new DeviceClock(new TimeProviderClock(_time));
        var identity = new DeviceIdentity(Definition.Site, Definition.Building, Definition.Kind, Definition.Id, FirmwareVersion);
        var transport = new ForwardingTransport();
        IFirmwareDevice firmware;
        if (Definition.Kind == DeviceKinds.Door)
        {
            firmware = new DoorController(identity, FirmwareSettings.Door(Definition), DoorOutput!, FireInput!, DoorClosed!, clock, transport, boot);
        }
        else
        {
            firmware = new SmokeDetector(identity, FirmwareSettings.SmokeDetector(Definition), SmokeHead!, clock, transport, boot);
        }

        _transport = transport.Attach(new MqttDeviceTransport(_host, _port, firmware));
        _firmware = firmware;
        _clock = clock;
        Boot = boot;
    }

    private void StartLoop()
    {
        _stop = new CancellationTokenSource();
        CancellationToken cancel = _stop.Token;
        _loop = Task.Run(() => RunAsync(cancel));
    }

    private async Task StopLoopAsync()
    {
        if (_stop is null)
        {
            return;
        }

        _stop.Cancel();
        if (_loop is not null)
        {
            await _loop;
        }

        _stop.Dispose();
        _stop = null;
        _loop = null;
    }

    private async Task RunAsync(CancellationToken cancel)
    {
        while (!cancel.IsCancellationRequested)
        {
            if (!_hung)
            {
                long now = _clock.UptimeMs;
                _transport.DeliverInbox(now);
                _firmware.Step(now);
            }

            try
            {
                await Task.Delay(_tick, cancel);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    /// <summary>The device's uptime clock with a skew switch; a reboot starts a fresh one.</summary>
    private sealed class DeviceClock(TimeProviderClock inner) : IClock
    {
        private long _skewMs;

        public long UptimeMs => inner.UptimeMs + Interlocked.Read(ref _skewMs);

        public void Skew(long ms) => Interlocked.Add(ref _skewMs, ms);
    }

    /// <summary>
    /// The firmware needs its transport at construction and the MQTT transport needs the firmware (for its
    /// topics); this forwards until the real one is attached.
    /// </summary>
    private sealed class ForwardingTransport : IMessageTransport
    {
        private MqttDeviceTransport? _inner;

        public bool IsConnected => _inner?.IsConnected ?? false;

        public int Sessions => _inner?.Sessions ?? 0;

        public MqttDeviceTransport Attach(MqttDeviceTransport inner) => _inner = inner;

        public bool Publish(string topic, byte[] payload, int length, int qos, bool retain) =>
            _inner?.Publish(topic, payload, length, qos, retain) ?? false;
    }
}

/// <summary>What a simulated signal of a virtual device is.</summary>
public enum SimulatedPinKind
{
    DigitalInput,
    AnalogInput,
    DigitalOutput,
}
