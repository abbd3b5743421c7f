namespace SmartCommunity.Simulator.Hil;

using System;
using System.Device.Gpio;
using System.Device.Gpio.Drivers;
using System.IO;
using System.Linq;

/// <summary>
/// Opens one GPIO chip of the bench board as a <see cref="GpioController"/> over the libgpiod driver, or says clearly
/// why it cannot: no GPIO character devices, no such chip, libgpiod missing, no permission.
/// </summary>
/// <remarks>
/// The driver is <see cref="LibGpiodDriver"/> (the libgpiod v1 API: libgpiod.so.2, Debian 12 / Raspberry Pi OS
/// Bookworm), or <see cref="LibGpiodV2Driver"/> (libgpiod.so.3, Debian 13) when only v2 is installed. v1 comes first
/// because it requests an output line together with its first level (see the bindings README).
/// Tests give a directory of their own and a factory returning a fake driver.
/// </remarks>
public sealed class GpioAccess
{
    private readonly Func<int, GpioDriver> _openDriver;

    public GpioAccess()
        : this("/dev", OpenLibgpiod)
    {
    }

    /// <param name="deviceDirectory">Where the gpiochipN character devices are (/dev).</param>
    /// <param name="openDriver">Opens the driver of chip N.</param>
    public GpioAccess(string deviceDirectory, Func<int, GpioDriver> openDriver)
    {
        DeviceDirectory = deviceDirectory;
        _openDriver = openDriver;
    }

    public string DeviceDirectory { get; }

    /// <summary>The chip numbers present (gpiochip0 → 0), ascending.</summary>
    public int[] Chips()
    {
        if (!Directory.Exists(DeviceDirectory))
        {
            return [];
        }

        return Directory.EnumerateFileSystemEntries(DeviceDirectory, "gpiochip*")
            .Select(path => Path.GetFileName(path)["gpiochip".Length..])
            .Select(number => int.TryParse(number, out int chip) ? chip : -1)
            .Where(chip => chip >= 0)
            .Order()
            .ToArray();
    }

    /// <exception cref="GpioUnavailableException">GPIO cannot be used here; the message says why and what to do.</exception>
    public GpioController Open(int chip)
    {
        int[] chips = Chips();
        if (chips.Length == 0)
        {
            throw new GpioUnavailableException(
                $"this machine has no GPIO: there is no {Path.Combine(DeviceDirectory, "gpiochip*")} device. "
                + "sc-sim hil runs on a Linux board with GPIO character devices (a Raspberry Pi with Raspberry Pi OS, for example); "
                + "see hardware-docs/hil.md.");
        }

        string path = Path.Combine(DeviceDirectory, $"gpiochip{chip}");
        if (!chips.Contains(chip))
        {
            throw new GpioUnavailableException(
                $"there is no GPIO chip {chip} ({path}); this machine has {string.Join(", ", chips.Select(c => "gpiochip" + c))}. "
                + "Pick the header's chip with --chip N or 'chip:' in the pin map ('gpiodetect' lists the chips and their labels).");
        }

        GpioDriver driver;
        try
        {
            driver = _openDriver(chip);
        }
        catch (PlatformNotSupportedException ex)
        {
            throw new GpioUnavailableException(
                "libgpiod is not installed: install libgpiod2 (Debian 12, Raspberry Pi OS Bookworm) or libgpiod3 (Debian 13) "
                + "with apt, then run again.", ex);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new GpioUnavailableException(
                $"cannot open {path}: {ex.Message}. Is the user allowed to use GPIO (member of the 'gpio' group: "
                + "sudo usermod -aG gpio $USER, then log in again)?", ex);
        }

        return new GpioController(driver);
    }

    private static GpioDriver OpenLibgpiod(int chip)
    {
        if (!OperatingSystem.IsLinux())
        {
            throw new PlatformNotSupportedException("libgpiod exists on Linux only");
        }

        try
        {
            return new LibGpiodDriver(chip);
        }
        catch (PlatformNotSupportedException)
        {
            return new LibGpiodV2Driver(chip);
        }
    }
}
