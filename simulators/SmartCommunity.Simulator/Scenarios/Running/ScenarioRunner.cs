namespace SmartCommunity.Simulator.Scenarios.Running;

using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using SmartCommunity.Simulator.Scenarios.Expectations;
using SmartCommunity.Simulator.Scenarios.Stimuli;

/// <summary>
/// Runs a loaded <see cref="Scenario"/> in virtual time: starts the world, then tick by tick applies the steps that are
/// due, connects and steps the devices, lets the system settle, and evaluates every open expectation; short ticks while
/// anything happens, growing ticks while nothing does, and always a tick exactly on each step and each deadline.
/// </summary>
public sealed class ScenarioRunner(ScenarioRunOptions? options = null)
{
    private readonly ScenarioRunOptions _options = options ?? new ScenarioRunOptions();

    public async Task<ScenarioResult> RunAsync(Scenario scenario, CancellationToken cancel = default)
    {
        var real = Stopwatch.StartNew();
        var results = new List<ExpectationResult>();
        var open = new List<OpenExpectation>();
        ScenarioWorld? world = null;
        string? error = null;
        try
        {
            world = await ScenarioWorld.StartAsync(scenario, _options, cancel);
            await RunTimelineAsync(world, scenario, open, results, real, cancel);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancel.IsCancellationRequested)
        {
            error = ex is ScenarioRunException ? ex.Message : $"{ex.GetType().Name}: {ex.Message}";
        }
        finally
        {
            if (world is not null)
            {
                // Always-on checks of the simulated hardware (a barrier never closes on a vehicle), whatever the steps ask.
                results.AddRange(BarrierExpectations.SafetyResults(world));
                await world.DisposeAsync();
            }
        }

        TimeSpan end = world?.Now ?? TimeSpan.Zero;
        foreach (OpenExpectation expectation in open)
        {
            results.Add(expectation.Result(false, null, $"not decided: the run stopped at {ScenarioTime.Format(end)} ({error ?? "cancelled"})"));
        }

        return new ScenarioResult(scenario.Name, scenario.File, results.OrderBy(r => r.StepAt).ThenBy(r => r.Line).ToList(), end, real.Elapsed,
            world?.Statistics.Ticks ?? 0, world?.Statistics.Timeouts.ToList() ?? [], error);
    }

    private async Task RunTimelineAsync(ScenarioWorld world, Scenario scenario, List<OpenExpectation> open, List<ExpectationResult> results, Stopwatch real,
        CancellationToken cancel)
    {
        ScenarioTiming timing = scenario.Timing;
        TimeSpan tick = timing.Tick;
        int next = 0;
        while (true)
        {
            cancel.ThrowIfCancellationRequested();
            if (real.Elapsed > _options.RealTimeLimit)
            {
                throw new ScenarioRunException($"the run took longer than {ScenarioTime.Format(_options.RealTimeLimit)} of real time");
            }

            TimeSpan now = world.Now;
            bool acted = false;
            while (next < scenario.Steps.Count && scenario.Steps[next].At <= now)
            {
                await ApplyStepAsync(world, scenario.Steps[next], open, results, cancel);
                next++;
                acted = true;
            }

            int connected = await world.ConnectDueAsync(cancel);
            int moved = world.StepDevices();
            moved += await world.SettleAsync(cancel);
            await EvaluateAsync(world, now, open, results, cancel);
            bool edgeMoved = world.TakeEdgeActivity();
            bool busy = acted || connected > 0 || moved > 0 || edgeMoved;

            if (next >= scenario.Steps.Count && open.Count == 0 && now >= scenario.End)
            {
                return;
            }

            // Short ticks while anything happens; while nothing does, each tick twice the last, up to the idle tick. A
            // tick always lands on the next step and on every deadline and window end, so each is judged exactly then.
            tick = busy ? timing.Tick : TimeSpan.FromTicks(Math.Min(tick.Ticks * 2, timing.IdleTick.Ticks));
            TimeSpan target = now + tick;
            if (next < scenario.Steps.Count && scenario.Steps[next].At < target)
            {
                target = scenario.Steps[next].At;
            }

            foreach (OpenExpectation expectation in open)
            {
                if (expectation.Definition.Until > now && expectation.Definition.Until < target)
                {
                    target = expectation.Definition.Until;
                }
            }

            if (scenario.End > now && scenario.End < target)
            {
                target = scenario.End;
            }

            world.AdvanceTo(target);
        }
    }

