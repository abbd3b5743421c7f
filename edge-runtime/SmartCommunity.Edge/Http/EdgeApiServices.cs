namespace SmartCommunity.Edge.Http;

using System;
using SmartCommunity.Edge.Alerts;
using SmartCommunity.Edge.Broker;
using SmartCommunity.Edge.Commands;
using SmartCommunity.Edge.Layout;
using SmartCommunity.Edge.Operators;
using SmartCommunity.Edge.Registry;
using SmartCommunity.Edge.Relays;
using SmartCommunity.Edge.Rules;
using SmartCommunity.Edge.Safety;
using SmartCommunity.Edge.Storage;
using SmartCommunity.Edge.Twins;

/// <summary>The parts of the edge the API reads and acts on; EdgeHost assembles it.</summary>
public sealed record EdgeApiServices(
    BuildingLayout Layout,
    EdgeCounters Counters,
    TwinRegistry Twins,
    FireRule FireRule,
    CommandPublisher Commands,
    EventLog Log,
    EmbeddedBroker Broker,
    OperatorStore Operators,
    TimeProvider Time)
{
    /// <summary>The relays to backends; null when none are configured (GET /relays says so).</summary>
    public RelayHub? Relays { get; init; }

    /// <summary>The rules file's engine: GET /rules, rule firings in /metrics. Null only where a test leaves it out.</summary>
    public RuleEngine? Rules { get; init; }

    /// <summary>The device registry: GET/PUT/DELETE /registry/devices, credentials. Null only where a test leaves it out.</summary>
    public DeviceRegistry? Registry { get; init; }

    /// <summary>Alerts raised by rules: listed by GET /alarms beside the fire alarms, acknowledged and cleared there.</summary>
    public AlertBook? Alerts { get; init; }

    /// <summary>Emergency and welfare calls: GET /calls, acknowledgements (<see cref="CallEndpoints"/>). Null only where a test leaves it out.</summary>
    public Calls.CallDesk? Calls { get; init; }

    /// <summary>Cards, allow-lists and the access audit trail (<see cref="AccessEndpoints"/>). Null only where a test leaves it out.</summary>
    public Access.AccessControl? Access { get; init; }

    /// <summary>Car parks: occupancy, corrections, passes, reservations (<see cref="ParkingEndpoints"/>). Null only where a test leaves it out.</summary>
    public Parking.ParkingControl? Parking { get; init; }

    /// <summary>Meters, readings and consumption (<see cref="Metering.MeteringEndpoints"/>). Null only where a test leaves it out.</summary>
    public Metering.MeterBook? Meters { get; init; }

    /// <summary>The M-Bus masters' poll status: GET /mbus (<see cref="Metering.MBusEndpoints"/>). Null where the layout has no buses.</summary>
    public Metering.MBusMasters? MBus { get; init; }
}
