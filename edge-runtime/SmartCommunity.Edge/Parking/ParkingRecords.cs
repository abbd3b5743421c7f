namespace SmartCommunity.Edge.Parking;

using System;
using System.Collections.Generic;

/// <summary>
/// A visitor pass (hardware-docs/parking.md, "Visitor passes"): a number the lane's reader sends as <c>card</c> (a QR
/// code or PIN pad), good for one car park between <see cref="ValidFrom"/> and <see cref="ValidTo"/>, for one vehicle.
/// </summary>
public sealed record VisitorPass(
    string Code,
    string CarPark,
    string? Name,
    string? Plate,
    DateTimeOffset ValidFrom,
    DateTimeOffset ValidTo,
    DateTimeOffset CreatedAt,
    string CreatedBy,
    DateTimeOffset? RevokedAt,
    string? RevokedBy)
{
    public const string Revoked = "pass-revoked";
    public const string NotYetValid = "pass-not-yet-valid";
    public const string Expired = "pass-expired";
    public const string OtherCarPark = "pass-other-car-park";

    /// <summary>Null when the pass admits a vehicle at <paramref name="now"/>; otherwise why not.</summary>
    public string? WhyRefusedAt(DateTimeOffset now) =>
        RevokedAt is not null ? Revoked
        : now < ValidFrom ? NotYetValid
        : now >= ValidTo ? Expired
        : null;
}

/// <summary>A reserved place: card <see cref="Card"/> is let into <see cref="CarPark"/> even when it is full.</summary>
public sealed record Reservation(string Card, string CarPark, DateTimeOffset At, string By);

/// <summary>One level's count and capacity.</summary>
public sealed record LevelOccupancy(string Level, int Capacity, long Occupied, bool Full);

/// <summary>A car park's count (the sum of its levels), capacity and levels.</summary>
public sealed record CarParkOccupancy(string CarPark, string Name, int Capacity, long Occupied, bool Full, IReadOnlyList<LevelOccupancy> Levels,
    DateTimeOffset? CorrectedAt, string? CorrectedBy, long Clamped);

/// <summary>One entry decision as recorded (GET /parking/decisions).</summary>
public sealed record ParkingDecision(long Id, DateTimeOffset At, string Barrier, string? CarPark, string? Card, string? Pass, string Decision, string Why, long Req);

/// <summary>What an operator gives for a pass (POST /parking/passes).</summary>
public sealed record VisitorPassInput(string? Code, string CarPark, string? Name, string? Plate, DateTimeOffset? ValidFrom, DateTimeOffset? ValidTo);
