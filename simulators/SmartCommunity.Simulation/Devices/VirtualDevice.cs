namespace SmartCommunity.Simulation.Devices;

using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using SmartCommunity.Edge.Registry;
using SmartCommunity.Edge.Layout;
using SmartCommunity.Firmware.Boot;
using SmartCommunity.Firmware.Devices.DoorController;
using SmartCommunity.Firmware.Devices.EmergencyCallPoint;
using SmartCommunity.Firmware.Devices.LeakValve;
using SmartCommunity.Firmware.Devices.ManualCallPoint;
using SmartCommunity.Firmware.Devices.ParkingBarrier;
using SmartCommunity.Firmware.Devices.PulseMeter;
using SmartCommunity.Firmware.Devices.SmokeDetector;
using SmartCommunity.Firmware.Hal;
using SmartCommunity.Firmware.Messaging;
using SmartCommunity.Protocol.Wiegand;
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
/// monotonic clock jumps), the transport's network cut, and for a leak valve the valve's <see cref="MotorisedValve.Seized"/>.
/// </para>
/// <para>
/// The simulated signals of each kind are named as in the layout's <c>pins</c> (simulators/README.md, "Virtual devices").
/// A kind's required signals are always fitted; an optional one (a smoke detector's battery input, a call point's
/// presence sensor) only when the layout wires it, and the firmware sees null for it otherwise, as on a board without it.
/// A door whose pins wire both Wiegand data lines gets a card reader (<see cref="CardReader"/>) and the device's store.
/// </para>
/// </summary>
public sealed partial class VirtualDevice : IAsyncDisposable
{
    public const string FirmwareVersion = "sim-0.1.0";

    /// <summary>Layout pin names of a door's Wiegand reader data lines; wiring both fits a reader.</summary>
    public const string WiegandD0Pin = "wiegandD0";

    public const string WiegandD1Pin = "wiegandD1";

    /// <summary>Smoke head level in clean air; the demo layout's alarm threshold is 600.</summary>
    public const int CleanAirLevel = 100;

    /// <summary>Physical travel of a simulated valve unless the layout gives <c>valveTravelMs</c> (simulator only; the firmware ignores it).</summary>
    public const long DefaultValveTravelMs = 4000;

    /// <summary>Physical travel of a simulated barrier arm unless the layout gives <c>armTravelMs</c> (simulator only; the firmware ignores it).</summary>
    public const long DefaultArmTravelMs = 3000;

    // What a real device does after a failed connect (MqttDeviceTransport's own loop does the same in real time).
    private static readonly TimeSpan FirstReconnectPause = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan LongestReconnectPause = TimeSpan.FromSeconds(5);

