namespace SmartCommunity.Simulator.Hil;

using System;
using System.Collections.Generic;
using System.Device.Gpio;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Threading;

/// <summary>What one loopback jumper showed.</summary>
public enum LineVerdict
{
    /// <summary>The read line followed its drive line through every pattern.</summary>
    Ok,

    /// <summary>The read line stayed low: broken or missing jumper, or something holds it low.</summary>
    StuckLow,

    /// <summary>The read line stayed high: shorted to 3.3 V, or driven by something else.</summary>
    StuckHigh,

    /// <summary>The read line followed another drive line (swapped jumpers), or two lines are bridged.</summary>
    Crossed,

    /// <summary>The read line changed without a reason, or followed no drive line at all (a floating input).</summary>
    Unstable,

    /// <summary>A line of the jumper could not be opened (busy, or no such line on the chip).</summary>
    Error,
}

public sealed record JumperResult(HilJumper Jumper, LineVerdict Verdict, string Detail, IReadOnlyList<int> CrossedWith)
{
    public bool Passed => Verdict == LineVerdict.Ok;
}

/// <param name="Uncovered">Lines of the map's devices that no jumper includes: not checked, and not a fault.</param>
public sealed record LoopbackReport(IReadOnlyList<JumperResult> Results, IReadOnlyList<int> Uncovered)
{
    public bool Passed => Results.All(r => r.Passed);
}

/// <summary>
/// Checks the loopback jumpers of a pin map (hardware-docs/hil.md, "Checking the wiring"): every drive line is
/// opened as an output, every read line as an input (with the SoC's pull-down where the driver supports it, so a
/// broken jumper reads low instead of floating), and the drive lines are set to 2N + 2 patterns: all low, each one
/// high alone, all high, each one low alone. A good jumper's read line equals its drive line in every pattern; any
/// other reading is classified, and crossed lines name the line they follow. Each read is taken twice; readings that
/// differ mark the line unstable.
/// </summary>
public sealed class LoopbackCheck
{
    private readonly GpioController _controller;
    private readonly TimeSpan _settle;
    private readonly Action<TimeSpan> _wait;

    /// <param name="controller">The bench's chip; lines are opened and closed here, the controller stays open.</param>
    /// <param name="settle">How long to let the lines settle after each pattern (jumper capacitance, input filters).</param>
    /// <param name="wait">How to wait; tests pass a no-op with a zero settle time.</param>
    public LoopbackCheck(GpioController controller, TimeSpan settle, Action<TimeSpan>? wait = null)
    {
        _controller = controller;
        _settle = settle;
        _wait = wait ?? Thread.Sleep;
    }

    public LoopbackReport Run(HilPinMap map)
    {
        var results = new JumperResult?[map.Jumpers.Count];
        var usable = new List<int>();
        var opened = new List<(int Line, bool IsOutput)>();
        try
        {
            for (int i = 0; i < map.Jumpers.Count; i++)
            {
                HilJumper jumper = map.Jumpers[i];
                string? error = TryOpen(jumper.Drive, output: true, opened) ?? TryOpen(jumper.Read, output: false, opened);
                if (error is null)
                {
                    usable.Add(i);
                }
                else
                {
                    results[i] = new JumperResult(jumper, LineVerdict.Error, error, []);
                }
            }

            Probe(map, usable, results);
        }
        finally
        {
            foreach ((int line, bool isOutput) in opened)
            {
                CloseQuietly(line, isOutput);
            }
        }

        var covered = new HashSet<int>(map.Jumpers.SelectMany(j => new[] { j.Drive, j.Read }));
        int[] uncovered = map.Devices.SelectMany(d => d.Pins).Select(p => p.Line).Where(line => !covered.Contains(line)).Order().ToArray();
        return new LoopbackReport(results.Select(r => r!).ToArray(), uncovered);
    }

    private static string Lines(IEnumerable<int> lines) => string.Join(", ", lines.Select(l => l.ToString(CultureInfo.InvariantCulture)));

