namespace SmartCommunity.Simulation.Devices;

using System;
using System.Threading;
using System.Threading.Tasks;
using SmartCommunity.Edge.Layout;
using SmartCommunity.Firmware.Boot;
using SmartCommunity.Firmware.Devices.DoorController;
using SmartCommunity.Firmware.Devices.SmokeDetector;
using SmartCommunity.Firmware.Messaging;
using SmartCommunity.Simulation.Hardware;

/// <summary>
/// One device of the layout, running the real firmware logic on simulated pins and a real MQTT connection,
/// stepped by its own loop as the microcontroller's main loop would step it.
/// </summary>
public sealed class VirtualDevice : IAsyncDisposable
{
    public const string FirmwareVersion = "sim-0.1.0";

    /// <summary>Smoke head level in clean air; the demo layout's alarm threshold is 600.</summary>
    public const int CleanAirLevel = 100;

    private readonly TimeSpan _tick;
    private readonly CancellationTokenSource _stop = new();
    private Task? _loop;

    private VirtualDevice(DeviceDefinition definition, IFirmwareDevice firmware, MqttDeviceTransport transport, TimeProviderClock clock, TimeSpan tick)
    {
        Definition = definition;
        Firmware = firmware;
        Transport = transport;
        Clock = clock;
        _tick = tick;
    }

    public DeviceDefinition Definition { get; }

    public IFirmwareDevice Firmware { get; }

    public MqttDeviceTransport Transport { get; }

    public TimeProviderClock Clock { get; }

    public MemoryStore Store { get; } = new();

    /// <summary>Door output; null for devices without one. Energised = locked (egress) or held open (hold-open).</summary>
    public SimulatedOutput? DoorOutput { get; private init; }

    public SimulatedInput? FireInput { get; private init; }

    public SimulatedInput? DoorClosed { get; private init; }

    public SimulatedAnalogInput? SmokeHead { get; private init; }

    public static VirtualDevice Create(DeviceDefinition definition, string host, int port, TimeProvider time, TimeSpan tick)
    {
        var clock = new TimeProviderClock(time);
        var store = new MemoryStore();
        long boot = BootCounter.Advance(store);
        var identity = new DeviceIdentity(definition.Site, definition.Building, definition.Kind, definition.Id, FirmwareVersion);
        var transport = new ForwardingTransport();
        switch (definition.Kind)
        {
            case DeviceKinds.Door:
            {
                var output = new SimulatedOutput();
                var fire = new SimulatedInput();
                var closed = new SimulatedInput(active: true);
                var settings = new DoorSettings
                {
                    Role = definition.Role == DeviceKinds.RoleHoldOpen ? DoorRole.HoldOpen : DoorRole.EgressLock,
                    FireInputClearMs = definition.Parameter("fireInputClearMs", 1000),
                    DoorContactDebounceMs = definition.Parameter("doorContactDebounceMs", 50),
                    HeartbeatMs = definition.Parameter("heartbeatMs", 30000),
                };
                var door = new DoorController(identity, settings, output, fire, closed, clock, transport, boot);
                var mqtt = transport.Attach(new MqttDeviceTransport(host, port, door));
                return new VirtualDevice(definition, door, mqtt, clock, tick) { DoorOutput = output, FireInput = fire, DoorClosed = closed };
            }

            case DeviceKinds.Smoke:
            {
                var head = new SimulatedAnalogInput(CleanAirLevel);
                var defaults = new SmokeDetectorSettings();
                var settings = new SmokeDetectorSettings
                {
                    AlarmThreshold = (int)definition.Parameter("alarmThreshold", defaults.AlarmThreshold),
                    ConfirmationMs = definition.Parameter("confirmationMs", defaults.ConfirmationMs),
                    RestoreMs = definition.Parameter("restoreMs", defaults.RestoreMs),
                    HeartbeatMs = definition.Parameter("heartbeatMs", defaults.HeartbeatMs),
                    TelemetryMs = definition.Parameter("telemetryMs", defaults.TelemetryMs),
                };
                var smoke = new SmokeDetector(identity, settings, head, clock, transport, boot);
                var mqtt = transport.Attach(new MqttDeviceTransport(host, port, smoke));
                return new VirtualDevice(definition, smoke, mqtt, clock, tick) { SmokeHead = head };
            }

            default:
                throw new NotSupportedException($"the simulator has no virtual '{definition.Kind}' yet");
        }
    }

    public void Start()
    {
        Transport.Start();
        _loop = Task.Run(() => RunAsync(_stop.Token));
    }

    public async ValueTask DisposeAsync()
    {
        _stop.Cancel();
        if (_loop is not null)
        {
            await _loop;
        }

        await Transport.DisposeAsync();
        _stop.Dispose();
    }

    private async Task RunAsync(CancellationToken cancel)
    {
        while (!cancel.IsCancellationRequested)
        {
            long now = Clock.UptimeMs;
            Transport.DeliverInbox(now);
            Firmware.Step(now);
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

    /// <summary>
    /// The firmware needs its transport at construction and the MQTT transport needs the firmware (for its
    /// topics); this forwards until the real one is attached.
    /// </summary>
    private sealed class ForwardingTransport : Firmware.Hal.IMessageTransport
    {
        private MqttDeviceTransport? _inner;

        public bool IsConnected => _inner?.IsConnected ?? false;

        public int Sessions => _inner?.Sessions ?? 0;

        public MqttDeviceTransport Attach(MqttDeviceTransport inner) => _inner = inner;

        public bool Publish(string topic, byte[] payload, int length, int qos, bool retain) =>
            _inner?.Publish(topic, payload, length, qos, retain) ?? false;
    }
}
