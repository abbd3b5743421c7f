namespace SmartCommunity.Edge.Time;

using System;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.Logging;
using SmartCommunity.Edge.Storage;

/// <summary>
/// Watches the wall clock against the monotonic clock. An edge box often boots without a real-time clock and
/// gets the date from NTP later, so the wall clock can jump by years. Everything that measures time (command
/// expiry, retries, rule timers, silence) runs on the monotonic clock and is unaffected; the wall clock only
/// stamps records. A jump is logged and recorded in the event log so the stamps around it can be read right.
/// </summary>
public sealed partial class WallClockWatch : IAsyncDisposable
{
    /// <summary>Drift between two checks beyond which the wall clock is said to have jumped.</summary>
    public static readonly TimeSpan JumpThreshold = TimeSpan.FromSeconds(2);

    /// <summary>Before this the wall clock is surely unset (no RTC, no NTP yet).</summary>
    public static readonly DateTimeOffset Plausible = new(2024, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private readonly TimeProvider _time;
    private readonly EventLog _log;
    private readonly string _site;
    private readonly ILogger _logger;
    private readonly object _gate = new();
    private DateTimeOffset _lastWall;
    private long _lastTimestamp;
    private ITimer? _timer;

    public WallClockWatch(TimeProvider time, EventLog log, string site, ILogger logger)
    {
        _time = time;
        _log = log;
        _site = site;
        _logger = logger;
        _lastWall = time.GetUtcNow();
        _lastTimestamp = time.GetTimestamp();
        if (_lastWall < Plausible)
        {
            LogImplausible(_logger, _lastWall);
        }
    }

    public long Jumps { get; private set; }

    public void Start(TimeSpan interval) => _timer = _time.CreateTimer(_ => _ = CheckAsync(), null, interval, interval);

    /// <summary>Compares the wall clock's progress with the monotonic clock's since the last check.</summary>
    public async Task<TimeSpan?> CheckAsync()
    {
        DateTimeOffset wall;
        DateTimeOffset expected;
        lock (_gate)
        {
            wall = _time.GetUtcNow();
            long timestamp = _time.GetTimestamp();
            expected = _lastWall + _time.GetElapsedTime(_lastTimestamp, timestamp);
            _lastWall = wall;
            _lastTimestamp = timestamp;
        }

        TimeSpan jump = wall - expected;
        if (jump.Duration() <= JumpThreshold)
        {
            return null;
        }

        Jumps++;
        LogJump(_logger, expected, wall, jump.TotalSeconds);
        await _log.AppendAsync(new EventRecord(wall, _site, "-", "edge", "edge", "clock-jump", 0, 0,
            JsonSerializer.Serialize(new { expected, now = wall, jumpSeconds = jump.TotalSeconds }), EventLane.Priority)).ConfigureAwait(false);
        return jump;
    }

    public async ValueTask DisposeAsync()
    {
        if (_timer is not null)
        {
            await _timer.DisposeAsync().ConfigureAwait(false);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "The wall clock jumped from about {Expected:O} to {Now:O} ({Seconds:F1} s); timings are unaffected, record stamps around this point are not comparable")]
    private static partial void LogJump(ILogger logger, DateTimeOffset expected, DateTimeOffset now, double seconds);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The wall clock reads {Now:O}: no real-time clock or NTP yet; record stamps are wrong until it is set")]
    private static partial void LogImplausible(ILogger logger, DateTimeOffset now);
}
