namespace SmartCommunity.Edge.Metering;

using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Logging;
using SmartCommunity.Edge.Alerts;
using SmartCommunity.Edge.Layout;

/// <summary>
/// One <see cref="MBusMaster"/> per bus of the layout (hardware-docs/mbus-master.md), as the edge runs them; their
/// status is GET /mbus.
/// </summary>
public sealed class MBusMasters : IAsyncDisposable
{
    /// <param name="ports">Serial devices that replace the layout's port of the bus with that id (the simulator's pseudo-terminals).</param>
    public MBusMasters(BuildingLayout layout, MeterBook book, AlertBook? alerts, TimeProvider time, ILoggerFactory loggerFactory,
        Func<MbusBus, IMBusLine>? open = null, MBusMasterOptions? options = null, IReadOnlyDictionary<string, string>? ports = null)
    {
        open ??= bus => SerialMBusLine.Open(bus.Port, bus.Baud);
        MbusBus Port(MbusBus bus) => ports is not null && ports.TryGetValue(bus.Id, out string? port) ? bus with { Port = port } : bus;
        Masters = layout.Buildings
            .SelectMany(b => b.Metering.Buses.Select(bus => new MBusMaster(Port(bus), b.Id, b.Metering.Meters, book, open, time, loggerFactory.CreateLogger<MBusMaster>(), options) { Alerts = alerts }))
            .ToList();
    }

    public IReadOnlyList<MBusMaster> Masters { get; }

    public void Start()
    {
        foreach (MBusMaster master in Masters)
        {
            master.Start();
        }
    }

    /// <summary>Whether no bus has anything in flight or due at <paramref name="now"/> (<see cref="MBusMaster.IsIdleAt"/>).</summary>
    public bool IsIdleAt(DateTimeOffset now) => Masters.All(m => m.IsIdleAt(now));

    public IReadOnlyList<MBusBusStatus> Status() => Masters.Select(m => m.Status()).ToList();

    public async ValueTask DisposeAsync()
    {
        foreach (MBusMaster master in Masters)
        {
            await master.DisposeAsync().ConfigureAwait(false);
        }
    }
}

/// <summary>GET /mbus: each bus, whether its serial device is open, and per meter its poll state and counters (any operator's token).</summary>
public static class MBusEndpoints
{
    public static IEndpointRouteBuilder MapMBusEndpoints(this IEndpointRouteBuilder app, MBusMasters masters)
    {
        app.MapGet("/mbus", () => Results.Json(new { buses = masters.Status() }));
        return app;
    }
}
