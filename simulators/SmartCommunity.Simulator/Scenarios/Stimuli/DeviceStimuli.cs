namespace SmartCommunity.Simulator.Scenarios.Stimuli;

using System;
using System.Globalization;
using System.Linq;
using System.Text;
using SmartCommunity.Edge.Layout;
using SmartCommunity.Protocol;
using SmartCommunity.Simulation.Devices;

/// <summary>
/// Stimuli every virtual device takes, whatever its kind: its pins, its power, its network link, its loop and its
/// clock, and raw bytes on its MQTT connection (the faults of issue 4).
/// </summary>
public static class DeviceStimuli
{
    public const int MaxRawBytes = 1024 * 1024;

    /// <summary>How long a press holds a button: a person's press, well past any contact debounce.</summary>
    public static readonly TimeSpan DefaultHold = TimeSpan.FromMilliseconds(500);

    public static void AddTo(StimulusRegistry registry)
    {
        registry.Add(new Stimulus("pin", "pin: { device, pin, active: true|false } sets a digital input of the device and holds it (a door's fire or doorClosed, a switch)", BindPin));
        registry.Add(new Stimulus("press",
            $"press: {{ device, button, hold?: {ScenarioTime.Format(DefaultHold)} }} presses a push button (a digital input: hush, test, call, cancel, resetButton) and lets go after hold",
            BindPress));
        registry.Add(new Stimulus("sensor", "sensor: { device, pin?, value } sets an analog input (a smoke head's level); pin may be left out when the device has one", BindSensor));
        registry.Add(new Stimulus("reboot", "reboot: { device } power-cycles the device: Last Will, new firmware, same store (the boot count grows)", a =>
        {
            a.AllowOnly("device");
            DeviceDefinition device = a.Device("device");
            return new ScenarioAction($"reboot {device.Id}", (world, _, cancel) => world.RebootAsync(device.Id, cancel), plan => plan.Reboot(device.Id));
        }));
        registry.Add(new Stimulus("cut-network", "cut-network: { device } pulls the device's network cable: no DISCONNECT, so the broker publishes its Last Will", a =>
        {
            a.AllowOnly("device");
            DeviceDefinition device = a.Device("device");
            return new ScenarioAction($"cut the network of {device.Id}", (world, _, cancel) => world.CutNetworkAsync(device.Id, cancel), plan => plan.Cut(device.Id));
        }));
        registry.Add(new Stimulus("restore-network", "restore-network: { device } plugs the cable back in; the device reconnects", a =>
        {
            a.AllowOnly("device");
            DeviceDefinition device = a.Device("device");
            return ScenarioAction.Set($"restore the network of {device.Id}", world => world.Device(device.Id).Transport.RestoreNetwork(), plan => plan.Restore(device.Id));
        }));
        registry.Add(new Stimulus("hang", "hang: { device } stops the device's loop (a firmware hang); its connection stays up, it sends nothing", a =>
        {
            a.AllowOnly("device");
            DeviceDefinition device = a.Device("device");
            return ScenarioAction.Set($"hang {device.Id}", world => world.Device(device.Id).Hung = true, plan => plan.Hang(device.Id));
        }));
        registry.Add(new Stimulus("resume", "resume: { device } ends a hang; the loop carries on where it stopped", a =>
        {
            a.AllowOnly("device");
            DeviceDefinition device = a.Device("device");
            return ScenarioAction.Set($"resume {device.Id}", world => world.Device(device.Id).Hung = false, plan => plan.Resume(device.Id));
        }));
        registry.Add(new Stimulus("skew-clock", "skew-clock: { device, by: 45s } makes the device's monotonic clock jump (by: -5s jumps back) until its next reboot", a =>
        {
            a.AllowOnly("device", "by");
            DeviceDefinition device = a.Device("device");
            TimeSpan by = a.Duration("by", allowNegative: true);
            return ScenarioAction.Set($"skew the clock of {device.Id} by {ScenarioTime.Format(by)}", world => world.Device(device.Id).SkewClock((long)by.TotalMilliseconds));
        }));
        registry.Add(new Stimulus("publish-raw",
            "publish-raw: { device, channel?: event, topic?, payload? | size?, qos?: 1 } publishes bytes the firmware never built on the device's own connection (corrupt, oversized, foreign topic)",
            BindRaw));
    }

    private static IScenarioAction BindPin(ScenarioArguments a)
    {
        a.AllowOnly("device", "pin", "active");
        DeviceDefinition device = a.Device("device", HasPin(SimulatedPinKind.DigitalInput));
        string pin = a.Pin("pin", device, SimulatedPinKind.DigitalInput);
        bool active = a.Boolean("active");
        return ScenarioAction.Set($"{pin} of {device.Id} {(active ? "active" : "inactive")}", world => world.Device(device.Id).DigitalInputs[pin].Active = active);
    }

