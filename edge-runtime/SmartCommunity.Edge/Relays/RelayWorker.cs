namespace SmartCommunity.Edge.Relays;

using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.Logging;
using Polly;
using Polly.Retry;
using SmartCommunity.Edge.Storage;

/// <summary>
/// Drives one relay: reads the outbox (the events table) after the relay's cursor, Priority lane first, hands
/// batches to the relay, and moves the cursor only over what the backend accepted, dead-lettered or compacted rows
/// (at least once). A failed attempt is retried by a Polly pipeline with exponential backoff and jitter; every
/// retry reads the lanes again, so an alarm committed during an outage goes out first when the backend returns.
/// A call record the edge addressed to another relay is passed over (hardware-docs/emergency-calls.md).
/// </summary>
internal sealed partial class RelayWorker : IAsyncDisposable
{
    private const int MaxAttemptsPerSeries = 500;

    private static readonly EventLane[] Lanes = [EventLane.Priority, EventLane.Bulk];

    private readonly RelayRegistration _registration;
    private readonly IRelay _relay;
    private readonly RelayDeliveryOptions _options;
    private readonly string _edgeId;
    private readonly RelayStore _store;
    private readonly Func<long> _changes;
    private readonly TimeSpan _pollInterval;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly ResiliencePipeline<StepResult> _pipeline;
    private readonly CancellationTokenSource _stop = new();
    private readonly object _statusLock = new();

    // Per lane (index = EventLane): every row of the lane with an id up to this is done. Persisted in relay_cursor
    // whenever delivery moves it; stretches with no row of the lane move it in memory only.
    private readonly long[] _done;
    private readonly Suspect?[] _suspects = new Suspect?[2];

    private TaskCompletionSource _wake = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Task? _loop;
    private long _delivered;
    private long _retried;
    private long _failedAttempts;
    private long _deadLettered;
    private long _dropped;
    private RelayState _state = RelayState.Starting;
    private DateTimeOffset _stateSince;
    private string? _lastError;
    private DateTimeOffset? _lastErrorAt;
    private DateTimeOffset? _nextAttemptAt;
    private DateTimeOffset? _lastDeliveredAt;

    public RelayWorker(RelayRegistration registration, string edgeId, string databasePath, Func<long>? changes, TimeSpan pollInterval, TimeProvider time, ILogger logger)
    {
        _registration = registration;
        _relay = registration.Relay;
        _options = registration.Delivery;
        _edgeId = edgeId;
        _store = new RelayStore(databasePath);
        _changes = changes ?? _store.MaxEventId;
        _pollInterval = pollInterval;
        _time = time;
        _logger = logger;
        _done = _store.LoadCursors(_relay.Name);
        _deadLettered = _store.CountDeadLetters(_relay.Name);
        _stateSince = time.GetUtcNow();
        _pipeline = new ResiliencePipelineBuilder<StepResult> { TimeProvider = time }
            .AddRetry(new RetryStrategyOptions<StepResult>
            {
                ShouldHandle = args => ValueTask.FromResult(args.Outcome switch
                {
                    { Exception: OperationCanceledException } when args.Context.CancellationToken.IsCancellationRequested => false,
                    { Exception: not null } => true,
                    { Result: StepResult.Failed } => true,
                    _ => false,
                }),
                // Not int.MaxValue: Polly's jittered exponential is computed from 2^attempt and overflows past ~1000
                // attempts. After this many (hours at the longest pause) the loop waits one longest pause and starts
                // a fresh series.
                MaxRetryAttempts = MaxAttemptsPerSeries,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = _options.BackoffInitial,
                MaxDelay = _options.BackoffMax,
                OnRetry = args =>
                {
                    OnRetry(args.Outcome.Exception, args.AttemptNumber, args.RetryDelay);
                    return default;
                },
            })
            .AddTimeout(_options.AttemptTimeout)
            .Build();
    }

    public string Name => _relay.Name;

    /// <summary>The smallest event id this relay still needs, over both lanes.</summary>
    public long FirstIdStillNeeded => Math.Min(Interlocked.Read(ref _done[0]), Interlocked.Read(ref _done[1])) + 1;

    public void Start() => _loop ??= Task.Run(RunAsync);

    /// <summary>Wakes the drain loop now instead of at its next poll.</summary>
    public void Notify() => Volatile.Read(ref _wake).TrySetResult();

