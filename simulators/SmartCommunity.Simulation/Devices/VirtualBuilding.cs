namespace SmartCommunity.Simulation.Devices;

using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading.Tasks;
using SmartCommunity.Edge.Commands;
using SmartCommunity.Edge.Layout;

/// <summary>Every device of a layout as a virtual device, connected to one MQTT server.</summary>
public sealed class VirtualBuilding : IAsyncDisposable
{
    private readonly Dictionary<string, VirtualDevice> _devices;

    /// <param name="commandKeys">
    /// Where each device's command key comes from, e.g. the edge's registry: a device with one takes only signed
    /// commands (hardware-docs/protocol.md §4.5). Null: every device takes unsigned commands, as in development.
    /// </param>
    public VirtualBuilding(BuildingLayout layout, string host, int port, TimeProvider time, TimeSpan tick, ICommandKeys? commandKeys = null)
    {
        Layout = layout;
        _devices = layout.Devices.ToDictionary(d => d.Id, d => VirtualDevice.Create(d, host, port, time, tick));
        if (commandKeys is not null)
        {
            foreach (VirtualDevice device in _devices.Values)
            {
                if (commandKeys.SigningKeyFor(device.Definition.Id) is { } key)
                {
                    device.UseCommandKey(key.Id, key.Key);
                }
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
