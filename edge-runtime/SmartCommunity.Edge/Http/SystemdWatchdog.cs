namespace SmartCommunity.Edge.Http;

using System;
using System.Globalization;
using System.IO;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.Hosting.Systemd;
using Microsoft.Extensions.Logging;

/// <summary>
/// Feeds systemd's watchdog (sd_watchdog_enabled(3), sd_notify(3) "WATCHDOG=1") at half the interval systemd
/// asked for in WATCHDOG_USEC, and only while <see cref="EdgeHealth"/> says the edge is ready: a hung event log or
/// a stopped MQTT server stops the pings, and systemd restarts the service after WatchdogSec
/// (edge-runtime/deploy/sc-edge.service). A change of health is also sent as STATUS= for <c>systemctl status</c>.
/// </summary>
public sealed partial class SystemdWatchdog : IAsyncDisposable
{
    public static readonly ServiceState Ping = new("WATCHDOG=1");

    private readonly ISystemdNotifier _notifier;
    private readonly Func<HealthReport> _health;
    private readonly ILogger _logger;
    private readonly ITimer _timer;
    private readonly object _gate = new();
    private bool _healthy = true;
    private long _pings;

    public SystemdWatchdog(ISystemdNotifier notifier, Func<HealthReport> health, TimeProvider time, TimeSpan interval, ILogger logger)
    {
        _notifier = notifier;
        _health = health;
        _logger = logger;
        Period = interval / 2;
        _timer = time.CreateTimer(_ => Tick(), null, TimeSpan.Zero, Period);
    }

    /// <summary>How often health is checked and, if ready, the watchdog fed: half of WATCHDOG_USEC.</summary>
    public TimeSpan Period { get; }

    public long Pings => Interlocked.Read(ref _pings);

    /// <summary>
    /// The watchdog interval systemd set for this process (WATCHDOG_USEC), or null when there is none or it is meant
    /// for another process (WATCHDOG_PID names another pid), as sd_watchdog_enabled(3) decides.
    /// </summary>
    public static TimeSpan? IntervalFromEnvironment(Func<string, string?>? environment = null, int? processId = null)
    {
        environment ??= Environment.GetEnvironmentVariable;
        if (!long.TryParse(environment("WATCHDOG_USEC"), NumberStyles.None, CultureInfo.InvariantCulture, out long microseconds) || microseconds <= 0)
        {
            return null;
        }

        string? pid = environment("WATCHDOG_PID");
        if (!string.IsNullOrEmpty(pid) && pid != (processId ?? Environment.ProcessId).ToString(CultureInfo.InvariantCulture))
        {
            return null;
        }

        return TimeSpan.FromMicroseconds(microseconds);
    }

    /// <summary>Sends one notification; a failure (no socket, systemd gone) is logged, never thrown.</summary>
    public static bool TryNotify(ISystemdNotifier notifier, ServiceState state, ILogger logger)
    {
        if (!notifier.IsEnabled)
        {
            return false;
        }

        try
        {
            notifier.Notify(state);
            return true;
        }
        catch (Exception ex) when (ex is SocketException or IOException or ObjectDisposedException)
        {
            LogNotifyFailed(logger, state.ToString(), ex);
            return false;
        }
    }

    /// <summary>One check: feed the watchdog if ready; report a change of health either way.</summary>
    public void Tick()
    {
        HealthReport report = _health();
        bool changed;
        lock (_gate)
        {
            changed = report.Ready != _healthy;
            _healthy = report.Ready;
        }

        if (report.Ready)
        {
            if (TryNotify(_notifier, Ping, _logger))
            {
                Interlocked.Increment(ref _pings);
            }

            if (changed)
            {
                LogRecovered(_logger);
                TryNotify(_notifier, new ServiceState("STATUS=ready"), _logger);
            }
        }
        else if (changed)
        {
            LogUnhealthy(_logger, report.Problems);
            TryNotify(_notifier, new ServiceState("STATUS=not ready: " + report.Problems.Replace('\n', ' ')), _logger);
        }
    }

    public ValueTask DisposeAsync() => _timer.DisposeAsync();

    [LoggerMessage(Level = LogLevel.Error, Message = "Not feeding the systemd watchdog; systemd restarts the edge unless this clears: {Problems}")]
    private static partial void LogUnhealthy(ILogger logger, string problems);

    [LoggerMessage(Level = LogLevel.Information, Message = "Healthy again; feeding the systemd watchdog")]
    private static partial void LogRecovered(ILogger logger);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not notify systemd ({State})")]
    private static partial void LogNotifyFailed(ILogger logger, string state, Exception exception);
}
