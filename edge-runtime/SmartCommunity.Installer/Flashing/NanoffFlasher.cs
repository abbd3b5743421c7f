namespace SmartCommunity.Installer.Flashing;

using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Text.Json;
using System.Text.RegularExpressions;
using System.Threading;
using System.Threading.Tasks;
using SmartCommunity.Firmware.Boot;
using SmartCommunity.Installer.Provisioning;

/// <summary>What to put on the board: always the bundle; the nanoCLR firmware and the app image when asked.</summary>
public sealed record FlashRequest(string BundlePath, string Port, string Target, bool UpdateFirmware, string? Image, string? Address);

/// <summary>One run of nanoff: what it is for, and its arguments exactly as passed.</summary>
public sealed record NanoffStep(string Purpose, IReadOnlyList<string> Arguments);

/// <summary>
/// <c>sc-installer flash</c> (hardware-docs/installer-guide.md, "Flashing"): deploys to the microcontroller through
/// nanoFramework's flasher <c>nanoff</c>, with its documented 2.x options: <c>--target T --serialport P --update</c>
/// for the nanoCLR firmware, <c>--deploy --image APP.bin [--address A]</c> for the application, and
/// <c>--filedeployment deploy.json</c> to write the bundle as the file <c>I:\config</c>, which the board's store reads
/// as the record <c>config</c> (firmware/SmartCommunity.DoorNode/FlashStore.cs). nanoff itself is not shipped: when
/// it is not on the PATH the installer is told what to install.
/// </summary>
public static partial class NanoffFlasher
{
    public const string DefaultTarget = "ESP32_PSRAM_REV0";
    public const string ConfigFileOnDevice = "I:\\config";
    public const string InstallHint = "install it with 'dotnet tool install -g nanoff' (needs the .NET SDK) and make sure ~/.dotnet/tools is on the PATH, then run flash again";

    /// <summary>Checks the request and returns the nanoff runs it takes, in order; writes the file-deployment JSON next to the bundle.</summary>
    public static IReadOnlyList<NanoffStep> Plan(FlashRequest request)
    {
        DeviceConfig bundle = DeviceBundle.ReadFile(request.BundlePath);
        if (string.IsNullOrWhiteSpace(request.Port))
        {
            throw new InstallerProblem(InstallerExit.BadInput, "--port is missing",
                "give the board's serial port: /dev/ttyUSB0 or /dev/ttyACM0 on Linux ('ls /dev/ttyUSB* /dev/ttyACM*' after plugging it in), COMn on Windows");
        }

        if (request.Port.StartsWith("/dev/", StringComparison.Ordinal) && !File.Exists(request.Port))
        {
            throw new InstallerProblem(InstallerExit.BadInput, $"there is no serial port {request.Port}",
                "plug the board in with a USB cable that carries data (not a charge-only one); 'ls /dev/ttyUSB* /dev/ttyACM*' shows the port it gets; on Linux you may need to be in the 'dialout' group");
        }

        if (!TargetName().IsMatch(request.Target))
        {
            throw new InstallerProblem(InstallerExit.BadInput, $"--target '{request.Target}' is not a nanoFramework target name",
                $"use the firmware image's name in capitals, e.g. {DefaultTarget} (any ESP32), ESP32_REV3 (WROOM-32E); 'nanoff --listtargets --platform esp32' lists them");
        }

        if (request.Image is not null && (!File.Exists(request.Image) || !request.Image.EndsWith(".bin", StringComparison.OrdinalIgnoreCase)))
        {
            throw new InstallerProblem(InstallerExit.BadInput, $"--image '{request.Image}' is not an application image",
                "give the .bin the nanoFramework build wrote (e.g. bin/Release/SmartCommunity.DoorNode.bin; firmware/SmartCommunity.DoorNode/README.md)");
        }

        if (request.Address is not null && (request.Image is null || !HexAddress().IsMatch(request.Address)))
        {
            throw new InstallerProblem(InstallerExit.BadInput, $"--address '{request.Address}' needs --image and a hexadecimal address",
                "give the start of the deployment region as 0x..., only for an older nanoff that asks for it ('nanoff --platform esp32 --serialport PORT --devicedetails' shows it)");
        }

        var steps = new List<NanoffStep>();
        if (request.UpdateFirmware)
        {
            steps.Add(new NanoffStep("firmware (nanoCLR)", ["--target", request.Target, "--serialport", request.Port, "--update"]));
        }

        if (request.Image is not null)
        {
            var deploy = new List<string> { "--target", request.Target, "--serialport", request.Port, "--deploy", "--image", Path.GetFullPath(request.Image) };
            if (request.Address is not null)
            {
                deploy.AddRange(["--address", request.Address]);
            }

            steps.Add(new NanoffStep("application", deploy));
        }

        string deployJson = WriteFileDeployment(request, bundle.DeviceId);
        steps.Add(new NanoffStep($"configuration bundle of {bundle.DeviceId} to {ConfigFileOnDevice}", ["--filedeployment", deployJson]));
        return steps;
    }