    private void Probe(HilPinMap map, List<int> usable, JumperResult?[] results)
    {
        int n = usable.Count;
        if (n == 0)
        {
            return;
        }

        // Patterns over the usable jumpers: [0] all low, [1..n] walking one, [n+1] all high, [n+2..2n+1] walking zero.
        var patterns = new List<bool[]> { new bool[n] };
        for (int j = 0; j < n; j++)
        {
            var one = new bool[n];
            one[j] = true;
            patterns.Add(one);
        }

        patterns.Add(Enumerable.Repeat(true, n).ToArray());
        for (int j = 0; j < n; j++)
        {
            bool[] zero = Enumerable.Repeat(true, n).ToArray();
            zero[j] = false;
            patterns.Add(zero);
        }

        var seen = new bool[patterns.Count, n];
        var unstable = new bool[n];
        for (int p = 0; p < patterns.Count; p++)
        {
            for (int j = 0; j < n; j++)
            {
                _controller.Write(map.Jumpers[usable[j]].Drive, patterns[p][j] ? PinValue.High : PinValue.Low);
            }

            if (_settle > TimeSpan.Zero)
            {
                _wait(_settle);
            }

            for (int i = 0; i < n; i++)
            {
                int read = map.Jumpers[usable[i]].Read;
                bool first = _controller.Read(read) == PinValue.High;
                bool second = _controller.Read(read) == PinValue.High;
                seen[p, i] = first;
                unstable[i] |= first != second;
            }
        }

        for (int i = 0; i < n; i++)
        {
            results[usable[i]] = Classify(map, usable, patterns, seen, unstable[i], i);
        }
    }

    private static JumperResult Classify(HilPinMap map, List<int> usable, List<bool[]> patterns, bool[,] seen, bool unstable, int i)
    {
        HilJumper jumper = map.Jumpers[usable[i]];
        int n = usable.Count;
        string drive = map.Describe(jumper.Drive);
        bool Follows(int j) => Enumerable.Range(0, patterns.Count).All(p => seen[p, i] == patterns[p][j]);

        if (unstable)
        {
            return new JumperResult(jumper, LineVerdict.Unstable, "two reads in a row differed: a floating input or a loose jumper", []);
        }

        if (Follows(i))
        {
            return new JumperResult(jumper, LineVerdict.Ok, "follows its drive line in every pattern", []);
        }

        bool allLow = Enumerable.Range(0, patterns.Count).All(p => !seen[p, i]);
        bool allHigh = Enumerable.Range(0, patterns.Count).All(p => seen[p, i]);
        if (allLow)
        {
            return new JumperResult(jumper, LineVerdict.StuckLow, $"reads low whatever {drive} drives: broken or missing jumper, or the line is held low", []);
        }

        if (allHigh)
        {
            return new JumperResult(jumper, LineVerdict.StuckHigh, $"reads high whatever {drive} drives: shorted to 3.3 V, or another output drives it", []);
        }

        for (int j = 0; j < n; j++)
        {
            if (j != i && Follows(j))
            {
                int other = map.Jumpers[usable[j]].Drive;
                return new JumperResult(jumper, LineVerdict.Crossed, $"follows {map.Describe(other)} instead of {drive}: jumpers swapped or on the wrong pin", [other]);
            }
        }

        // Which drive lines change this reading when they alone move (from all low, and from all high)?
        int[] influencers = Enumerable.Range(0, n)
            .Where(j => seen[0, i] != seen[1 + j, i] || seen[n + 1, i] != seen[n + 2 + j, i])
            .ToArray();
        int[] others = influencers.Where(j => j != i).Select(j => map.Jumpers[usable[j]].Drive).ToArray();
        if (others.Length > 0)
        {
            string how = influencers.Contains(i)
                ? $"follows {drive} but also line {Lines(others)}: lines bridged"
                : $"follows line {Lines(others)}, not {drive}";
            return new JumperResult(jumper, LineVerdict.Crossed, how, others);
        }

        return new JumperResult(jumper, LineVerdict.Unstable, $"does not follow {drive} or any other drive line", []);
    }

    private string? TryOpen(int line, bool output, List<(int Line, bool IsOutput)> opened)
    {
        try
        {
            if (output)
            {
                _controller.OpenPin(line, PinMode.Output, PinValue.Low);
            }
            else
            {
                PinMode mode = _controller.IsPinModeSupported(line, PinMode.InputPullDown) ? PinMode.InputPullDown : PinMode.Input;
                _controller.OpenPin(line, mode);
            }

            opened.Add((line, output));
            return null;
        }
        catch (Exception ex) when (ex is IOException or InvalidOperationException or ArgumentException or UnauthorizedAccessException)
        {
            return $"cannot open line {line} as {(output ? "an output" : "an input")}: {ex.Message}";
        }
    }

    private void CloseQuietly(int line, bool isOutput)
    {
        try
        {
            if (isOutput)
            {
                _controller.Write(line, PinValue.Low);
            }

            _controller.ClosePin(line);
        }
        catch (Exception ex) when (ex is IOException or InvalidOperationException)
        {
            // Closing is best effort; the controller's disposal releases whatever is left.
        }
    }
}