    public RelayStatus Status(RelayStore reader)
    {
        long priority = Interlocked.Read(ref _done[(int)EventLane.Priority]);
        long bulk = Interlocked.Read(ref _done[(int)EventLane.Bulk]);
        var priorityLane = new RelayLaneStatus(priority, reader.CountPending(Name, EventLane.Priority, priority));
        var bulkLane = new RelayLaneStatus(bulk, reader.CountPending(Name, EventLane.Bulk, bulk));
        lock (_statusLock)
        {
            return new RelayStatus(Name, _registration.Kind, _registration.Target, _state, _stateSince, _lastError, _lastErrorAt,
                _state == RelayState.BackingOff ? _nextAttemptAt : null, _lastDeliveredAt, priorityLane, bulkLane,
                Interlocked.Read(ref _delivered), Interlocked.Read(ref _retried), Interlocked.Read(ref _failedAttempts),
                Interlocked.Read(ref _deadLettered), Interlocked.Read(ref _dropped));
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        if (_loop is not null)
        {
            await _loop.ConfigureAwait(false);
        }

        await _relay.DisposeAsync().ConfigureAwait(false);
        _store.Dispose();
        _stop.Dispose();
    }

    private async Task RunAsync()
    {
        CancellationToken stopping = _stop.Token;
        while (!stopping.IsCancellationRequested)
        {
            long seen = _changes();
            StepResult result;
            try
            {
                result = await _pipeline.ExecuteAsync(StepAsync, stopping).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                break;
            }
            catch (Exception ex)
            {
                // The last attempt of a series failed with an exception (or the loop has a bug): keep the relay alive.
                RecordFailure(ex.Message);
                LogLoopFailed(_logger, Name, ex);
                result = StepResult.Failed;
            }

            if (result == StepResult.Progress)
            {
                continue;
            }

            try
            {
                await WaitForWorkAsync(seen, result == StepResult.Failed ? _options.BackoffMax : TimeSpan.Zero, stopping).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                break;
            }
        }

        SetState(RelayState.Stopped);
    }

    /// <summary>Returns once the event log has committed something since <paramref name="seen"/> or <see cref="Notify"/> was called.</summary>
    private async Task WaitForWorkAsync(long seen, TimeSpan atLeast, CancellationToken stopping)
    {
        if (atLeast > TimeSpan.Zero)
        {
            await Task.Delay(atLeast, _time, stopping).ConfigureAwait(false);
        }

        while (_changes() == seen)
        {
            Task wake = Volatile.Read(ref _wake).Task;
            if (!wake.IsCompleted)
            {
                await Task.WhenAny(wake, Task.Delay(_pollInterval, _time, stopping)).ConfigureAwait(false);
                stopping.ThrowIfCancellationRequested();
            }

            if (wake.IsCompleted)
            {
                Interlocked.Exchange(ref _wake, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
                return;
            }
        }
    }

    /// <summary>One attempt: the first lane with rows to send gets one batch. Polly retries it while it returns Failed.</summary>
    private async ValueTask<StepResult> StepAsync(CancellationToken cancellationToken)
    {
        long upTo = _store.MaxEventId();
        foreach (EventLane lane in Lanes)
        {
            long done = Interlocked.Read(ref _done[(int)lane]);
            if (done >= upTo)
            {
                continue;
            }

            List<RelayRow> rows = _store.ReadBatch(Name, lane, done, upTo, _options.BatchSize);
            if (rows.Count == 0)
            {
                Interlocked.Exchange(ref _done[(int)lane], upTo);
                continue;
            }

            return await DeliverLaneAsync(lane, rows, rows.Count < _options.BatchSize ? upTo : rows[^1].Id, cancellationToken).ConfigureAwait(false);
        }

        return StepResult.Idle;
    }

    private async Task<StepResult> DeliverLaneAsync(EventLane lane, List<RelayRow> rows, long laneEnd, CancellationToken cancellationToken)
    {
        // Retention compacts old Bulk rows by emptying their payload when the disk budget is reached: nothing is left
        // to send, so they are skipped and counted as dropped.
        var messages = new List<RelayMessage>(rows.Count);
        foreach (RelayRow row in rows)
        {
            if (!IsCompacted(lane, row) && !IsAddressedElsewhere(row))
            {
                messages.Add(new RelayMessage(row.Id, RelayMessage.KeyFor(_edgeId, row.Id, row.Source, row.Boot, row.Sequence), _edgeId, lane,
                    row.At, row.Site, row.Building, row.Source, row.Channel, row.Name, row.Sequence, row.Boot, row.Payload));
            }
        }

        IReadOnlyList<DeliveryOutcome> outcomes = messages.Count == 0 ? [] : await DeliverAsync(messages, cancellationToken).ConfigureAwait(false);

        long done = Interlocked.Read(ref _done[(int)lane]);
        long newDone = done;
        bool contiguous = true;
        bool othersDelivered = false;
        int delivered = 0, dropped = 0, retried = 0, next = 0;
        RelayMessage? firstRetry = null;
        string? retryReason = null;
        var deadLetters = new List<DeadLetter>();
        DateTimeOffset now = _time.GetUtcNow();
        foreach (RelayRow row in rows)
        {
            if (IsCompacted(lane, row))
            {
                if (contiguous)
                {
                    newDone = row.Id;
                    dropped++;
                }

                continue;
            }

            if (IsAddressedElsewhere(row))
            {
                // Another relay's (an emergency call dispatched to it): done here, like a row that was never there.
                if (contiguous)
                {
                    newDone = row.Id;
                }

                continue;
            }

            RelayMessage message = messages[next];
            DeliveryOutcome outcome = outcomes[next++];
            switch (outcome.Result)
            {
                case DeliveryResult.Delivered:
                    othersDelivered = true;
                    if (contiguous)
                    {
                        newDone = row.Id;
                        delivered++;
                    }
                    else
                    {
                        // Accepted, but after a message that was not: it goes again with that one, so order per device
                        // holds for what the cursor passed. The key lets the backend drop the second copy.
                        retried++;
                    }

                    break;
                case DeliveryResult.Refused:
                    deadLetters.Add(Letter(message, outcome.Reason ?? "refused by the backend", Attempts(lane, message) + 1, now));
                    if (contiguous)
                    {
                        newDone = row.Id;
                    }

                    break;
                default:
                    if (firstRetry is null)
                    {
                        firstRetry = message;
                        retryReason = outcome.Reason ?? "not accepted";
                    }

                    contiguous = false;
                    retried++;
                    break;
            }
        }

        if (contiguous)
        {
            newDone = Math.Max(newDone, laneEnd);
        }

        if (firstRetry is null)
        {
            _suspects[(int)lane] = null;
        }
        else
        {
            // A strike only when the backend demonstrably took other messages in the same attempt: a failure of the
            // whole batch is an outage (or a backend that cannot say which item it dislikes), never a reason to drop.
            int attempts = Attempts(lane, firstRetry) + (othersDelivered ? 1 : 0);
            if (othersDelivered && attempts >= _options.DeadLetterAfter)
            {
                deadLetters.Add(Letter(firstRetry, $"not accepted in {attempts} attempts while the backend accepted other messages; last: {retryReason}", attempts, now));
                _suspects[(int)lane] = null;
            }
            else
            {
                _suspects[(int)lane] = new Suspect(firstRetry.Id, attempts);
            }
        }

        _store.Commit(Name, lane, newDone > done ? newDone : null, deadLetters, now);
        Interlocked.Exchange(ref _done[(int)lane], newDone);
        Interlocked.Add(ref _delivered, delivered);
        Interlocked.Add(ref _dropped, dropped);
        Interlocked.Add(ref _retried, retried);
        Interlocked.Add(ref _deadLettered, deadLetters.Count);
        foreach (DeadLetter letter in deadLetters)
        {
            LogDeadLettered(_logger, Name, letter.Key, letter.EventId, letter.Reason);
        }

        bool progress = newDone > done || deadLetters.Count > 0;
        if (delivered > 0)
        {
            lock (_statusLock)
            {
                _lastDeliveredAt = now;
            }
        }

        if (firstRetry is not null)
        {
            RecordFailure(retryReason!);
            return progress ? StepResult.Progress : StepResult.Failed;
        }

        RecordSuccess();
        return StepResult.Progress;
    }

    private async Task<IReadOnlyList<DeliveryOutcome>> DeliverAsync(List<RelayMessage> messages, CancellationToken cancellationToken)
    {
        try
        {
            IReadOnlyList<DeliveryOutcome> outcomes = await _relay.DeliverAsync(messages, cancellationToken).ConfigureAwait(false);
            return outcomes.Count == messages.Count
                ? outcomes
                : throw new InvalidOperationException($"relay '{Name}' returned {outcomes.Count} outcomes for {messages.Count} messages");
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            // Cancellation is rethrown: Polly's timeout turns it into a failed attempt, a stop ends the loop.
            return Enumerable.Repeat(DeliveryOutcome.RetryLater(ex.Message), messages.Count).ToArray();
        }
    }

    private static bool IsCompacted(EventLane lane, RelayRow row) => lane == EventLane.Bulk && row.Payload.Length == 0;

    /// <summary>
    /// A call record the edge addressed to one relay (payload field "to"; hardware-docs/emergency-calls.md) that is
    /// not this one. Only the edge's own call records can be addressed: no device publishes on that channel, and
    /// those rows carry sequence 0; every other row goes to every relay.
    /// </summary>
    private bool IsAddressedElsewhere(RelayRow row)
    {
        if (row.Channel != Calls.CallRecords.Channel || row.Sequence != 0)
        {
            return false;
        }

        try
        {
            using var document = System.Text.Json.JsonDocument.Parse(row.Payload);
            return document.RootElement.ValueKind == System.Text.Json.JsonValueKind.Object
                && document.RootElement.TryGetProperty(Calls.CallRecords.AddressField, out System.Text.Json.JsonElement to)
                && to.ValueKind == System.Text.Json.JsonValueKind.String
                && to.GetString() != Name;
        }
        catch (System.Text.Json.JsonException)
        {
            return false;
        }
    }

    private int Attempts(EventLane lane, RelayMessage message) => _suspects[(int)lane] is { } s && s.Id == message.Id ? s.Attempts : 0;

    private static DeadLetter Letter(RelayMessage message, string reason, int attempts, DateTimeOffset now)
    {
        using var envelope = System.Text.Json.JsonDocument.Parse(message.ToEnvelope());
        return new DeadLetter(message.Id, RelayMessage.LaneName(message.Lane), message.Key, message.Source, message.Channel, reason, attempts, now,
            envelope.RootElement.Clone());
    }

    private void RecordSuccess()
    {
        RelayState previous;
        lock (_statusLock)
        {
            previous = _state;
            if (_state != RelayState.Connected)
            {
                _state = RelayState.Connected;
                _stateSince = _time.GetUtcNow();
            }
        }

        if (previous == RelayState.BackingOff)
        {
            LogRecovered(_logger, Name);
        }
    }

    private void RecordFailure(string reason)
    {
        lock (_statusLock)
        {
            _lastError = reason;
            _lastErrorAt = _time.GetUtcNow();
        }
    }

    private void OnRetry(Exception? exception, int attempt, TimeSpan delay)
    {
        Interlocked.Increment(ref _failedAttempts);
        if (exception is not null)
        {
            RecordFailure(exception is Polly.Timeout.TimeoutRejectedException
                ? $"the attempt took longer than {_options.AttemptTimeout.TotalSeconds:F0} s"
                : exception.Message);
        }

        bool entered;
        string? error;
        lock (_statusLock)
        {
            entered = _state != RelayState.BackingOff;
            if (entered)
            {
                _state = RelayState.BackingOff;
                _stateSince = _time.GetUtcNow();
            }

            _nextAttemptAt = _time.GetUtcNow() + delay;
            error = _lastError;
        }

        if (entered)
        {
            LogBackingOff(_logger, Name, error ?? "?");
        }
        else
        {
            LogRetrying(_logger, Name, attempt + 1, delay.TotalMilliseconds, error ?? "?");
        }
    }

    private void SetState(RelayState state)
    {
        lock (_statusLock)
        {
            _state = state;
            _stateSince = _time.GetUtcNow();
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Relay {Relay} is backing off: {Error}")]
    private static partial void LogBackingOff(ILogger logger, string relay, string error);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Relay {Relay}: attempt {Attempt} in {DelayMs:F0} ms ({Error})")]
    private static partial void LogRetrying(ILogger logger, string relay, int attempt, double delayMs, string error);

    [LoggerMessage(Level = LogLevel.Information, Message = "Relay {Relay} delivers again")]
    private static partial void LogRecovered(ILogger logger, string relay);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Relay {Relay} dead-lettered {Key} (event {EventId}): {Reason}")]
    private static partial void LogDeadLettered(ILogger logger, string relay, string key, long eventId, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "Relay {Relay}: a series of delivery attempts ended in an error; it starts a new one after the longest pause")]
    private static partial void LogLoopFailed(ILogger logger, string relay, Exception exception);

    private sealed record Suspect(long Id, int Attempts);
}

internal enum StepResult
{
    Idle,
    Progress,
    Failed,
}
