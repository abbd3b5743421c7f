namespace SmartCommunity.Edge.Layout;

using System;
using System.Collections.Generic;
using System.Linq;

/// <summary>
/// A car park of the site (layout key <c>carParks</c>; hardware-docs/parking.md): its capacity, its levels, the local
/// time of its daily recount, and the barriers that count vehicles in and out of it.
/// </summary>
/// <param name="Capacity">Vehicles the car park takes; the sum of the levels' capacities unless the file says less.</param>
/// <param name="RecountAt">Local time of day at which each level is set to its <see cref="LevelDefinition.RecountTo"/>; null = no daily recount.</param>
public sealed record CarParkDefinition(string Id, string Name, int Capacity, IReadOnlyList<LevelDefinition> Levels, TimeOnly? RecountAt, IReadOnlyList<CarParkLane> Barriers)
{
    public LevelDefinition? FindLevel(string id) => Levels.FirstOrDefault(l => l.Id == id);
}

/// <param name="RecountTo">The count the daily recount sets (vehicles known to stay overnight, e.g. a fleet); 0 by default.</param>
public sealed record LevelDefinition(string Id, int Capacity, int RecountTo);

/// <summary>
/// What a barrier does in its car park (layout keys <c>carPark</c>, <c>lane</c>, <c>from</c>, <c>to</c>): a vehicle
/// passing "in" (arming loop, then closing loop: hardware-docs/parking-barrier.md, "Counting") moves from
/// <see cref="From"/> to <see cref="To"/>, one passing "out" the other way. Each is a level id or <see cref="Outside"/>.
/// </summary>
public sealed record CarParkLane(string Barrier, string CarPark, string Lane, string From, string To)
{
    public const string Outside = "outside";
    public const string Entry = "entry";
    public const string Exit = "exit";

    public bool IsExit => Lane == Exit;

    /// <summary>The lane lets vehicles into the car park from the street (not a ramp between levels).</summary>
    public bool FromOutside => From == Outside;
}