    // The simulated signals of each kind, by the pin names of the layout schema (hardware-docs/layout.md, "pins").
    private static readonly IReadOnlyDictionary<string, PinSpec[]> Signals = new Dictionary<string, PinSpec[]>(StringComparer.Ordinal)
    {
        [DeviceKinds.Door] =
        [
            new("lock", SimulatedPinKind.DigitalOutput),
            new("fire", SimulatedPinKind.DigitalInput),
            new("doorClosed", SimulatedPinKind.DigitalInput) { InitiallyActive = true },
            new("rex", SimulatedPinKind.DigitalInput) { Optional = true },
        ],
        [DeviceKinds.Smoke] =
        [
            new("head", SimulatedPinKind.AnalogInput),
            new("hush", SimulatedPinKind.DigitalInput) { Optional = true },
            new("test", SimulatedPinKind.DigitalInput) { Optional = true },
            new("lowBattery", SimulatedPinKind.DigitalInput) { Optional = true },
            new("sounder", SimulatedPinKind.DigitalOutput) { Optional = true },
        ],
        [DeviceKinds.ManualCallPoint] =
        [
            new("glass", SimulatedPinKind.DigitalInput),
            new("lineFault", SimulatedPinKind.DigitalInput) { Optional = true },
        ],
        [DeviceKinds.EmergencyCallPoint] =
        [
            new("call", SimulatedPinKind.DigitalInput),
            new("cancel", SimulatedPinKind.DigitalInput),
            new("motion", SimulatedPinKind.DigitalInput) { Optional = true },
            new("received", SimulatedPinKind.DigitalOutput),
            new("handled", SimulatedPinKind.DigitalOutput) { Optional = true },
            new("sounder", SimulatedPinKind.DigitalOutput),
        ],
        [DeviceKinds.Leak] =
        [
            new("probe", SimulatedPinKind.DigitalInput) { Role = DeviceKinds.RoleSensorValve },
            new("resetButton", SimulatedPinKind.DigitalInput) { Optional = true },
            new("driveOpen", SimulatedPinKind.DigitalOutput),
            new("driveClose", SimulatedPinKind.DigitalOutput),
            new("openSwitch", SimulatedPinKind.ModelledInput),
            new("closedSwitch", SimulatedPinKind.ModelledInput),
        ],

        // The arm, the loops and the photo-eye are one physical model with the vehicles (BarrierLane); the sensor's
        // OK contact, the open input and the close button are plain inputs a scenario sets.
        [DeviceKinds.Barrier] =
        [
            new("openLimit", SimulatedPinKind.ModelledInput),
            new("closedLimit", SimulatedPinKind.ModelledInput),
            new("armingLoop", SimulatedPinKind.ModelledInput),
            new("presenceLoop", SimulatedPinKind.ModelledInput),
            new("closingLoop", SimulatedPinKind.ModelledInput),
            new("safety", SimulatedPinKind.ModelledInput),
            new("sensorOk", SimulatedPinKind.DigitalInput) { InitiallyActive = true },
            new("openInput", SimulatedPinKind.DigitalInput),
            new("closeButton", SimulatedPinKind.DigitalInput),
            new("driveOpen", SimulatedPinKind.DigitalOutput),
            new("driveClose", SimulatedPinKind.DigitalOutput),
        ],

        // The S0 lines are driven by each channel's flow model (S0PulseTrain) through the edge API the interrupt uses.
        [DeviceKinds.Meter] =
        [
            new(TamperPin, SimulatedPinKind.DigitalInput) { Optional = true },
            new(PowerFailPin, SimulatedPinKind.DigitalInput) { Optional = true },
        ],
    };

    private static readonly IReadOnlyDictionary<string, IReadOnlyDictionary<string, SimulatedPinKind>> Pins = Signals.ToDictionary(
        k => k.Key,
        k => (IReadOnlyDictionary<string, SimulatedPinKind>)k.Value.ToDictionary(p => p.Name, p => p.Kind, StringComparer.Ordinal),
        StringComparer.Ordinal);

    private readonly string _host;
    private readonly int _port;
    private readonly TimeProvider _time;
    private readonly TimeSpan _tick;
    private readonly Dictionary<string, SimulatedInput> _digitalInputs = new(StringComparer.Ordinal);
    private readonly Dictionary<string, SimulatedAnalogInput> _analogInputs = new(StringComparer.Ordinal);
    private readonly Dictionary<string, SimulatedOutput> _outputs = new(StringComparer.Ordinal);
    private readonly Dictionary<string, IDigitalInput> _modelledInputs = new(StringComparer.Ordinal);
    private IFirmwareDevice _firmware = null!;
    private MqttDeviceTransport _transport = null!;
    private DeviceClock _clock = null!;
    private CancellationTokenSource? _stop;
    private Task? _loop;
    private bool _manual;
    private volatile bool _hung;
    private DateTimeOffset _nextConnectAt;
    private TimeSpan _reconnectPause = FirstReconnectPause;
    private long _commandKeyId;
    private byte[]? _commandKey;
    private string? _mqttPassword;

    private VirtualDevice(DeviceDefinition definition, string host, int port, TimeProvider time, TimeSpan tick)
    {
        Definition = definition;
        _host = host;
        _port = port;
        _time = time;
        _tick = tick;
    }

