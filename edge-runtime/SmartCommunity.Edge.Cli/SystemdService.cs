namespace SmartCommunity.Edge.Cli;

using System;
using System.Threading.Tasks;
using Microsoft.Extensions.Hosting.Systemd;
using Microsoft.Extensions.Logging;
using SmartCommunity.Edge.Http;

/// <summary>
/// sc-edge under systemd (edge-runtime/deploy/sc-edge.service, Type=notify), through the sd_notify protocol of
/// Microsoft.Extensions.Hosting.Systemd: READY=1 once the broker, the event log and the API are up; WATCHDOG=1
/// at half of WATCHDOG_USEC while the edge is healthy (<see cref="SystemdWatchdog"/>); STOPPING=1 as soon as the
/// stop begins, so systemd waits (TimeoutStopSec) while the event log flushes. Outside systemd (no NOTIFY_SOCKET)
/// every notification is a no-op.
/// </summary>
internal sealed class SystemdService : IAsyncDisposable
{
    private readonly ISystemdNotifier _notifier;
    private readonly EdgeHost _edge;
    private readonly ILogger _logger;
    private readonly SystemdWatchdog? _watchdog;

    private SystemdService(ISystemdNotifier notifier, EdgeHost edge, ILogger logger, SystemdWatchdog? watchdog)
    {
        _notifier = notifier;
        _edge = edge;
        _logger = logger;
        _watchdog = watchdog;
    }

    /// <summary>Systemd's journal reads the priority from a "&lt;N&gt;" prefix; the plain console elsewhere.</summary>
    public static ILoggingBuilder AddConsole(ILoggingBuilder logging) =>
        string.IsNullOrEmpty(Environment.GetEnvironmentVariable("JOURNAL_STREAM"))
            ? logging.AddSimpleConsole(o => o.SingleLine = true)
            : logging.AddSystemdConsole();

    /// <summary>Tells systemd the edge is up and starts feeding the watchdog if systemd asked for one.</summary>
    public static SystemdService Ready(EdgeHost edge, ILoggerFactory loggers)
    {
        ISystemdNotifier notifier = new SystemdNotifier();
        ILogger logger = loggers.CreateLogger<SystemdService>();
        SystemdWatchdog.TryNotify(notifier, ServiceState.Ready, logger);
        SystemdWatchdog.TryNotify(notifier, new ServiceState($"STATUS=MQTT on port {edge.MqttPort}, API on {edge.HttpAddress}"), logger);
        SystemdWatchdog? watchdog = notifier.IsEnabled && SystemdWatchdog.IntervalFromEnvironment() is { } interval
            ? new SystemdWatchdog(notifier, edge.Api.Health.Check, TimeProvider.System, interval, loggers.CreateLogger<SystemdWatchdog>())
            : null;
        return new SystemdService(notifier, edge, logger, watchdog);
    }

    /// <summary>The stop has begun: STOPPING=1, no more watchdog pings, readiness off.</summary>
    public async Task StoppingAsync()
    {
        SystemdWatchdog.TryNotify(_notifier, ServiceState.Stopping, _logger);
        _edge.Api.Health.MarkStopping();
        if (_watchdog is not null)
        {
            await _watchdog.DisposeAsync().ConfigureAwait(false);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_watchdog is not null)
        {
            await _watchdog.DisposeAsync().ConfigureAwait(false);
        }
    }
}