    private static IScenarioAction BindPress(ScenarioArguments a)
    {
        a.AllowOnly("device", "button", "hold");
        DeviceDefinition device = a.Device("device", HasPin(SimulatedPinKind.DigitalInput));
        string button = a.Pin("button", device, SimulatedPinKind.DigitalInput);
        TimeSpan hold = a.OptionalDuration("hold") ?? DefaultHold;
        if (hold <= TimeSpan.Zero)
        {
            throw a.Error("hold", "a press of no time presses nothing; give e.g. hold: 500ms");
        }

        return Press($"press {button} of {device.Id} for {ScenarioTime.Format(hold)}", device.Id, button, hold);
    }

    /// <summary>Presses an input of the device for <paramref name="hold"/> of virtual time; it lets go by itself.</summary>
    internal static ScenarioAction Press(string description, string device, string pin, TimeSpan hold) =>
        ScenarioAction.Set(description, world => world.Device(device).DigitalInputs[pin].Press(world.Time, hold));

    private static IScenarioAction BindSensor(ScenarioArguments a)
    {
        a.AllowOnly("device", "pin", "value");
        DeviceDefinition device = a.Device("device", HasPin(SimulatedPinKind.AnalogInput));
        string pin;
        if (a.Has("pin"))
        {
            pin = a.Pin("pin", device, SimulatedPinKind.AnalogInput);
        }
        else
        {
            string[] analog = VirtualDevice.PinsOf(device)!.Where(p => p.Value == SimulatedPinKind.AnalogInput).Select(p => p.Key).ToArray();
            pin = analog.Length == 1 ? analog[0] : throw a.Error($"{device.Id} has several analog inputs ({string.Join(", ", analog)}); name one with pin:");
        }

        int value = (int)a.Integer("value", 0, 65535);
        return ScenarioAction.Set($"{pin} of {device.Id} reads {value}", world => world.Device(device.Id).AnalogInputs[pin].Value = value);
    }

    private static IScenarioAction BindRaw(ScenarioArguments a)
    {
        a.AllowOnly("device", "channel", "topic", "payload", "size", "qos");
        DeviceDefinition device = a.Device("device");
        if (a.Has("channel") && a.Has("topic"))
        {
            throw a.Error("topic", "give channel (one of the device's own topics) or topic (any topic), not both");
        }

        string topic = a.OptionalText("topic")
            ?? Topics.Device(device.Site, device.Building, device.Kind, device.Id, a.OptionalOneOf("channel", Channel.Telemetry, Channel.Event, Channel.State, Channel.Status, Channel.Ack) ?? Channel.Event);
        if (topic.Length == 0 || topic.IndexOfAny(['+', '#']) >= 0)
        {
            throw a.Error("topic", $"'{topic}' cannot be published to (empty, or a wildcard)");
        }

        if (a.Has("payload") == a.Has("size"))
        {
            throw a.Error("give exactly one of payload (the text to send) or size (a padded JSON message of that many bytes)");
        }

        byte[] payload = a.Has("payload")
            ? Encoding.UTF8.GetBytes(a.Text("payload"))
            : Padded(device.Id, (int)a.Integer("size", 1, MaxRawBytes));
        int qos = (int)(a.OptionalInteger("qos", 0, 1) ?? 1);
        string what = a.Has("size") ? $"{payload.Length} bytes" : $"'{Shorten(Encoding.UTF8.GetString(payload))}'";
        return new ScenarioAction($"{device.Id} publishes {what} on {topic} (raw, QoS {qos})", async (world, context, cancel) =>
        {
            if (!await world.PublishRawAsync(device.Id, topic, payload, qos, cancel))
            {
                context.Check($"{device.Id} publishes raw bytes on {topic}", false, $"{device.Id} is not connected to the edge, so nothing was sent");
            }
        });
    }

    // A message that looks like the device's own (v, dev, seq, boot, up) padded to exactly `size` bytes.
    private static byte[] Padded(string device, int size)
    {
        string head = $"{{\"v\":1,\"dev\":\"{device}\",\"seq\":1,\"boot\":1,\"up\":0,\"pad\":\"";
        const string tail = "\"}";
        int padding = size - head.Length - tail.Length;
        return Encoding.UTF8.GetBytes(padding < 0 ? new string('x', size) : head + new string('x', padding) + tail);
    }

    private static string Shorten(string text) => text.Length <= 40 ? text : string.Create(CultureInfo.InvariantCulture, $"{text[..37]}...");

    internal static Func<DeviceDefinition, string?> HasPin(SimulatedPinKind kind) =>
        d => VirtualDevice.PinsOf(d)!.Values.Contains(kind) ? null : $"has no {ScenarioArguments.Describe(kind)}";
}