    public DeviceDefinition Definition { get; private set; }

    /// <summary>
    /// Gives the device the credentials the edge issued for it, as its configuration bundle would (protocol.md §7):
    /// it logs in to the broker with its id and password (hardware-docs/security.md §3), and takes only commands signed
    /// under its command key (or under a key it rotated to since, kept in its store; §4.5), after every reboot too.
    /// Before <see cref="Start"/> or <see cref="StartManual"/>.
    /// </summary>
    public void UseCredentials(DeviceSecrets secrets)
    {
        ArgumentNullException.ThrowIfNull(secrets);
        _mqttPassword = secrets.MqttPassword;
        _commandKeyId = secrets.SigningKeyId;
        _commandKey = (byte[])secrets.SigningKey.Clone();
        _firmware.Commands.Keys.Configure(_commandKeyId, _commandKey, 0, Store);
        _transport.Password = _mqttPassword;
    }

    /// <summary>Whether the device was given a command key (<see cref="UseCredentials"/>).</summary>
    public bool HasCommandKey => _commandKey is not null;

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
    public SimulatedOutput? DoorOutput => Output("lock");

    public SimulatedInput? FireInput => Input("fire");

    public SimulatedInput? DoorClosed => Input("doorClosed");

    public SimulatedAnalogInput? SmokeHead => _analogInputs.GetValueOrDefault("head");

    /// <summary>
    /// A door's Wiegand card reader (the reader itself, outside the controller), fitted when the layout's pins wire
    /// <see cref="WiegandD0Pin"/> and <see cref="WiegandD1Pin"/>; null otherwise.
    /// </summary>
    public SimulatedWiegandReader? CardReader { get; private set; }

    /// <summary>The controller's reader interface (the firmware's, with its Wiegand collector); a reboot replaces it. Null without a reader.</summary>
    public WiegandCardReader? CardReaderInput { get; private set; }

    /// <summary>The motorised valve of a leak device (its drives are the outputs driveOpen/driveClose); null for other kinds.</summary>
    public MotorisedValve? Valve { get; private set; }

    /// <summary>The lane of a barrier: its arm, loops, photo-eye and vehicles (the drives are driveOpen/driveClose); null for other kinds.</summary>
    public BarrierLane? Lane { get; private set; }

    /// <summary>The device's simulated signals by layout pin name (fitted ones only).</summary>
    public IReadOnlyDictionary<string, SimulatedInput> DigitalInputs => _digitalInputs;

    public IReadOnlyDictionary<string, SimulatedAnalogInput> AnalogInputs => _analogInputs;

    public IReadOnlyDictionary<string, SimulatedOutput> Outputs => _outputs;

    /// <summary>Inputs the simulated hardware drives itself (a valve's limit switches), by pin name.</summary>
    public IReadOnlyDictionary<string, IDigitalInput> ModelledInputs => _modelledInputs;

    /// <summary>A digital input by pin name; null when the kind has none of that name or it is not fitted.</summary>
    public SimulatedInput? Input(string pin) => _digitalInputs.GetValueOrDefault(pin);

    /// <summary>A digital output by pin name; null when the kind has none of that name or it is not fitted.</summary>
    public SimulatedOutput? Output(string pin) => _outputs.GetValueOrDefault(pin);

    /// <summary>
    /// Fault switch: the firmware's loop stops (a hang) while its MQTT connection stays up, so it sends nothing and
    /// handles nothing; only the edge's heartbeat allowance can notice.
    /// </summary>
    public bool Hung
    {
        get => _hung;
        set => _hung = value;
    }

    /// <summary>Every simulated signal a device kind can have, by layout pin name; null for a kind the simulator has no model of.</summary>
    public static IReadOnlyDictionary<string, SimulatedPinKind>? PinsOf(string kind) => Pins.GetValueOrDefault(kind);

