namespace SmartCommunity.Installer.Provisioning;

using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using SmartCommunity.Edge.Layout;
using SmartCommunity.Firmware.Boot;

/// <summary>What to provision: the device of a layout, the edge that takes it, and the broker the device dials.</summary>
public sealed record ProvisionRequest(string LayoutPath, string DeviceId, string MqttHost, int MqttPort, string OutputFolder, bool Rotate);

/// <summary>What provisioning did: where the bundle is, and whether it replaced earlier credentials.</summary>
public sealed record ProvisionResult(DeviceDefinition Device, string BundlePath, int BundleBytes, bool Rotated);

/// <summary>
/// <c>sc-installer provision</c> (hardware-docs/installer-guide.md, "Provisioning"): takes the device's definition
/// from the layout, registers it with the edge (<c>PUT /registry/devices/{id}</c>), has the edge issue its MQTT
/// password and command key (<c>POST /registry/devices/{id}/credentials</c>, shown this once), and writes them with
/// the rest of the bundle to <c>ID.bundle.json</c>, owner-only. Everything that can be checked is checked before
/// the edge issues anything, so a refusal leaves the device's old credentials working.
/// </summary>
public sealed class Provisioner(EdgeApiClient edge)
{
    public const int DefaultMqttPort = 8883;

    public static string BundleFileName(string deviceId) => deviceId + ".bundle.json";

    public async Task<ProvisionResult> ProvisionAsync(ProvisionRequest request, CancellationToken cancel = default)
    {
        BuildingLayout layout = LayoutDevices.Load(request.LayoutPath);
        DeviceDefinition device = LayoutDevices.Find(layout, request.LayoutPath, request.DeviceId);
        CheckBroker(request.MqttHost, request.MqttPort);

        // A dry run with a placeholder password and key of the real lengths: too big or refused is known before
        // anything changes on the edge.
        byte[] trial = DeviceBundle.Build(device, request.MqttHost, request.MqttPort, new string('x', 32), new byte[DeviceBundle.CommandKeyBytes]);
        if (DeviceBundle.WhyRefused(trial, device) is { } whyNot)
        {
            throw new InstallerProblem(InstallerExit.BadInput, $"device {device.Id}: {whyNot}", $"fix the device's entry in {request.LayoutPath} (hardware-docs/layout.md)");
        }

        SecretFile.CheckWritable(request.OutputFolder);

        string path = "/registry/devices/" + Uri.EscapeDataString(device.Id);
        JsonElement? registered = await edge.GetAsync(path, cancel).ConfigureAwait(false);
        bool hadCredentials = registered is { ValueKind: JsonValueKind.Object } known
            && known.TryGetProperty("hasCredentials", out JsonElement has) && has.ValueKind == JsonValueKind.True;
        if (hadCredentials && !request.Rotate)
        {
            throw new InstallerProblem(InstallerExit.AlreadyProvisioned, $"device {device.Id} already has credentials at the edge {edge.Edge}",
                "to replace a lost bundle or a device, run again with --rotate: the old password and key stop working, so flash the new bundle to the device straight after");
        }

        await edge.PutJsonAsync(path, RegistryBody(device), cancel).ConfigureAwait(false);
        JsonElement secrets = await edge.PostJsonAsync(path + "/credentials", null, cancel).ConfigureAwait(false)
            ?? throw new InstallerProblem(InstallerExit.EdgeRefused, $"the edge {edge.Edge} no longer knows device {device.Id} after registering it",
                "someone may have retired it at the same moment: check 'GET /registry/devices' and run provision again");
        (string password, byte[] key, int keyId) = ReadSecrets(secrets, device.Id);

        byte[] bundle = DeviceBundle.Build(device, request.MqttHost, request.MqttPort, password, key, keyId);
        if (DeviceBundle.WhyRefused(bundle, device) is { } refused)
        {
            throw new InstallerProblem(InstallerExit.EdgeRefused, $"device {device.Id}: {refused}",
                "the edge issued credentials this device cannot read; report it, and provision again with --rotate");
        }

        string bundlePath = Path.Combine(request.OutputFolder, BundleFileName(device.Id));
        try
        {
            SecretFile.Write(bundlePath, bundle);
        }
        catch (InstallerProblem ex)
        {
            throw new InstallerProblem(ex.ExitCode, ex.What + $"; the edge has already issued new credentials for {device.Id}",
                "free the folder or choose another with --out, then run again with --rotate");
        }
        finally
        {
            Array.Clear(key);
        }

        return new ProvisionResult(device, bundlePath, bundle.Length, hadCredentials);
    }

