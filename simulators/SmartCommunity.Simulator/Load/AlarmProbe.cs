namespace SmartCommunity.Simulator.Load;

using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json;
using System.Threading.Tasks;
using SmartCommunity.Protocol;

/// <summary>
/// Times one alarm round with the <see cref="System.Diagnostics.Stopwatch"/> clock that every virtual device of the run
/// shares (they all live in this process): from the alarm event leaving the detector (handed to its MQTT client) to the
/// release command arriving at each door of the building (received by the door's MQTT client, before the firmware's
/// loop picks it up). A release only counts when it arrives after the alarm left and carries a command id the door has
/// not seen before, so a retry of an earlier round's release is never taken for this one.
/// </summary>
public sealed class AlarmProbe
{
    private readonly object _gate = new();
    private readonly HashSet<(string Door, string Id)> _seenReleases = new();
    private AlarmRound? _round;

    /// <summary>Starts a round for <paramref name="building"/>; the alarm itself is raised by the caller afterwards.</summary>
    public AlarmRound Arm(AlarmBuilding building)
    {
        lock (_gate)
        {
            _round = new AlarmRound(building);
            return _round;
        }
    }

    public void Disarm()
    {
        lock (_gate)
        {
            _round = null;
        }
    }

    /// <summary>Called by a firmware device's transport just before it hands an <c>alarm</c> event to its MQTT client.</summary>
    public void OnAlarmLeaving(string deviceId, long at)
    {
        lock (_gate)
        {
            if (_round is { AlarmAt: 0 } round && round.Building.Detector.Id == deviceId)
            {
                round.AlarmAt = at;
            }
        }
    }

    /// <summary>Called by a door's transport when a message arrives on its command topic.</summary>
    public void OnCommand(string doorId, ReadOnlySpan<byte> payload, long at)
    {
        if (!TryReadCommand(payload, out string? command, out string? id) || command != CommandNames.Release || id is null)
        {
            return;
        }

        lock (_gate)
        {
            if (!_seenReleases.Add((doorId, id)))
            {
                return;
            }

            if (_round is { } round && round.AlarmAt != 0 && at > round.AlarmAt)
            {
                round.Arrived(doorId, at);
            }
        }
    }

    private static bool TryReadCommand(ReadOnlySpan<byte> payload, out string? command, out string? id)
    {
        command = null;
        id = null;
        try
        {
            var reader = new Utf8JsonReader(payload);
            while (reader.Read())
            {
                if (reader.TokenType == JsonTokenType.PropertyName && reader.CurrentDepth == 1)
                {
                    bool isCommand = reader.ValueTextEquals("cmd");
                    bool isId = reader.ValueTextEquals("id");
                    reader.Read();
                    if (reader.TokenType == JsonTokenType.String)
                    {
                        if (isCommand)
                        {
                            command = reader.GetString();
                        }
                        else if (isId)
                        {
                            id = reader.GetString();
                        }
                    }
                }
            }

            return command is not null;
        }
        catch (JsonException)
        {
            return false;
        }
    }
}

/// <summary>One alarm: when it left the detector and when each door of the building got its release.</summary>
public sealed class AlarmRound(AlarmBuilding building)
{
    private readonly Dictionary<string, long> _arrivals = new(StringComparer.Ordinal);
    private readonly TaskCompletionSource _allReleased = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public AlarmBuilding Building { get; } = building;

    /// <summary><see cref="System.Diagnostics.Stopwatch"/> timestamp of the alarm event leaving the detector; 0 until then.</summary>
    public long AlarmAt { get; internal set; }

    /// <summary>Completes when every door of the building has its release.</summary>
    public Task AllReleased => _allReleased.Task;

    public int DoorsReleased
    {
        get
        {
            lock (_arrivals)
            {
                return _arrivals.Count;
            }
        }
    }

    public TimeSpan? ToLastDoor => Span(arrivals => arrivals.Max());

    public TimeSpan? ToFirstDoor => Span(arrivals => arrivals.Min());

    internal void Arrived(string doorId, long at)
    {
        lock (_arrivals)
        {
            if (!Building.Doors.Any(d => d.Id == doorId) || !_arrivals.TryAdd(doorId, at) || _arrivals.Count < Building.Doors.Count)
            {
                return;
            }
        }

        _allReleased.TrySetResult();
    }

    private TimeSpan? Span(Func<IEnumerable<long>, long> pick)
    {
        lock (_arrivals)
        {
            if (AlarmAt == 0 || _arrivals.Count == 0)
            {
                return null;
            }

            return System.Diagnostics.Stopwatch.GetElapsedTime(AlarmAt, pick(_arrivals.Values));
        }
    }
}
