namespace SmartCommunity.Edge.Access;

using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;

/// <summary>
/// A resident's card (hardware-docs/access-control.md, "Cards and residents"): its number, who holds it, an optional
/// validity window, and the doors it opens, named directly or through door groups of the layout.
/// </summary>
/// <param name="Number">The card number in decimal, as <see cref="CardNumber.TryNormalize"/> writes it.</param>
/// <param name="ValidFrom">The card opens nothing before this; null = no start.</param>
/// <param name="ValidTo">The card opens nothing from this moment on; null = no end.</param>
public sealed record AccessCard(
    string Number,
    string Name,
    string? Unit,
    DateTimeOffset? ValidFrom,
    DateTimeOffset? ValidTo,
    IReadOnlyList<string> Doors,
    IReadOnlyList<string> Groups,
    DateTimeOffset UpdatedAt,
    string UpdatedBy)
{
    public const string NotYetValid = "not-yet-valid";
    public const string Expired = "expired";

    /// <summary>Null when the card is valid at <paramref name="now"/>; otherwise <see cref="NotYetValid"/> or <see cref="Expired"/>.</summary>
    public string? WhyInvalidAt(DateTimeOffset now) =>
        ValidFrom is { } from && now < from ? NotYetValid
        : ValidTo is { } to && now >= to ? Expired
        : null;

    /// <summary>Whether the card names <paramref name="door"/>, directly or through one of its groups.</summary>
    public bool Opens(string door, IReadOnlyList<string> doorGroups) =>
        Doors.Contains(door, StringComparer.Ordinal) || Groups.Any(g => doorGroups.Contains(g, StringComparer.Ordinal));

    /// <summary>The window in whole unix seconds, 0 for an open end, as allow-list entries carry it.</summary>
    public AllowListEntry Entry() => new(Number, ValidFrom is { } from ? from.ToUnixTimeSeconds() : 0, ValidTo is { } to ? CeilingSeconds(to) : 0);

    // A card valid until 12:00:00.5 must not lose its last half second on the device; the device compares whole seconds.
    private static long CeilingSeconds(DateTimeOffset time)
    {
        long seconds = time.ToUnixTimeSeconds();
        return time > DateTimeOffset.FromUnixTimeSeconds(seconds) ? seconds + 1 : seconds;
    }
}

/// <summary>Card numbers on the wire and in the API: decimal, up to 20 digits, a 64-bit unsigned value (the access contract).</summary>
public static class CardNumber
{
    public const int MaxDigits = 20;

    /// <summary>True for 1-20 decimal digits that fit 64 bits unsigned; <paramref name="number"/> is then written without leading zeros.</summary>
    public static bool TryNormalize(string? text, out string number)
    {
        number = "";
        if (string.IsNullOrEmpty(text) || text.Length > MaxDigits || !text.All(char.IsAsciiDigit)
            || !ulong.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out ulong value))
        {
            return false;
        }

        number = value.ToString(CultureInfo.InvariantCulture);
        return true;
    }

    /// <summary>Orders card numbers by value, so lists read in the order people expect.</summary>
    public static int Compare(string a, string b) =>
        a.Length != b.Length ? a.Length.CompareTo(b.Length) : string.CompareOrdinal(a, b);
}
