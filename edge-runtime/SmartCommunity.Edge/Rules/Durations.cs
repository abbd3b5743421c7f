namespace SmartCommunity.Edge.Rules;

using System;
using System.Globalization;
using System.Text;

/// <summary>
/// Durations as people write them in the rules file (hardware-docs/rules.md, "Durations"): whole numbers with a
/// unit, ms, s, m, h or d, one after the other: <c>30s</c>, <c>5m</c>, <c>1h30m</c>.
/// </summary>
public static class Durations
{
    /// <summary>The longest duration a rule may wait: longer ones are almost certainly a typo (5d meant 5m).</summary>
    public static readonly TimeSpan Longest = TimeSpan.FromDays(30);

    public const string Hint = "write a whole number with a unit (ms, s, m, h, d), e.g. 30s, 5m, 2h or 1h30m";

    public static bool TryParse(string text, out TimeSpan duration, out string why)
    {
        duration = TimeSpan.Zero;
        why = "";
        if (string.IsNullOrWhiteSpace(text))
        {
            why = $"a duration is missing; {Hint}";
            return false;
        }

        long ticks = 0;
        int i = 0;
        while (i < text.Length)
        {
            int start = i;
            while (i < text.Length && char.IsAsciiDigit(text[i]))
            {
                i++;
            }

            if (i == start || i - start > 9)
            {
                why = $"'{text}' is not a duration; {Hint}";
                return false;
            }

            long number = long.Parse(text.AsSpan(start, i - start), NumberStyles.None, CultureInfo.InvariantCulture);
            int unitStart = i;
            while (i < text.Length && char.IsAsciiLetterLower(text[i]))
            {
                i++;
            }

            long unit = text.AsSpan(unitStart, i - unitStart) switch
            {
                "ms" => TimeSpan.TicksPerMillisecond,
                "s" => TimeSpan.TicksPerSecond,
                "m" => TimeSpan.TicksPerMinute,
                "h" => TimeSpan.TicksPerHour,
                "d" => TimeSpan.TicksPerDay,
                _ => 0,
            };
            if (unit == 0)
            {
                why = $"'{text}' is not a duration (no unit or an unknown one after {number}); {Hint}";
                return false;
            }

            ticks += number * unit;
            if (ticks > Longest.Ticks)
            {
                why = $"'{text}' is longer than {Format(Longest)}, the longest a rule may wait";
                return false;
            }
        }

        if (ticks <= 0)
        {
            why = $"'{text}' must be longer than zero";
            return false;
        }

        duration = TimeSpan.FromTicks(ticks);
        return true;
    }

    /// <summary>The shortest text <see cref="TryParse"/> reads back as <paramref name="duration"/>, e.g. 1h30m.</summary>
    public static string Format(TimeSpan duration)
    {
        if (duration <= TimeSpan.Zero)
        {
            return "0s";
        }

        var text = new StringBuilder();
        long ticks = duration.Ticks;
        foreach ((long unit, string name) in new[] { (TimeSpan.TicksPerDay, "d"), (TimeSpan.TicksPerHour, "h"), (TimeSpan.TicksPerMinute, "m"), (TimeSpan.TicksPerSecond, "s"), (TimeSpan.TicksPerMillisecond, "ms") })
        {
            if (ticks >= unit)
            {
                text.Append((ticks / unit).ToString(CultureInfo.InvariantCulture)).Append(name);
                ticks %= unit;
            }
        }

        return text.Length == 0 ? "0s" : text.ToString();
    }
}
