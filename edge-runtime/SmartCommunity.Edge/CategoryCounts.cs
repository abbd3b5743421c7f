namespace SmartCommunity.Edge;

using System;
using System.Collections.Concurrent;
using System.Collections.Generic;

/// <summary>
/// Counts under short, stable categories (what a component refused, clamped or could not use), from any thread;
/// served by the component's API summary so bad input is seen, not only logged.
/// </summary>
public sealed class CategoryCounts
{
    private readonly ConcurrentDictionary<string, long> _counts = new(StringComparer.Ordinal);

    public void Count(string category) => _counts.AddOrUpdate(category, 1, (_, n) => n + 1);

    /// <summary>A copy of the counts now, by category in ordinal order.</summary>
    public IReadOnlyDictionary<string, long> Snapshot() => new SortedDictionary<string, long>(_counts, StringComparer.Ordinal);
}
