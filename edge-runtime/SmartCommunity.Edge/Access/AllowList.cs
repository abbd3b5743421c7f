namespace SmartCommunity.Edge.Access;

using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using SmartCommunity.Edge.Layout;

/// <summary>One entry of a door's allow-list: a card and its window in unix seconds (0 = open end), on the wire "card:from:to".</summary>
public readonly record struct AllowListEntry(string Card, long From, long To)
{
    public string Wire => Card + ":" + From.ToString(CultureInfo.InvariantCulture) + ":" + To.ToString(CultureInfo.InvariantCulture);

    public static bool TryParse(string text, out AllowListEntry entry)
    {
        entry = default;
        string[] parts = text.Split(':');
        if (parts.Length != 3 || !CardNumber.TryNormalize(parts[0], out string card)
            || !long.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out long from)
            || !long.TryParse(parts[2], NumberStyles.None, CultureInfo.InvariantCulture, out long to))
        {
            return false;
        }

        entry = new AllowListEntry(card, from, to);
        return true;
    }
}

/// <summary>
/// What a door controller should hold: the cards valid for that door, directly or through its groups, with their
/// windows, ordered by card number (hardware-docs/access-control.md, "Allow-lists"). Immutable; compared by content.
/// </summary>
public sealed class AllowList : IEquatable<AllowList>
{
    public static readonly AllowList Empty = new([]);

    private readonly Dictionary<string, AllowListEntry> _byCard;

    private AllowList(IEnumerable<AllowListEntry> entries)
    {
        Entries = entries.OrderBy(e => e.Card, Comparer<string>.Create(CardNumber.Compare)).ToList();
        _byCard = Entries.ToDictionary(e => e.Card, StringComparer.Ordinal);
        Text = string.Join(";", Entries.Select(e => e.Wire));
    }

    public IReadOnlyList<AllowListEntry> Entries { get; }

    /// <summary>The entries as stored and sent: "card:from:to" joined by ';'.</summary>
    public string Text { get; }

    public int Count => Entries.Count;

    /// <summary>Whether any entry has a window, i.e. the door needs the time to judge it.</summary>
    public bool HasWindows => Entries.Any(e => e.From != 0 || e.To != 0);

    /// <summary>
    /// The list of <paramref name="door"/> at <paramref name="now"/>: every card naming the door or one of its groups,
    /// except those whose window has already ended (they could never open it again; leaving them out saves the
    /// controller's table).
    /// </summary>
    public static AllowList For(DeviceDefinition door, IEnumerable<AccessCard> cards, DateTimeOffset now) =>
        new(cards.Where(c => c.Opens(door.Id, door.Groups) && c.WhyInvalidAt(now) != AccessCard.Expired).Select(c => c.Entry()));

    /// <summary>Reads a stored list; entries that do not parse are skipped (they were written by this class).</summary>
    public static AllowList Parse(string text) =>
        text.Length == 0
            ? Empty
            : new(text.Split(';').Select(t => AllowListEntry.TryParse(t, out AllowListEntry e) ? e : (AllowListEntry?)null).Where(e => e is not null).Select(e => e!.Value));

    /// <summary>
    /// What turns <paramref name="older"/> into this list: entries to add (new cards and cards whose window changed:
    /// an add replaces the device's entry for that card) and cards to remove.
    /// </summary>
    public AllowListDelta DeltaFrom(AllowList older) => new(
        Entries.Where(e => !older._byCard.TryGetValue(e.Card, out AllowListEntry old) || old != e).ToList(),
        older.Entries.Where(e => !_byCard.ContainsKey(e.Card)).Select(e => e.Card).ToList());

    public bool Equals(AllowList? other) => other is not null && Text == other.Text;

    public override bool Equals(object? obj) => Equals(obj as AllowList);

    public override int GetHashCode() => Text.GetHashCode(StringComparison.Ordinal);
}

/// <summary>The change between two versions of a door's list.</summary>
public sealed record AllowListDelta(IReadOnlyList<AllowListEntry> Add, IReadOnlyList<string> Remove)
{
    public bool IsEmpty => Add.Count == 0 && Remove.Count == 0;
}
