namespace SmartCommunity.Edge.Calls;

using System;
using SmartCommunity.Edge.Layout;

/// <summary>
/// A call point's quiet hours (layout params <c>quietStartMin</c>, <c>quietEndMin</c>: minutes after local
/// midnight, 0-1439), when a welfare call is held: no activity at night is what sleep looks like. The span may
/// cross midnight (1320 to 420 is 22:00 to 07:00); equal ends mean none. Local time is the edge's time zone.
/// </summary>
public readonly record struct QuietHours(int StartMin, int EndMin)
{
    public const string StartParameter = "quietStartMin";
    public const string EndParameter = "quietEndMin";
    private const int MinutesPerDay = 24 * 60;

    /// <summary>
    /// The device's quiet hours; false when it has none. <paramref name="problem"/> says why set values cannot be
    /// used (only one end given, out of range); the caller then treats the device as having none, the safe side.
    /// </summary>
    public static bool TryRead(DeviceDefinition device, out QuietHours quiet, out string? problem)
    {
        quiet = default;
        problem = null;
        bool hasStart = device.Parameters.TryGetValue(StartParameter, out long start);
        bool hasEnd = device.Parameters.TryGetValue(EndParameter, out long end);
        if (!hasStart && !hasEnd)
        {
            return false;
        }

        if (hasStart != hasEnd)
        {
            problem = $"only one of {StartParameter} and {EndParameter} is set; give both or neither";
            return false;
        }

        if (start is < 0 or >= MinutesPerDay || end is < 0 or >= MinutesPerDay)
        {
            problem = $"{StartParameter} {start} and {EndParameter} {end} must be minutes after midnight, 0-1439";
            return false;
        }

        if (start == end)
        {
            return false;
        }

        quiet = new QuietHours((int)start, (int)end);
        return true;
    }

    public bool Contains(DateTimeOffset utc, TimeZoneInfo zone)
    {
        DateTimeOffset local = TimeZoneInfo.ConvertTime(utc, zone);
        int minute = (local.Hour * 60) + local.Minute;
        return StartMin < EndMin ? minute >= StartMin && minute < EndMin : minute >= StartMin || minute < EndMin;
    }

    /// <summary>The next end of quiet hours after <paramref name="utc"/>, for people (the hold itself ends on the next check after it).</summary>
    public DateTimeOffset NextEnd(DateTimeOffset utc, TimeZoneInfo zone)
    {
        DateTimeOffset local = TimeZoneInfo.ConvertTime(utc, zone);
        DateTime end = local.Date.AddMinutes(EndMin);
        if (end <= local.DateTime)
        {
            end = end.AddDays(1);
        }

        return new DateTimeOffset(end, zone.GetUtcOffset(end)).ToUniversalTime();
    }

    public override string ToString() => $"{StartMin / 60:D2}:{StartMin % 60:D2}-{EndMin / 60:D2}:{EndMin % 60:D2}";
}
