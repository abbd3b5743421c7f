namespace SmartCommunity.Edge.Metering;

using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.Logging;
using SmartCommunity.Edge.Alerts;
using SmartCommunity.Protocol.MBus;

/// <summary>
/// The M-Bus master of one bus (hardware-docs/mbus-master.md): one serial line, one request at a time (the bus is
/// half duplex), each meter read on its own schedule. A read-out is SND_NKE when the link needs a reset (or, for a
/// meter addressed by secondary address, a broadcast SND_NKE and the selection), then REQ_UD2 with the meter's FCB,
/// repeated with the toggled FCB while the meter says more records follow. A request without a usable answer is
/// repeated with the same FCB; after the retries the poll fails, and after <see cref="MBusMasterOptions.AlertAfter"/>
/// failed polls in a row the meter is unreachable and an alert is raised, cleared when it answers again. The register
/// goes to <see cref="MeterBook.RecordReadingAsync"/> exactly. A missing serial device is retried; nothing here stops the edge.
/// </summary>
public sealed partial class MBusMaster : IAsyncDisposable
{
    public const string UnreachableAlert = "mbus-meter-unreachable";
    public const string Source = "mbus";

    /// <summary>The name the master clears its own alerts under.</summary>
    public const string ClearedBy = "mbus-master";

    private readonly MbusBus _bus;
    private readonly string _building;
    private readonly MeterBook _book;
    private readonly Func<MbusBus, IMBusLine> _open;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly MBusMasterOptions _options;
    private readonly MBusTimings _timings;
    private readonly List<MBusMeterState> _meters;
    private readonly Lock _gate = new();
    private readonly CancellationTokenSource _stop = new();
    private IMBusLine? _line;
    private MBusTransceiver? _transceiver;
    private Task? _loop;
    private long _openFailures;
    private long _lineFailures;
    private string? _lastOpenError;
    private long _waitingUntilTicks;

    /// <param name="meters">The meters of the layout; those on this bus are polled.</param>
    /// <param name="open">Opens the bus's line; <see cref="SerialMBusLine.Open"/> in production.</param>
    public MBusMaster(MbusBus bus, string building, IEnumerable<MeterDefinition> meters, MeterBook book, Func<MbusBus, IMBusLine> open, TimeProvider time, ILogger logger, MBusMasterOptions? options = null)
    {
        _bus = bus;
        _building = building;
        _book = book;
        _open = open;
        _time = time;
        _logger = logger;
        _options = options ?? new MBusMasterOptions();
        _timings = _options.Timings ?? MBusTimings.For(bus.Baud);
        _meters = meters
            .Where(m => m.Building == building && m.Source is MbusSource s && s.Bus == bus.Id)
            .Select(m => new MBusMeterState(m, (MbusSource)m.Source))
            .ToList();
        DateTimeOffset now = time.GetUtcNow();
        foreach (MBusMeterState meter in _meters)
        {
            meter.NextPoll = now;
        }
    }

    /// <summary>Where an unreachable meter is reported; null: only logged and counted.</summary>
    public AlertBook? Alerts { get; init; }

    public MbusBus Bus => _bus;

    public string Building => _building;

    /// <summary>Polls finished on this bus since start, successful or not (for tests and the status page).</summary>
    public long Polls
    {
        get
        {
            lock (_gate)
            {
                return _meters.Sum(m => m.Polls);
            }
        }
    }

    /// <summary>
    /// True while the loop only waits for a poll or a reopen that is not due at <paramref name="now"/>: nothing of this
    /// bus is in flight (the simulator's runner waits for this after moving its clock).
    /// </summary>
    public bool IsIdleAt(DateTimeOffset now) => _meters.Count == 0 || _loop is null || _loop.IsCompleted || Interlocked.Read(ref _waitingUntilTicks) > now.UtcTicks;

    public void Start()
    {
        _loop ??= Task.Run(() => RunAsync(_stop.Token));
    }

    public MBusBusStatus Status()
    {
        lock (_gate)
        {
            return new MBusBusStatus(_building, _bus.Id, _bus.Port, _bus.Baud, _line is not null, _openFailures, _lastOpenError, _lineFailures,
                _meters.Select(m => m.Snapshot()).ToList());
        }
    }

