namespace SmartCommunity.Installer.Provisioning;

using System;
using System.IO;
using System.Linq;
using System.Text.Json;
using SmartCommunity.Edge.Layout;
using SmartCommunity.Firmware.Boot;

/// <summary>
/// The device configuration bundle (hardware-docs/protocol.md §7) that the firmware reads from its record
/// <c>config</c> at boot: identity, broker endpoint and credentials, role, pin map and parameters, and the command
/// key (<c>commandKey</c>: the registry's signing key as 64 hex digits, <c>commandKeyId</c>: which key, as the edge issued it).
/// Every bundle is read back with the firmware's own parser (<see cref="DeviceConfig.Parse"/>) before it is
/// written, so the installer never leaves a device with a bundle it would refuse.
/// </summary>
public static class DeviceBundle
{
    /// <summary>The key id of the first key issued; rotation (a later key) is done by provisioning again.</summary>
    public const int FirstCommandKeyId = 1;

    public const int CommandKeyBytes = 32;

    public static byte[] Build(DeviceDefinition device, string mqttHost, int mqttPort, string mqttPassword, byte[] commandKey, int commandKeyId = FirstCommandKeyId)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteNumber("v", 1);
            json.WriteString("site", device.Site);
            json.WriteString("building", device.Building);
            json.WriteString("kind", device.Kind);
            json.WriteString("id", device.Id);
            json.WriteString("role", device.Role);
            json.WriteStartObject("mqtt");
            json.WriteString("host", mqttHost);
            json.WriteNumber("port", mqttPort);
            json.WriteBoolean("tls", true);
            json.WriteString("user", device.Id);
            json.WriteString("password", mqttPassword);
            json.WriteEndObject();
            json.WriteStartObject("pins");
            foreach (var pin in device.Pins.OrderBy(p => p.Key, StringComparer.Ordinal))
            {
                json.WriteNumber(pin.Key, pin.Value);
            }

            json.WriteEndObject();
            json.WriteStartObject("params");
            foreach (var parameter in device.Parameters.OrderBy(p => p.Key, StringComparer.Ordinal))
            {
                json.WriteNumber(parameter.Key, parameter.Value);
            }

            json.WriteEndObject();
            json.WriteString("commandKey", Convert.ToHexStringLower(commandKey));
            json.WriteNumber("commandKeyId", commandKeyId);
            json.WriteEndObject();
        }

        return buffer.ToArray();
    }

    /// <summary>
    /// Why the device would refuse <paramref name="bundle"/> as the bundle of <paramref name="device"/>, or null:
    /// over <see cref="DeviceConfig.MaxBytes"/>, refused by <see cref="DeviceConfig.Parse"/>, or read back as
    /// something else than what was meant (another id, a pin lost).
    /// </summary>
    public static string? WhyRefused(byte[] bundle, DeviceDefinition device)
    {
        if (bundle.Length > DeviceConfig.MaxBytes)
        {
            return $"the bundle is {bundle.Length} bytes and a device reads at most {DeviceConfig.MaxBytes}: "
                + "leave parameters that equal the device's default out of the layout, or shorten the MQTT host name";
        }

        DeviceConfig? config = DeviceConfig.Parse(bundle, bundle.Length, out string? error);
        if (config is null)
        {
            return $"the device's parser refuses the bundle ({error})";
        }

        if (config.DeviceId != device.Id || config.Kind != device.Kind || config.Building != device.Building || config.Site != device.Site || config.Role != device.Role)
        {
            return "the bundle reads back with another identity than the layout's";
        }

        foreach (var pin in device.Pins)
        {
            if (config.Pin(pin.Key) != pin.Value)
            {
                return $"pin '{pin.Key}' reads back as {config.Pin(pin.Key)}, not {pin.Value}";
            }
        }

        return null;
    }

    /// <summary>Reads a bundle file and checks it with the firmware's parser (for flash); the parsed bundle.</summary>
    public static DeviceConfig ReadFile(string? path)
    {
        if (string.IsNullOrWhiteSpace(path) || !File.Exists(path))
        {
            throw new InstallerProblem(InstallerExit.BadInput, $"bundle '{path}' does not exist",
                "give the file 'sc-installer provision' wrote, e.g. --bundle bundles/b1-lobby-entrance.bundle.json");
        }

        byte[] bytes = File.ReadAllBytes(path);
        if (bytes.Length > DeviceConfig.MaxBytes)
        {
            throw new InstallerProblem(InstallerExit.BadInput, $"bundle {path} is {bytes.Length} bytes; a device reads at most {DeviceConfig.MaxBytes}",
                "provision the device again with 'sc-installer provision --rotate' to write a fresh bundle");
        }

        return DeviceConfig.Parse(bytes, bytes.Length, out string? error)
            ?? throw new InstallerProblem(InstallerExit.BadInput, $"bundle {path} would be refused by the device ({error})",
                "do not edit bundles by hand: provision the device again with 'sc-installer provision --rotate'");
    }
}