    /// <summary>
    /// The signals this layout device has in the simulator: its kind's required ones (for its role) and the optional
    /// ones its layout <c>pins</c> wire; null for a kind the simulator has no model of.
    /// </summary>
    public static IReadOnlyDictionary<string, SimulatedPinKind>? PinsOf(DeviceDefinition definition) =>
        Signals.TryGetValue(definition.Kind, out PinSpec[]? specs)
            ? specs.Where(p => p.IsFitted(definition)).ToDictionary(p => p.Name, p => p.Kind, StringComparer.Ordinal)
            : null;

    public static VirtualDevice Create(DeviceDefinition definition, string host, int port, TimeProvider time, TimeSpan tick)
    {
        if (!Signals.TryGetValue(definition.Kind, out PinSpec[]? specs))
        {
            throw new NotSupportedException($"the simulator has no virtual '{definition.Kind}' yet");
        }

        var device = new VirtualDevice(definition, host, port, time, tick);
        device.FitHardware(specs.Where(p => p.IsFitted(definition)));
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
        await RestorePowerIfDueAsync();
        if (_hung || PoweredOff || _transport.IsConnected || _transport.IsNetworkCut || _time.GetUtcNow() < _nextConnectAt)
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
        if (_hung || PoweredOff)
        {
            return 0;
        }

        long now = _clock.UptimeMs;
        ApplyMessageLoss();
        int delivered = _transport.DeliverInbox(now, received);
        FeedCardReader(now);
        FeedPulseInputs(now);
        _firmware.Step(now);
        Lane?.CheckAfterStep();
        return delivered;
    }

    /// <summary>Manual mode: hands received messages to the firmware without stepping it (nothing when hung).</summary>
    public int DeliverInbox(Action<string, byte[]>? received = null)
    {
        if (_hung || PoweredOff)
        {
            return 0;
        }

        ApplyMessageLoss();
        int delivered = _transport.DeliverInbox(_clock.UptimeMs, received);
        if (delivered > 0)
        {
            Lane?.CheckAfterStep();
        }

        return delivered;
    }

    /// <summary>Manual mode: sends what the firmware queued; see <see cref="MqttDeviceTransport.FlushAsync"/>.</summary>
    public Task<int> FlushAsync(Action<SentMessage>? sent, CancellationToken cancel) => _transport.FlushAsync(sent, cancel);

    /// <summary>Fault switch: the monotonic clock jumps by <paramref name="ms"/> (negative = backwards) until the next reboot.</summary>
    public void SkewClock(long ms) => _clock.Skew(ms);

