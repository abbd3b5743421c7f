namespace SmartCommunity.Edge.Http;

using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text.RegularExpressions;

/// <summary>Times in API bodies: ISO 8601 with an explicit offset, as every route that takes a time wants them.</summary>
public static partial class ApiTime
{
    /// <summary>
    /// The time in <paramref name="text"/>, or null when it is empty or bad; a bad one adds a problem naming
    /// <paramref name="name"/>. A time without an offset is refused: it would mean something else on a box in
    /// another time zone.
    /// </summary>
    public static DateTimeOffset? Parse(string? text, string name, List<string> problems)
    {
        ArgumentNullException.ThrowIfNull(problems);
        if (string.IsNullOrEmpty(text))
        {
            return null;
        }

        if (ExplicitOffset().IsMatch(text) && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out DateTimeOffset time))
        {
            return time;
        }

        problems.Add($"{name} '{text}' must be an ISO 8601 time with its offset, e.g. 2026-01-31T00:00:00Z or 2026-01-31T01:00:00+01:00");
        return null;
    }

    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$")]
    private static partial Regex ExplicitOffset();
}
