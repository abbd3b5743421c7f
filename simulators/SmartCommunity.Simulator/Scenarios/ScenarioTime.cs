namespace SmartCommunity.Simulator.Scenarios;

using System;
using System.Globalization;
using SmartCommunity.Edge.Rules;

/// <summary>
/// Times in a scenario file: virtual time since the scenario started (<c>at: 5s</c>) and durations (<c>within: 2s</c>),
/// written as in the rules file (whole numbers with a unit, <c>1m30s</c>), plus zero (<c>0s</c>, <c>0</c>) and, where a
/// direction makes sense (a clock skew), a leading minus.
/// </summary>
public static class ScenarioTime
{
    public const string Hint = "write a whole number with a unit (ms, s, m, h, d), e.g. 0s, 250ms, 5s, 2m or 1m30s";

    /// <summary>A duration of zero or more; <paramref name="why"/> says what is wrong otherwise.</summary>
    public static bool TryParse(string text, bool allowNegative, out TimeSpan value, out string why)
    {
        value = TimeSpan.Zero;
        string body = text.Trim();
        bool negative = body.StartsWith('-');
        if (negative)
        {
            if (!allowNegative)
            {
                why = $"'{text}' is negative; scenario times count from the start of the scenario and durations forward from their step";
                return false;
            }

            body = body[1..];
        }

        if (body is "0" or "0s" or "0ms" or "0m")
        {
            why = "";
            return true;
        }

        if (!Durations.TryParse(body, out TimeSpan parsed, out _))
        {
            why = $"'{text}' is not a time; {Hint}";
            return false;
        }

        value = negative ? -parsed : parsed;
        why = "";
        return true;
    }

    /// <summary>Short text for people: 0s, 250ms, 12.34s, 1m05s, 1h02m.</summary>
    public static string Format(TimeSpan time)
    {
        if (time < TimeSpan.Zero)
        {
            return "-" + Format(-time);
        }

        if (time < TimeSpan.FromSeconds(1))
        {
            return ((long)time.TotalMilliseconds).ToString(CultureInfo.InvariantCulture) + "ms";
        }

        if (time < TimeSpan.FromMinutes(1))
        {
            double seconds = Math.Round(time.TotalSeconds, 3);
            return seconds.ToString("0.###", CultureInfo.InvariantCulture) + "s";
        }

        if (time < TimeSpan.FromHours(1))
        {
            double seconds = Math.Round(time.TotalSeconds - (60 * (int)time.TotalMinutes), 3);
            return string.Create(CultureInfo.InvariantCulture, $"{(int)time.TotalMinutes}m{seconds:00.###}s");
        }

        return string.Create(CultureInfo.InvariantCulture, $"{(int)time.TotalHours}h{time.Minutes:00}m{time.Seconds:00}s");
    }
}