    public MBusMeterStatus? Status(string meterId)
    {
        lock (_gate)
        {
            return _meters.FirstOrDefault(m => m.Meter.Id == meterId)?.Snapshot();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        if (_loop is not null)
        {
            try
            {
                await _loop.ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
            }
        }

        await CloseLineAsync().ConfigureAwait(false);
        _stop.Dispose();
    }

    private async Task RunAsync(CancellationToken stop)
    {
        if (_meters.Count == 0)
        {
            return;
        }

        while (!stop.IsCancellationRequested)
        {
            try
            {
                if (_line is null && !TryOpen())
                {
                    await WaitAsync(_options.OpenRetry, stop).ConfigureAwait(false);
                    continue;
                }

                MBusMeterState next = _meters.MinBy(m => m.NextPoll)!;
                TimeSpan wait = next.NextPoll - _time.GetUtcNow();
                if (wait > TimeSpan.Zero)
                {
                    await WaitAsync(wait, stop).ConfigureAwait(false);
                    continue;
                }

                await PollAsync(next, stop).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                // The serial device went away (a USB converter unplugged) or the driver failed: close, reopen, go on.
                lock (_gate)
                {
                    _lineFailures++;
                }

                LogLineFailed(_logger, _bus.Id, _bus.Port, ex);
                await CloseLineAsync().ConfigureAwait(false);
                foreach (MBusMeterState meter in _meters)
                {
                    meter.NeedsReset = true;
                }

                try
                {
                    await WaitAsync(_options.OpenRetry, stop).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }

    private async Task WaitAsync(TimeSpan wait, CancellationToken stop)
    {
        Interlocked.Exchange(ref _waitingUntilTicks, (_time.GetUtcNow() + wait).UtcTicks);
        try
        {
            await Task.Delay(wait, _time, stop).ConfigureAwait(false);
        }
        finally
        {
            Interlocked.Exchange(ref _waitingUntilTicks, 0);
        }
    }

    private bool TryOpen()
    {
        try
        {
            IMBusLine line = _open(_bus);
            lock (_gate)
            {
                _line = line;
                _transceiver = new MBusTransceiver(line, _timings);
                _lastOpenError = null;
            }

            foreach (MBusMeterState meter in _meters)
            {
                meter.NeedsReset = true;
            }

            LogOpened(_logger, _bus.Id, _bus.Port, _bus.Baud);
            return true;
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            long failures;
            lock (_gate)
            {
                failures = ++_openFailures;
                _lastOpenError = $"{ex.GetType().Name}: {ex.Message}";
            }

            // The first failure and then every tenth, so a missing converter does not flood the journal.
            if (failures == 1 || failures % 10 == 0)
            {
                LogOpenFailed(_logger, _bus.Id, _bus.Port, failures, _options.OpenRetry, ex.Message);
            }

            return false;
        }
    }

    private async Task CloseLineAsync()
    {
        IMBusLine? line;
        lock (_gate)
        {
            line = _line;
            _line = null;
            _transceiver = null;
        }

        if (line is not null)
        {
            try
            {
                await line.DisposeAsync().ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                LogLineFailed(_logger, _bus.Id, _bus.Port, ex);
            }
        }
    }

    private async Task PollAsync(MBusMeterState meter, CancellationToken stop)
    {
        DateTimeOffset started = _time.GetUtcNow();
        MBusTransceiver transceiver = _transceiver!;
        List<MBusRecord>? records;
        string? problem;
        try
        {
            (records, problem) = await ReadOutAsync(transceiver, meter, stop).ConfigureAwait(false);
        }
        finally
        {
            lock (_gate)
            {
                meter.Polls++;
                meter.LastPoll = started;
                meter.NextPoll = NextSlot(started, meter.Source.Every);
            }
        }

        if (records is null)
        {
            await FailedAsync(meter, problem!).ConfigureAwait(false);
            return;
        }

        await AnsweredAsync(meter).ConfigureAwait(false);
        MBusRegisterValue? register = MBusRegister.Choose(meter.Meter, records, out problem);
        if (register is null)
        {
            SetNoRegister(meter, problem!);
            return;
        }

        DateTimeOffset at = _time.GetUtcNow();
        string detail = $"{_bus.Id} {(meter.Secondary is null ? "primary " + meter.Address : "secondary " + meter.Source.SecondaryAddress)} {register.Describe()}";
        ReadingOutcome outcome = await _book.RecordReadingAsync(meter.Meter.Id, at, register.Value, register.Unit, Source, detail).ConfigureAwait(false);
        if (outcome != ReadingOutcome.Stored)
        {
            SetNoRegister(meter, $"the meter book refused the reading ({outcome}); GET /meters shows why");
            return;
        }

        lock (_gate)
        {
            meter.Readings++;
            meter.LastReading = at;
            meter.LastValue = register.Value;
            meter.LastDetail = detail;
            meter.LastProblem = null;
            meter.State = MBusMeterStates.Ok;
        }
    }

    /// <summary>The records of one complete read-out (all telegrams merged), or null and why not.</summary>
    private async Task<(List<MBusRecord>? Records, string? Problem)> ReadOutAsync(MBusTransceiver transceiver, MBusMeterState meter, CancellationToken stop)
    {
        if (meter.Secondary is { } secondary)
        {
            if (meter.NeedsReset)
            {
                // Nobody answers a broadcast; it resets every meter's link and clears any selection.
                await transceiver.SendAsync(MBusFrameWriter.SndNke(MBusLink.AddressBroadcastNoReply), stop).ConfigureAwait(false);
                meter.FrameCountBit = true;
                meter.NeedsReset = false;
            }

            if (await RequestAsync(transceiver, meter, MBusFrameWriter.SelectSecondary(secondary), IsAck, stop).ConfigureAwait(false) is not { Answer: not null })
            {
                meter.NeedsReset = true;
                return (null, $"no acknowledgement of the selection of secondary address {meter.Source.SecondaryAddress}");
            }
        }
        else if (meter.NeedsReset)
        {
            if (await RequestAsync(transceiver, meter, MBusFrameWriter.SndNke(meter.Address), IsAck, stop).ConfigureAwait(false) is not { Answer: not null })
            {
                return (null, $"no acknowledgement of SND_NKE at primary address {meter.Address}");
            }

            meter.FrameCountBit = true;
            meter.NeedsReset = false;
        }

        var records = new List<MBusRecord>();
        for (int part = 1; ; part++)
        {
            var telegram = new MBusTelegram();
            string? decodeProblem = null;
            var result = await RequestAsync(transceiver, meter, MBusFrameWriter.ReqUd2(meter.Address, meter.FrameCountBit), answer => CheckResponse(answer, meter, telegram, out decodeProblem), stop).ConfigureAwait(false);
            if (result.Answer is null)
            {
                meter.NeedsReset = true;
                return (null, $"no usable answer to REQ_UD2 (telegram {part}): {result.Problem}");
            }

            // The meter took this request: the next one is new.
            meter.FrameCountBit = !meter.FrameCountBit;
            lock (_gate)
            {
                meter.Telegrams++;
                meter.Identification = telegram.Identification ?? meter.Identification;
                meter.Manufacturer = telegram.Manufacturer ?? meter.Manufacturer;
            }

            if (decodeProblem is not null)
            {
                return (null, $"telegram {part} does not decode: {decodeProblem}");
            }

            if (meter.Secondary is { } wanted && telegram.HasIdentification && !Matches(wanted.Identification, telegram.Identification))
            {
                meter.NeedsReset = true;
                return (null, $"meter {telegram.Identification} answered the selection of {wanted.Identification}");
            }

            records.AddRange(telegram.Records());
            if (!telegram.MoreRecordsFollow)
            {
                return (records, null);
            }

            if (part >= _options.MaxTelegrams)
            {
                meter.NeedsReset = true;
                return (null, $"the meter still had more records after {part} telegrams; the read-out was stopped");
            }
        }
    }

    private static bool Matches(string pattern, string? identification)
    {
        if (identification is null || identification.Length != pattern.Length)
        {
            return false;
        }

        for (int i = 0; i < pattern.Length; i++)
        {
            if (pattern[i] is not ('F' or 'f') && pattern[i] != identification[i])
            {
                return false;
            }
        }

        return true;
    }

    private static string? IsAck(MBusAnswer answer) => answer.FrameKind == MBusFrameKind.Ack ? null : $"a {answer.FrameKind} frame where E5 was due";

    // A frame that is sound at the link layer but not this meter's RSP_UD is treated like garbage (and retried);
    // one that is its RSP_UD but does not decode is taken (its FCB is spent) and reported through decodeProblem.
    private static string? CheckResponse(MBusAnswer answer, MBusMeterState meter, MBusTelegram telegram, out string? decodeProblem)
    {
        decodeProblem = null;
        byte[] bytes = answer.Bytes!;
        if (answer.FrameKind != MBusFrameKind.Long || (bytes[4] & 0x4F) != MBusLink.RspUd)
        {
            return $"a {answer.FrameKind} frame with C 0x{bytes[Math.Min(4, bytes.Length - 1)]:X2} where RSP_UD was due";
        }

        if (meter.Secondary is null && bytes[5] != meter.Address)
        {
            return $"RSP_UD from primary address {bytes[5]} where {meter.Address} was asked";
        }

        MBusError? error = MBusDecoder.DecodeFrame(bytes, 0, bytes.Length, telegram);
        decodeProblem = error?.ToString();
        return null;
    }

    private async Task<(MBusAnswer? Answer, string? Problem)> RequestAsync(MBusTransceiver transceiver, MBusMeterState meter, byte[] request, Func<MBusAnswer, string?> check, CancellationToken stop)
    {
        string? problem = null;
        for (int attempt = 0; attempt <= _timings.Retries; attempt++)
        {
            if (attempt > 0)
            {
                lock (_gate)
                {
                    meter.Retries++;
                }
            }

            MBusAnswer answer = await transceiver.ExchangeAsync(request, stop).ConfigureAwait(false);
            if (answer.Kind == MBusAnswerKind.Frame)
            {
                problem = check(answer);
                if (problem is null)
                {
                    return (answer, null);
                }
            }
            else
            {
                problem = answer.Problem;
            }

            lock (_gate)
            {
                if (answer.Kind == MBusAnswerKind.Silent)
                {
                    meter.Timeouts++;
                }
                else
                {
                    meter.Garbled++;
                }
            }

            LogAttemptFailed(_logger, meter.Meter.Id, _bus.Id, attempt + 1, problem!);
        }

        return (null, problem);
    }

    private async Task FailedAsync(MBusMeterState meter, string problem)
    {
        int failures;
        lock (_gate)
        {
            meter.FailedPolls++;
            failures = ++meter.ConsecutiveFailures;
            meter.LastProblem = problem;
            meter.State = failures >= _options.AlertAfter ? MBusMeterStates.Unreachable : MBusMeterStates.Failing;
        }

        LogPollFailed(_logger, meter.Meter.Id, meter.Describe(), failures, problem);
        if (failures == _options.AlertAfter && Alerts is not null)
        {
            Alert alert = await Alerts.RaiseAsync(UnreachableAlert, AlertSeverity.Warning,
                $"M-Bus meter {meter.Meter.Id} ({meter.Describe()}) has not answered {failures} polls in a row: {problem}. "
                + "Check its wiring to the bus, its address and the level converter; readings resume by themselves when it answers",
                meter.Meter.Id, _building).ConfigureAwait(false);
            lock (_gate)
            {
                meter.AlertId = alert.Id;
            }
        }
    }

    private async Task AnsweredAsync(MBusMeterState meter)
    {
        long? alertId;
        lock (_gate)
        {
            meter.ConsecutiveFailures = 0;
            alertId = meter.AlertId;
            meter.AlertId = null;
        }

        if (alertId is { } id && Alerts is not null)
        {
            LogRecovered(_logger, meter.Meter.Id, meter.Describe());
            await Alerts.ClearAsync(id, ClearedBy).ConfigureAwait(false);
        }
    }

    private void SetNoRegister(MBusMeterState meter, string problem)
    {
        lock (_gate)
        {
            meter.LastProblem = problem;
            meter.State = MBusMeterStates.NoRegister;
        }

        LogNoRegister(_logger, meter.Meter.Id, meter.Describe(), problem);
    }

    /// <summary>The next multiple of <paramref name="every"/> (counted from midnight UTC) after <paramref name="now"/>, so 15-minute readings fall on the quarter hours.</summary>
    internal static DateTimeOffset NextSlot(DateTimeOffset now, TimeSpan every)
    {
        long ticks = now.UtcTicks;
        long step = every.Ticks;
        return new DateTimeOffset(((ticks / step) + 1) * step, TimeSpan.Zero);
    }
}

/// <param name="Timings">Null: the standard timings for the bus's baud rate (<see cref="MBusTimings.For"/>).</param>
/// <param name="AlertAfter">Failed polls in a row after which a meter is unreachable and an alert is raised.</param>
/// <param name="OpenRetry">How long to wait before opening a missing or failed serial device again.</param>
/// <param name="MaxTelegrams">The most telegrams one read-out may take (a meter that never stops sending is cut off).</param>
public sealed record MBusMasterOptions(MBusTimings? Timings = null, int AlertAfter = 3, TimeSpan OpenRetry = default, int MaxTelegrams = 16)
{
    public TimeSpan OpenRetry { get; init; } = OpenRetry == default ? TimeSpan.FromMinutes(1) : OpenRetry;
}
