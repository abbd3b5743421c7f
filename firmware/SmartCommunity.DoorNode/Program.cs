namespace SmartCommunity.DoorNode;

using System;
using System.Device.Gpio;
using System.Diagnostics;
using System.Security.Cryptography.X509Certificates;
using System.Threading;
using nanoFramework.Runtime.Native;
using SmartCommunity.Firmware.Boot;
using SmartCommunity.Firmware.Devices.DoorController;
using SmartCommunity.Firmware.Hal;
using SmartCommunity.Firmware.Messaging;
using SmartCommunity.Protocol;
using SmartCommunity.Protocol.Wiegand;

/// <summary>
/// Boot sequence and main loop of the door controller (hardware-docs/door-controller.md). All door behaviour is in
/// <see cref="DoorController"/>; this file only wires hardware to it and keeps the output released whenever it
/// cannot run it.
/// </summary>
public static class Program
{
    public const string FirmwareVersion = "0.1.0";

    private const int LoopSleepMs = 10;
    private const int ConfigRetryMs = 10000;
    private const int BlinkMs = 250;
    private const int WatchdogTicks = 10;
    private const int RestartDelayMs = 2000;
    private const int CaCertificateMaxBytes = 4096;
    private const string CaCertificateKey = "ca";

    public static void Main()
    {
        // 1. Release before anything else (domain rule R1). The pull-down held the lock off through reset and the
        //    bootloader; from here on the pin is driven low.
        GpioController gpio = new GpioController();
        GpioDigitalOutput referenceLock = GpioDigitalOutput.OpenReleased(gpio, ReferenceBoard.LockPin);
        GpioDigitalOutput led = GpioDigitalOutput.OpenReleased(gpio, ReferenceBoard.LedPin);
        Debug.WriteLine("door node " + FirmwareVersion + ": output released");

        UptimeClock clock = new UptimeClock();
        Node node;
        try
        {
            node = Build(gpio, referenceLock, led, clock);
        }
        catch (Exception ex)
        {
            // A pin map naming a pin that cannot be opened, a broken flash: nothing was energised, keep it so.
            referenceLock.Write(false);
            Debug.WriteLine("setup: " + ex.Message + "; output released, restarting");
            Thread.Sleep(ConfigRetryMs);
            Power.RebootDevice();
            return;
        }

        DoorController door = node.Door;
        M2MqttTransport transport = node.Transport;
        GpioDigitalOutput lockOutput = node.LockOutput;
        SoftwareWatchdog watchdog = new SoftwareWatchdog(lockOutput, WatchdogTicks);
        watchdog.Start();

        // 5. Main loop: the device's clock step, then every waiting message, all on this thread. Nothing here
        //    allocates except what M2Mqtt needs inside Publish.
        byte[] inbound = new byte[MessageLimits.MaxDownlinkBytes];
        while (true)
        {
            try
            {
                door.Step(clock.UptimeMs);

                string topic;
                int length;
                while ((length = transport.TryTake(inbound, out topic)) >= 0)
                {
                    door.HandleMessage(topic, inbound, length, clock.UptimeMs);
                }

                led.Write(transport.IsConnected);
            }
            catch (Exception ex)
            {
                // The device logic does not throw on bad input, so this is a defect. Its idea of the output may now
                // differ from the pin: release, and start clean (it comes back released, as after any reset).
                lockOutput.Write(false);
                Debug.WriteLine("loop: " + ex.Message + "; output released, restarting");
                Thread.Sleep(RestartDelayMs);
                Power.RebootDevice();
            }

            watchdog.Feed();
            Thread.Sleep(LoopSleepMs);
        }
    }

    private static Node Build(GpioController gpio, GpioDigitalOutput referenceLock, IDigitalOutput led, IClock clock)
    {
        // 2. Store, boot count and configuration. Until a valid bundle is read the output stays released.
        FlashStore store = new FlashStore(FlashStore.InternalDrive);
        long boot = AdvanceBootCounter(store);
        DeviceConfig config = ReadConfigUntilValid(store, referenceLock, led);

        // 3. Hardware from the pin map. A lock pin other than the reference one is driven low the moment it
        //    opens; the reference pin then simply stays low too.
        int lockPin = config.Pin("lock");
        Node node = new Node();
        node.LockOutput = lockPin == ReferenceBoard.LockPin ? referenceLock : GpioDigitalOutput.OpenReleased(gpio, lockPin);
        try
        {
            IDigitalInput fireInput = new GpioDigitalInput(
                gpio, config.Pin("fire"), PinMode.Input, config.Parameter("fireActiveLow", 0) != 0);
            int doorClosedPin = config.Pin("doorClosed");
            IDigitalInput doorClosed = doorClosedPin < 0
                ? null
                : new GpioDigitalInput(gpio, doorClosedPin, PinMode.Input, config.Parameter("doorClosedActiveLow", 1) != 0);

            int rexPin = config.Pin("rex");
            IDigitalInput rex = rexPin < 0
                ? null
                : new GpioDigitalInput(gpio, rexPin, PinMode.Input, config.Parameter("rexActiveLow", 1) != 0);

            // 4. The device and its session. The transport starts once the device exists, because the device names
            //    the topics to subscribe.
            DoorSettings settings = DoorSettings.Read(config.Role, config);
            WiegandCardReader reader = OpenWiegandReader(gpio, config, clock);

            DeviceIdentity identity = new DeviceIdentity(
                config.Site, config.Building, config.Kind, config.DeviceId, FirmwareVersion);
            node.Transport = new M2MqttTransport(config, identity, ReadCaCertificate(store, config));
            node.Door = new DoorController(
                identity, settings, node.LockOutput, fireInput, doorClosed, rex, reader, store, clock, node.Transport, boot);

            // With a command key in the bundle every command must be signed (hardware-docs/protocol.md §4.5).
            config.ConfigureCommandKeys(node.Door.Commands.Keys, store);
            node.Transport.Start(node.Door.Subscriptions);
            return node;
        }
        catch (Exception)
        {
            node.LockOutput.Write(false);
            throw;
        }
    }

