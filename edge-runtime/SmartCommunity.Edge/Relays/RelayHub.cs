namespace SmartCommunity.Edge.Relays;

using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading.Tasks;
using Microsoft.Extensions.Logging;
using SmartCommunity.Edge.Storage;

/// <summary>A relay and how the engine drives it; <see cref="Kind"/> and <see cref="Target"/> are shown to operators (no secrets).</summary>
public sealed record RelayRegistration(IRelay Relay, string Kind, string Target, RelayDeliveryOptions Delivery);

/// <summary>
/// Store-and-forward to the backends. The event log is the durable outbox: every relay reads the events table
/// after its own per-lane cursors (edge-runtime/README.md, "Relays"). The hub runs one drain loop per relay, answers
/// for their status and dead letters, and, as the event log's <see cref="IRetentionGuard"/>, keeps retention from
/// pruning what a relay has not forwarded yet. It disposes the relays it was given.
/// </summary>
public sealed class RelayHub : IRetentionGuard, IAsyncDisposable
{
    /// <summary>How often an idle relay checks the event log's commit counter for new rows.</summary>
    public static readonly TimeSpan DefaultPollInterval = TimeSpan.FromMilliseconds(10);

    private readonly string _databasePath;
    private readonly IReadOnlyList<RelayWorker> _workers;

    /// <param name="changes">
    /// A number that moves whenever the event log commits (e.g. <see cref="EventLog.Committed"/>); read every poll
    /// interval, so waking costs no query. Without it the hub polls the events table.
    /// </param>
    public RelayHub(string edgeId, string databasePath, IEnumerable<RelayRegistration> relays, Func<long>? changes, TimeProvider time,
        ILoggerFactory loggerFactory, TimeSpan? pollInterval = null)
    {
        EdgeId = edgeId;
        _databasePath = databasePath;
        using (var store = new RelayStore(databasePath))
        {
            store.EnsureSchema();
        }

        var workers = new List<RelayWorker>();
        try
        {
            foreach (RelayRegistration registration in relays)
            {
                if (workers.Any(w => w.Name == registration.Relay.Name))
                {
                    throw new ArgumentException($"two relays are named '{registration.Relay.Name}'; names key the cursors and must be unique", nameof(relays));
                }

                workers.Add(new RelayWorker(registration, edgeId, databasePath, changes, pollInterval ?? DefaultPollInterval, time,
                    loggerFactory.CreateLogger<RelayHub>()));
            }
        }
        catch
        {
            foreach (RelayWorker worker in workers)
            {
                worker.DisposeAsync().AsTask().GetAwaiter().GetResult();
            }

            throw;
        }

        _workers = workers;
    }

    public string EdgeId { get; }

    public IReadOnlyList<string> Names => _workers.Select(w => w.Name).ToList();

    /// <summary>The relays of <paramref name="configuration"/> over the event log at <paramref name="databasePath"/>.</summary>
    public static RelayHub Create(RelayConfiguration configuration, string databasePath, Func<long>? changes, TimeProvider time, ILoggerFactory loggerFactory)
    {
        var registrations = new List<RelayRegistration>();
        foreach (RelayDefinition definition in configuration.Relays)
        {
            registrations.Add(definition.Kind switch
            {
                RelayKind.Mqtt => new RelayRegistration(
                    new MqttRelay(definition.Name, configuration.EdgeId, definition.Mqtt!, definition.Delivery.AttemptTimeout, loggerFactory.CreateLogger<MqttRelay>()),
                    "mqtt", $"mqtt{(definition.Mqtt!.Tls ? "s" : "")}://{definition.Mqtt.Host}:{definition.Mqtt.Port}/{definition.Mqtt.TopicPrefix}", definition.Delivery),
                _ => new RelayRegistration(
                    new WebhookRelay(definition.Name, definition.Webhook!, definition.Delivery.AttemptTimeout, loggerFactory.CreateLogger<WebhookRelay>()),
                    "webhook", definition.Webhook!.Url.GetLeftPart(UriPartial.Path), definition.Delivery),
            });
        }

        return new RelayHub(configuration.EdgeId, databasePath, registrations, changes, time, loggerFactory);
    }

    public void Start()
    {
        foreach (RelayWorker worker in _workers)
        {
            worker.Start();
        }
    }

    /// <summary>Wakes every relay now (optional: they also notice new rows within the poll interval).</summary>
    public void Notify()
    {
        foreach (RelayWorker worker in _workers)
        {
            worker.Notify();
        }
    }

    /// <summary>Retention may prune below this: the smallest id any relay still needs, over both lanes.</summary>
    public long FirstIdStillNeeded() => _workers.Count == 0 ? long.MaxValue : _workers.Min(w => w.FirstIdStillNeeded);

    public IReadOnlyList<RelayStatus> Status()
    {
        using var reader = new RelayStore(_databasePath);
        return _workers.Select(w => w.Status(reader)).ToList();
    }

    public RelayStatus? Status(string name)
    {
        RelayWorker? worker = _workers.FirstOrDefault(w => w.Name == name);
        if (worker is null)
        {
            return null;
        }

        using var reader = new RelayStore(_databasePath);
        return worker.Status(reader);
    }

    /// <summary>The newest dead letters of one relay, newest first; null for an unknown relay.</summary>
    public IReadOnlyList<DeadLetter>? DeadLetters(string name, int limit = 100)
    {
        if (_workers.All(w => w.Name != name))
        {
            return null;
        }

        using var reader = new RelayStore(_databasePath);
        return reader.ReadDeadLetters(name, limit);
    }

    public async ValueTask DisposeAsync()
    {
        foreach (RelayWorker worker in _workers)
        {
            await worker.DisposeAsync().ConfigureAwait(false);
        }
    }
}
