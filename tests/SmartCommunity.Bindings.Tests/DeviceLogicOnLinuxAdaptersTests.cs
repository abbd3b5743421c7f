namespace SmartCommunity.Bindings.Tests;

using System.Device.Gpio;
using System.Text;
using Iot.Device.Ads1115;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using SmartCommunity.Bindings.Linux;
using SmartCommunity.Bindings.Tests.Fakes;
using SmartCommunity.Firmware.Devices.DoorController;
using SmartCommunity.Firmware.Devices.SmokeDetector;
using SmartCommunity.Firmware.Messaging;

/// <summary>
/// The firmware's device logic, unchanged, on the Linux adapters over fake hardware: what a Raspberry Pi used as a
/// controller runs.
/// </summary>
[TestClass]
public sealed class DeviceLogicOnLinuxAdaptersTests
{
    private const long NanosecondsPerMs = 1_000_000;

    [TestMethod]
    public void DoorController_OnGpioAdapters_EnergisesWhenClearAndReleasesOnFireLine()
    {
        var driver = new RecordingGpioDriver();
        using var gpio = new GpioController(driver);
        var time = new SteppedTimeProvider(1_000_000_000);
        var clock = new MonotonicClock(time);
        using var lockDrive = new GpioDigitalOutput(gpio, 23);
        using var fire = new GpioDigitalInput(gpio, 24);
        using var closed = new GpioDigitalInput(gpio, 25, new GpioDigitalInputSettings { ActiveLow = true, ActiveOnReadError = false });
        var identity = new DeviceIdentity("riverside", "b1", DoorController.Kind, "b1-lobby-entrance", "pi-test");
        var door = new DoorController(identity, new DoorSettings(), lockDrive, fire, closed, clock, new NullTransport(), 1);
        Assert.AreEqual(PinValue.Low, driver.Level(23), "starts released");

        byte[] clear = Encoding.UTF8.GetBytes("{\"v\":1,\"state\":\"clear\"}");
        door.HandleMessage(identity.FireStateTopic, clear, clear.Length, clock.UptimeMs);
        door.Step(clock.UptimeMs);
        Assert.AreEqual(PinValue.High, driver.Level(23), "no release reason left: energised");

        driver.SetInputLevel(24, PinValue.High);
        time.Timestamp += 10 * NanosecondsPerMs;
        door.Step(clock.UptimeMs);
        Assert.AreEqual(PinValue.Low, driver.Level(23), "the fire line releases on the same step");
    }

    [TestMethod]
    public void SmokeDetector_OnAds1115_AlarmAfterConfirmationAndFaultWhenConverterDies()
    {
        var chip = new Ads1115RegisterFile();
        chip.SetInput(1, 0.48);
        using var adc = new Ads1115(chip);
        var head = new Ads1115AnalogInput(adc, new Ads1115AnalogInputSettings { Channel = InputMultiplexer.AIN1 });
        var time = new SteppedTimeProvider(1_000_000_000);
        var clock = new MonotonicClock(time);
        var identity = new DeviceIdentity("riverside", "b1", "smoke", "b1-lobby-smoke", "pi-test");
        var smoke = new SmokeDetector(identity, new SmokeDetectorSettings(), head, clock, new NullTransport(), 1);

        Run(smoke, time, clock, 500);
        Assert.AreEqual(SmokeState.Normal, smoke.State);
        Assert.AreEqual(149, smoke.Level);

        chip.SetInput(1, 2.0);
        Run(smoke, time, clock, 200);
        Assert.AreEqual(SmokeState.PreAlarm, smoke.State);
        Run(smoke, time, clock, 3_000);
        Assert.AreEqual(SmokeState.Alarm, smoke.State);

        chip.SetInput(1, 0.48);
        Run(smoke, time, clock, 11_000);
        Assert.AreEqual(SmokeState.Normal, smoke.State);

        chip.Unplugged = true;
        Run(smoke, time, clock, 2_500);
        Assert.AreEqual(SmokeState.Fault, smoke.State, "a dead converter reads 0: open circuit, never clean air");

        // Ads1115.Dispose writes the config register (it resets the comparator), so it throws on a dead bus.
        chip.Unplugged = false;
    }

    // Steps the device every 10 ms of fake time, as a controller's loop would.
    private static void Run(SmokeDetector smoke, SteppedTimeProvider time, MonotonicClock clock, long ms)
    {
        for (long t = 0; t < ms; t += 10)
        {
            time.Timestamp += 10 * NanosecondsPerMs;
            smoke.Step(clock.UptimeMs);
        }
    }
}