    // A Wiegand reader on pins wiegandD0 and wiegandD1 (hardware-docs/wiegand.md), or none. The lines idle high and pulse low for
    // 20-100 us: each falling edge is one bit, stamped in the interrupt with the same clock the loop uses.
    private static WiegandCardReader OpenWiegandReader(GpioController gpio, DeviceConfig config, IClock clock)
    {
        int d0 = config.Pin("wiegandD0");
        int d1 = config.Pin("wiegandD1");
        if (d0 < 0 || d1 < 0)
        {
            return null;
        }

        WiegandCardReader reader = new WiegandCardReader(new WiegandSettings(), clock);
        GpioPin zero = gpio.OpenPin(d0, PinMode.Input);
        GpioPin one = gpio.OpenPin(d1, PinMode.Input);
        zero.ValueChanged += (sender, e) =>
        {
            if (e.ChangeType == PinEventTypes.Falling)
            {
                reader.Bit(0, clock.UptimeMs);
            }
        };
        one.ValueChanged += (sender, e) =>
        {
            if (e.ChangeType == PinEventTypes.Falling)
            {
                reader.Bit(1, clock.UptimeMs);
            }
        };
        return reader;
    }

    private static long AdvanceBootCounter(INonVolatileStore store)
    {
        try
        {
            return BootCounter.Advance(store);
        }
        catch (Exception ex)
        {
            // Boot 0 tells the edge the count is unknown; commands then carry no boot-scoped expiry (protocol.md §4).
            Debug.WriteLine("boot counter: " + ex.Message);
            return 0;
        }
    }

    /// <summary>
    /// Reads and checks the bundle (hardware-docs/protocol.md §7) until it is usable, blinking the LED and keeping
    /// the output released meanwhile. A device without a valid bundle never locks.
    /// </summary>
    private static DeviceConfig ReadConfigUntilValid(INonVolatileStore store, IDigitalOutput lockOutput, IDigitalOutput led)
    {
        byte[] buffer = new byte[DeviceConfig.MaxBytes];
        while (true)
        {
            lockOutput.Write(false);
            string error = null;
            DeviceConfig config = null;
            try
            {
                int length = store.Read(DeviceConfig.StoreKey, buffer);
                config = length < 0
                    ? null
                    : DeviceConfig.Parse(buffer, length, out error);
                if (length < 0)
                {
                    error = "config: no bundle at I:\\" + DeviceConfig.StoreKey + " (or larger than " + DeviceConfig.MaxBytes.ToString() + " bytes)";
                }
                else if (config != null)
                {
                    error = CheckForThisApp(config);
                }
            }
            catch (Exception ex)
            {
                error = "config: " + ex.Message;
            }

            if (error == null)
            {
                return config;
            }

            Debug.WriteLine(error + "; output stays released, retrying");
            for (int elapsed = 0; elapsed < ConfigRetryMs; elapsed += BlinkMs)
            {
                led.Write((elapsed / BlinkMs) % 2 == 0);
                Thread.Sleep(BlinkMs);
            }
        }
    }

    // What DeviceConfig.Parse does not know: this app drives a door, and needs its output and fire input mapped.
    private static string CheckForThisApp(DeviceConfig config)
    {
        if (config.Kind != DoorController.Kind)
        {
            return "config: kind is \"" + config.Kind + "\", this firmware is for \"" + DoorController.Kind + "\"";
        }

        if (config.Role != DoorController.RoleEgressLock && config.Role != DoorController.RoleHoldOpen && config.Role != DoorController.RoleEntryLock)
        {
            return "config: role must be \"" + DoorController.RoleEgressLock + "\", \"" + DoorController.RoleHoldOpen + "\" or \"" + DoorController.RoleEntryLock + "\"";
        }

        if (config.Pin("lock") < 0 || config.Pin("fire") < 0)
        {
            return "config: pins.lock and pins.fire are required";
        }

        // A zero heartbeat would publish on every loop step; absurd values are configuration mistakes.
        if (!InRange(config.Parameter("fireInputClearMs", 1000), 0, 600000)
            || !InRange(config.Parameter("doorContactDebounceMs", 50), 0, 10000)
            || !InRange(config.Parameter("heartbeatMs", 30000), 1000, 3600000))
        {
            return "config: params out of range (fireInputClearMs 0-600000, doorContactDebounceMs 0-10000, heartbeatMs 1000-3600000)";
        }

        return null;
    }

    private static bool InRange(long value, long min, long max)
    {
        return value >= min && value <= max;
    }

    private static X509Certificate ReadCaCertificate(INonVolatileStore store, DeviceConfig config)
    {
        if (!config.MqttTls)
        {
            return null;
        }

        try
        {
            byte[] buffer = new byte[CaCertificateMaxBytes];
            int length = store.Read(CaCertificateKey, buffer);
            if (length <= 0)
            {
                return null;
            }

            byte[] pem = new byte[length];
            Array.Copy(buffer, pem, length);
            return new X509Certificate(pem);
        }
        catch (Exception ex)
        {
            Debug.WriteLine("tls: CA certificate at I:\\" + CaCertificateKey + " unreadable: " + ex.Message);
            return null;
        }
    }
}

/// <summary>What <see cref="Program"/> builds at boot and then drives from its loop.</summary>
internal sealed class Node
{
    public GpioDigitalOutput LockOutput;
    public M2MqttTransport Transport;
    public DoorController Door;
}