    /// <summary>
    /// Power cycle: the connection drops without a DISCONNECT (the broker publishes the Last Will), RAM is lost (the
    /// inbox and outbox with it), and new firmware boots from the same store, so the boot counter grows. The output
    /// pins are unpowered meanwhile (a door released, a sounder silent, a valve motor stopped where the ball is); the
    /// firmware's first writes decide from there. The device then reconnects in its mode.
    /// </summary>
    public async Task RebootAsync()
    {
        await StopLoopAsync();
        MqttDeviceTransport old = _transport;
        bool cableStillPulled = old.IsNetworkCut;
        await old.CutNetworkAsync();
        await old.DisposeAsync();
        foreach (SimulatedOutput output in _outputs.Values)
        {
            output.Write(false);
        }

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

    private void FitHardware(IEnumerable<PinSpec> pins)
    {
        foreach (PinSpec pin in pins)
        {
            switch (pin.Kind)
            {
                case SimulatedPinKind.DigitalInput when Definition.Kind != DeviceKinds.Barrier:
                    _digitalInputs[pin.Name] = new SimulatedInput(pin.InitiallyActive);
                    break;
                case SimulatedPinKind.AnalogInput:
                    _analogInputs[pin.Name] = new SimulatedAnalogInput(CleanAirLevel);
                    break;
                case SimulatedPinKind.DigitalOutput when Definition.Kind is not (DeviceKinds.Leak or DeviceKinds.Barrier):
                    _outputs[pin.Name] = new SimulatedOutput();
                    break;
            }
        }

        if (HasWiegandReader(Definition))
        {
            CardReader = new SimulatedWiegandReader(_time);
        }

        if (Definition.Kind == DeviceKinds.Leak)
        {
            // The valve's drives and limit switches are one physical model (hardware-docs/leak-valve.md).
            var travel = TimeSpan.FromMilliseconds(Math.Max(1, Definition.Parameter("valveTravelMs", DefaultValveTravelMs)));
            Valve = new MotorisedValve(_time, travel);
            _outputs["driveOpen"] = Valve.DriveOpen;
            _outputs["driveClose"] = Valve.DriveClose;
            _modelledInputs["openSwitch"] = Valve.OpenSwitch;
            _modelledInputs["closedSwitch"] = Valve.ClosedSwitch;
        }

        if (Definition.Kind == DeviceKinds.Meter)
        {
            FitPulseTrains();
        }

        if (Definition.Kind == DeviceKinds.Barrier)
        {
            // The arm starts down, as a car park is left at night (parking-barrier.md: the firmware never closes at boot).
            long travel = Math.Max(1, Definition.Parameter("armTravelMs", DefaultArmTravelMs));
            Lane = new BarrierLane(_time, travel);
            _outputs["driveOpen"] = Lane.DriveOpen;
            _outputs["driveClose"] = Lane.DriveClose;
            _digitalInputs["sensorOk"] = Lane.SensorOk;
            _digitalInputs["openInput"] = Lane.OpenInput;
            _digitalInputs["closeButton"] = Lane.CloseButton;
            _modelledInputs["openLimit"] = Lane.OpenLimit;
            _modelledInputs["closedLimit"] = Lane.ClosedLimit;
            _modelledInputs["armingLoop"] = Lane.ArmingLoop;
            _modelledInputs["presenceLoop"] = Lane.PresenceLoop;
            _modelledInputs["closingLoop"] = Lane.ClosingLoop;
            _modelledInputs["safety"] = Lane.Safety;
            if (CardReader is { } reader)
            {
                Lane.PresentCard = card => SendCard(reader, card);
            }
        }
    }

    // A boot: count it in the store, start the clock at zero, build the firmware on the (surviving) hardware.
    private void PowerOn()
    {
        long boot = BootCounter.Advance(Store);
        var clock = new DeviceClock(new TimeProviderClock(_time));
        var identity = new DeviceIdentity(Definition.Site, Definition.Building, Definition.Kind, Definition.Id, FirmwareVersion);
        var transport = new ForwardingTransport();
        IFirmwareDevice firmware = Definition.Kind switch
        {
            DeviceKinds.Door => new DoorController(
                identity,
                FirmwareSettings.Door(Definition),
                DoorOutput!,
                FireInput!,
                DoorClosed!,
                Input("rex")!,
                ReaderFor(clock)!,
                Store,
                clock,
                transport,
                boot),
            DeviceKinds.Smoke => new SmokeDetector(
                identity,
                FirmwareSettings.SmokeDetector(Definition),
                SmokeHead!,
                Output("sounder")!,
                Input("hush")!,
                Input("test")!,
                Input("lowBattery")!,
                clock,
                transport,
                boot),
            DeviceKinds.ManualCallPoint => new ManualCallPoint(
                identity, FirmwareSettings.ManualCallPoint(Definition), Input("glass")!, Input("lineFault")!, clock, transport, boot),
            DeviceKinds.EmergencyCallPoint => new EmergencyCallPoint(
                identity,
                FirmwareSettings.EmergencyCallPoint(Definition),
                Input("call")!,
                Input("cancel")!,
                Input("motion")!,
                Output("received")!,
                Output("handled")!,
                Output("sounder")!,
                clock,
                transport,
                boot),
            DeviceKinds.Leak => new LeakValveController(
                identity,
                FirmwareSettings.LeakValve(Definition),
                Input("probe")!,
                Valve!.DriveOpen,
                Valve.DriveClose,
                Valve.OpenSwitch,
                Valve.ClosedSwitch,
                Input("resetButton")!,
                clock,
                transport,
                boot),
            DeviceKinds.Barrier => new BarrierController(
                identity,
                FirmwareSettings.Barrier(Definition),
                Lane!.OpenLimit,
                Lane.ClosedLimit,
                Lane.ArmingLoop,
                Lane.PresenceLoop,
                Lane.ClosingLoop,
                Lane.Safety,
                Lane.SensorOk,
                Lane.OpenInput,
                Lane.CloseButton,
                ReaderFor(clock)!,
                Lane.DriveOpen,
                Lane.DriveClose,
                clock,
                transport,
                boot),
            DeviceKinds.Meter => new PulseMeter(
                identity, FirmwareSettings.PulseMeter(Definition), Input(TamperPin)!, Input(PowerFailPin)!, Store, clock, transport, boot),
            _ => throw new NotSupportedException($"the simulator has no firmware for '{Definition.Kind}' yet"),
        };

        if (_commandKey is not null)
        {
            firmware.Commands.Keys.Configure(_commandKeyId, _commandKey, 0, Store);
        }

        _transport = transport.Attach(new MqttDeviceTransport(_host, _port, firmware) { Password = _mqttPassword });
        _firmware = firmware;
        _clock = clock;
        Boot = boot;
    }

    /// <summary>A door or a barrier with both Wiegand data lines in its layout pins has a reader.</summary>
    public static bool HasWiegandReader(DeviceDefinition definition) =>
        definition.Kind is DeviceKinds.Door or DeviceKinds.Barrier && definition.Pins.ContainsKey(WiegandD0Pin) && definition.Pins.ContainsKey(WiegandD1Pin);

    // A driver's card at the lane's reader: 26-bit H10301 when the credential fits 24 bits, else 34-bit H10306.
    private static void SendCard(SimulatedWiegandReader reader, long credential)
    {
        int facility = (int)(credential >> 16);
        int number = (int)(credential & 0xFFFF);
        if (credential <= 0xFF_FFFF)
        {
            reader.Send(WiegandEncoder.Encode26(facility, number), 26);
        }
        else
        {
            reader.Send(WiegandEncoder.Encode34(facility, number), 34);
        }
    }

    // The controller's reader interface and its collector are in its RAM: each boot gets new ones on the same reader.
    private WiegandCardReader? ReaderFor(IClock clock)
    {
        CardReaderInput = CardReader is null ? null : new WiegandCardReader(new WiegandSettings(), clock);
        return CardReaderInput;
    }

    // What the board's D0/D1 interrupts do between two loop iterations: the pulses that happened go to the collector.
    private void FeedCardReader(long nowMs)
    {
        if (CardReader is { } line && CardReaderInput is { } input)
        {
            line.DeliverTo(input, nowMs);
        }
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
            if (!_hung && !PoweredOff)
            {
                long now = _clock.UptimeMs;
                _transport.DeliverInbox(now);
                FeedCardReader(now);
                FeedPulseInputs(now);
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

    /// <summary>A digital input the simulated hardware drives itself (a valve's limit switches); a scenario cannot set it.</summary>
    ModelledInput,
}

/// <summary>One simulated signal of a device kind: its layout pin name, what it is, and when it is fitted.</summary>
internal sealed record PinSpec(string Name, SimulatedPinKind Kind)
{
    /// <summary>Fitted only when the layout's <c>pins</c> wire it (a battery input, a presence sensor); else always.</summary>
    public bool Optional { get; init; }

    /// <summary>Fitted only on devices of this role (a leak probe on a sensor-valve, not on a valve alone); null = every role.</summary>
    public string? Role { get; init; }

    /// <summary>The level a digital input starts at (a door's position contact: closed).</summary>
    public bool InitiallyActive { get; init; }

    public bool IsFitted(DeviceDefinition device) =>
        (Role is null || device.Role == Role) && (!Optional || device.Pins.ContainsKey(Name));
}
