namespace SmartCommunity.Simulation.Devices;

using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading.Tasks;
using SmartCommunity.Edge.Registry;
using SmartCommunity.Edge.Layout;

/// <summary>Every device of a layout as a virtual device, connected to one MQTT server.</summary>
public sealed class VirtualBuilding : IAsyncDisposable
{
    private readonly Dictionary<string, VirtualDevice> _devices;

    /// <param name="credentials">
    /// What the edge issued per device id (e.g. <c>DeviceRegistry.IssueCredentialsAsync</c>): a device with some logs in
    /// with its password and takes only signed commands (hardware-docs/security.md §3, protocol.md §4.5). Null or
    /// missing: the device logs in without a password and takes unsigned commands, as in development.
    /// </param>
    public VirtualBuilding(BuildingLayout layout, string host, int port, TimeProvider time, TimeSpan tick, IReadOnlyDictionary<string, DeviceSecrets>? credentials = null)
    {
        Layout = layout;
        _devices = layout.Devices.ToDictionary(d => d.Id, d => VirtualDevice.Create(d, host, port, time, tick));
        foreach (VirtualDevice device in _devices.Values)
        {
            if (credentials?.GetValueOrDefault(device.Definition.Id) is { } secrets)
            {
                device.UseCredentials(secrets);
            }
        }
    }

    public BuildingLayout Layout { get; }

    public IEnumerable<VirtualDevice> Devices => _devices.Values;

    public VirtualDevice this[string id] => _devices[id];

    public IEnumerable<VirtualDevice> Doors(string building) =>
        _devices.Values.Where(d => d.Definition.Building == building && d.DoorOutput is not null);

    public void Start()
    {
        foreach (VirtualDevice device in _devices.Values)
        {
            device.Start();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await Task.WhenAll(_devices.Values.Select(d => d.DisposeAsync().AsTask()));
    }
}