    /// <summary>The broker endpoint the device dials: a host name or address of printable ASCII the bundle can hold, and a port.</summary>
    public static void CheckBroker(string? host, int port)
    {
        if (string.IsNullOrWhiteSpace(host) || Uri.CheckHostName(host) == UriHostNameType.Unknown || host.Length > DeviceConfig.MaxTextBytes)
        {
            throw new InstallerProblem(InstallerExit.BadInput, $"--mqtt-host '{host}' is not a host name or address",
                "give the edge box's address on the device network as the devices reach it, e.g. --mqtt-host 192.168.10.2 (not localhost)");
        }

        if (host is "localhost" or "127.0.0.1" or "::1")
        {
            throw new InstallerProblem(InstallerExit.BadInput, $"--mqtt-host {host} would make the device dial itself",
                "give the edge box's address on the device network, e.g. --mqtt-host 192.168.10.2");
        }

        if (port is < 1 or > 65535)
        {
            throw new InstallerProblem(InstallerExit.BadInput, $"--mqtt-port {port} is not a TCP port",
                $"use the edge's TLS port, {DefaultMqttPort} unless the building's edge was set up otherwise");
        }
    }

    // The body PUT /registry/devices/{id} takes (edge-runtime/SmartCommunity.Edge/Registry/RegistryEndpoints.cs).
    private static Dictionary<string, object?> RegistryBody(DeviceDefinition d)
    {
        var body = new Dictionary<string, object?>
        {
            ["kind"] = d.Kind,
            ["role"] = d.Role,
            ["building"] = d.Building,
            ["floor"] = d.Floor,
            ["zone"] = d.Zone,
            ["pins"] = d.Pins,
            ["params"] = d.Parameters,
            ["feedsSprinklers"] = d.FeedsSprinklers,
        };
        AddIfSet(body, "unit", d.Unit);
        AddIfSet(body, "lockMode", d.LockMode);
        AddIfSet(body, "egressCritical", d.EgressCritical);
        AddIfSet(body, "direction", d.Direction);
        if (d.Groups.Count > 0)
        {
            body["groups"] = d.Groups.ToList();
        }

        return body;
    }

    private static void AddIfSet(Dictionary<string, object?> body, string key, object? value)
    {
        if (value is not null)
        {
            body[key] = value;
        }
    }

    // The edge gives the command key as 64 hex digits with its id (hardware-docs/protocol.md §4.5, §7); each issue of
    // credentials draws a new key with the next id, and the bundle must carry the same pair.
    private static (string Password, byte[] Key, int KeyId) ReadSecrets(JsonElement secrets, string id)
    {
        bool isObject = secrets.ValueKind == JsonValueKind.Object;
        string? password = isObject && secrets.TryGetProperty("mqttPassword", out JsonElement p) ? p.GetString() : null;
        string? key = isObject && secrets.TryGetProperty("commandKey", out JsonElement k) && k.ValueKind == JsonValueKind.String ? k.GetString() : null;
        int keyId = isObject && secrets.TryGetProperty("commandKeyId", out JsonElement kid) && kid.ValueKind == JsonValueKind.Number && kid.TryGetInt32(out int n) ? n : 0;
        byte[]? keyBytes = null;
        if (key is { Length: DeviceBundle.CommandKeyBytes * 2 })
        {
            try
            {
                keyBytes = Convert.FromHexString(key);
            }
            catch (FormatException)
            {
                keyBytes = null;
            }
        }

        if (string.IsNullOrEmpty(password) || keyBytes is null || keyId < 1)
        {
            throw new InstallerProblem(InstallerExit.EdgeRefused, $"the edge's answer for {id}'s credentials has no usable mqttPassword, 64-hex-digit commandKey and commandKeyId",
                "the edge may be older than this installer: update sc-edge, then run provision again with --rotate");
        }

        return (password, keyBytes, keyId);
    }
}