    private async Task ApplyStepAsync(ScenarioWorld world, ScenarioStep step, List<OpenExpectation> open, List<ExpectationResult> results, CancellationToken cancel)
    {
        // Expectations begin before the stimuli, so a baseline (refused so far) does not already include the step's own effect.
        long startedReal = Stopwatch.GetTimestamp();
        var window = new ExpectationWindow(step.At, ScenarioWorld.Epoch + step.At);
        foreach (ExpectationDefinition definition in step.Expectations)
        {
            open.Add(new OpenExpectation(definition, definition.Check.Begin(world, window), startedReal));
        }

        foreach (BoundStimulus stimulus in step.Actions)
        {
            _options.Progress?.Invoke($"{ScenarioTime.Format(step.At),9}  {stimulus.Action.Describe()}");
            var context = new StimulusContext(step, stimulus);
            await stimulus.Action.ApplyAsync(world, context, cancel);
            foreach (StimulusCheck check in context.Checks)
            {
                results.Add(new ExpectationResult(stimulus.Line, step.At, stimulus.Name, check.What, check.Held, step.At, check.Detail));
            }
        }
    }

    private static async Task EvaluateAsync(ScenarioWorld world, TimeSpan now, List<OpenExpectation> open, List<ExpectationResult> results, CancellationToken cancel)
    {
        for (int i = open.Count - 1; i >= 0; i--)
        {
            ExpectationResult? result = await open[i].EvaluateAsync(world, now, cancel);
            if (result is not null)
            {
                results.Add(result);
                open.RemoveAt(i);
            }
        }
    }

    /// <summary>An expectation between its step and its verdict.</summary>
    private sealed class OpenExpectation(ExpectationDefinition definition, IExpectationEvaluator evaluator, long startedReal)
    {
        private string _lastSeen = "";

        public ExpectationDefinition Definition => definition;

        public async Task<ExpectationResult?> EvaluateAsync(ScenarioWorld world, TimeSpan now, CancellationToken cancel)
        {
            Observation seen;
            try
            {
                seen = await evaluator.CheckAsync(world, now, cancel);
            }
            catch (Exception ex) when (ex is not OutOfMemoryException and not OperationCanceledException)
            {
                seen = new Observation(false, $"the check could not look ({ex.GetType().Name}: {ex.Message})");
            }

            if (definition.Mode == ExpectationMode.Throughout)
            {
                // A window is [start, start + for): at its end tick the next step may already have acted (a reset at
                // the end of a "stays released" window), so it is judged on the ticks before.
                if (now >= definition.Until && now > definition.Start)
                {
                    return Result(true, now, $"held until {ScenarioTime.Format(now)}: {_lastSeen}");
                }

                if (!seen.Holds)
                {
                    return Result(false, now, $"broken at {ScenarioTime.Format(now)}: {seen.What}");
                }

                _lastSeen = seen.What;
                return null;
            }

            if (seen.Holds)
            {
                return RealTimeVerdict(world, now, seen);
            }

            return now >= definition.Until
                ? Result(false, now, $"not met by {ScenarioTime.Format(definition.Until)}: {seen.What}")
                : null;
        }

        public ExpectationResult Result(bool held, TimeSpan? at, string detail, TimeSpan? realTime = null) =>
            new(definition.Line, definition.Start, definition.Kind, definition.Describe(), held, at, detail, realTime);

        private ExpectationResult RealTimeVerdict(ScenarioWorld world, TimeSpan now, Observation seen)
        {
            if (definition.RealTime is not { } limit)
            {
                return Result(true, now, $"met at {ScenarioTime.Format(now)}: {seen.What}");
            }

            long from = startedReal;
            if (limit.FromDevice is { } device)
            {
                DeviceReport? trigger = world.Recorder.ReportsFrom(device, definition.Start).FirstOrDefault(r => r.EventName == limit.FromEvent);
                if (trigger is null)
                {
                    return Result(false, now, $"met at {ScenarioTime.Format(now)}, but {device} never sent '{limit.FromEvent}', so the real-time clock never started");
                }

                from = trigger.RealTimestamp;
            }

            TimeSpan took = Stopwatch.GetElapsedTime(from, seen.RealTimestamp ?? Stopwatch.GetTimestamp());
            if (took < TimeSpan.Zero)
            {
                // The condition already held before the clock started (nothing had to happen).
                took = TimeSpan.Zero;
            }

            string tookText = $"{took.TotalMilliseconds:F1} ms real time";
            return took <= limit.Within
                ? Result(true, now, $"met at {ScenarioTime.Format(now)} after {tookText}: {seen.What}", took)
                : Result(false, now, $"met at {ScenarioTime.Format(now)}, but after {tookText}; allowed {ScenarioTime.Format(limit.Within)}", took);
        }
    }
}