    /// <summary>nanoff's full path from the PATH given (the process's own when null), or null when it is not installed.</summary>
    public static string? FindNanoff(string? pathVariable)
    {
        string[] names = OperatingSystem.IsWindows() ? ["nanoff.exe", "nanoff.cmd", "nanoff"] : ["nanoff"];
        foreach (string folder in (pathVariable ?? Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            foreach (string name in names)
            {
                string candidate = Path.Combine(folder, name);
                if (File.Exists(candidate) && (OperatingSystem.IsWindows() || (File.GetUnixFileMode(candidate) & (UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute)) != 0))
                {
                    return candidate;
                }
            }
        }

        return null;
    }

    /// <summary>Plans, finds nanoff and runs each step, stopping at the first that fails. Returns the steps run.</summary>
    public static async Task<IReadOnlyList<NanoffStep>> FlashAsync(FlashRequest request, string? pathVariable, Action<NanoffStep> starting, CancellationToken cancel = default)
    {
        IReadOnlyList<NanoffStep> steps = Plan(request);
        string nanoff = FindNanoff(pathVariable)
            ?? throw new InstallerProblem(InstallerExit.NanoffMissing, "nanoff, nanoFramework's flasher, is not installed (not found on the PATH)", InstallHint);
        foreach (NanoffStep step in steps)
        {
            starting(step);
            var start = new ProcessStartInfo(nanoff) { UseShellExecute = false };
            foreach (string argument in step.Arguments)
            {
                start.ArgumentList.Add(argument);
            }

            using Process process = Process.Start(start)
                ?? throw new InstallerProblem(InstallerExit.NanoffFailed, $"nanoff at {nanoff} could not be started", InstallHint);
            await process.WaitForExitAsync(cancel).ConfigureAwait(false);
            if (process.ExitCode != 0)
            {
                throw new InstallerProblem(InstallerExit.NanoffFailed, $"nanoff failed writing the {step.Purpose} (exit code {process.ExitCode}; its output is above)",
                    "check the cable and --port; if an ESP32 does not enter its bootloader, hold its BOOT button while flashing; then run flash again");
            }
        }

        return steps;
    }

    // nanoff's file deployment (its README, "Deploy file to device storage"): the port, and each file's source and destination.
    private static string WriteFileDeployment(FlashRequest request, string deviceId)
    {
        string folder = Path.GetDirectoryName(Path.GetFullPath(request.BundlePath))!;
        string path = Path.Combine(folder, deviceId + ".deploy-config.json");
        var document = new
        {
            SerialPort = request.Port,
            Files = new[] { new { DestinationFilePath = ConfigFileOnDevice, SourceFilePath = Path.GetFullPath(request.BundlePath) } },
        };
        try
        {
            File.WriteAllText(path, JsonSerializer.Serialize(document, new JsonSerializerOptions { WriteIndented = true }));
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new InstallerProblem(InstallerExit.CannotWrite, $"cannot write {path} ({ex.Message})", "run flash from a folder you may write to, with the bundle in it");
        }

        return path;
    }

    [GeneratedRegex("^[A-Z0-9_]{2,64}$")]
    private static partial Regex TargetName();

    [GeneratedRegex("^0x[0-9A-Fa-f]{1,8}$")]
    private static partial Regex HexAddress();
}
