namespace SmartCommunity.Simulator.Load;

using System;
using System.Diagnostics;

/// <summary>
/// Follows one process's memory and CPU through a run, from /proc (<see cref="ProcStats"/>). <see cref="Sample"/> is
/// called about once a second; CPU percent is CPU time over wall time between two samples, in percent of one core.
/// Not thread-safe: one caller samples.
/// </summary>
public sealed class ResourceSampler(int? pid)
{
    private long _lastAt;
    private double _lastCpu;
    private long _windowStartAt;
    private double? _windowStartCpu;
    private long _windowEndAt;
    private double? _windowEndCpu;
    private bool _inWindow;

    public int? Pid { get; } = pid;

    public double? ConnectedMiB { get; private set; }

    public double? LastMiB { get; private set; }

    public double? LastCpuPercent { get; private set; }

    public double? PeakCpuPercent { get; private set; }

    public double? EndMiB { get; private set; }

    public double? PeakMiB { get; private set; }

    public double? EndCpuPercent { get; private set; }

    /// <summary>Takes a sample; returns false when the process cannot be read (gone, or no /proc).</summary>
    public bool Sample()
    {
        if (Pid is not { } id || !ProcStats.TryReadMemory(id, out ProcessMemory memory) || !ProcStats.TryReadCpuSeconds(id, out double cpu))
        {
            return false;
        }

        long now = Stopwatch.GetTimestamp();
        LastMiB = ProcStats.Mib(memory.ResidentBytes);
        PeakMiB = ProcStats.Mib(memory.PeakResidentBytes);
        if (_lastAt != 0)
        {
            double wall = Stopwatch.GetElapsedTime(_lastAt, now).TotalSeconds;
            if (wall > 0.2)
            {
                LastCpuPercent = Math.Round((cpu - _lastCpu) / wall * 100, 1);
                if (_inWindow)
                {
                    PeakCpuPercent = Math.Max(PeakCpuPercent ?? 0, LastCpuPercent.Value);
                }
            }
            else
            {
                return true;
            }
        }

        _lastAt = now;
        _lastCpu = cpu;
        return true;
    }

    /// <summary>Every device connected, load not started: the resident memory of a connected, idle site.</summary>
    public void MarkConnected()
    {
        if (Sample())
        {
            ConnectedMiB = LastMiB;
        }
    }

    public void StartWindow()
    {
        Sample();
        if (Pid is { } id && ProcStats.TryReadCpuSeconds(id, out double cpu))
        {
            _windowStartAt = Stopwatch.GetTimestamp();
            _windowStartCpu = cpu;
        }

        _inWindow = true;
    }

    public void EndWindow()
    {
        Sample();
        _inWindow = false;
        EndCpuPercent = LastCpuPercent;
        if (Pid is { } id && ProcStats.TryReadCpuSeconds(id, out double cpu))
        {
            _windowEndAt = Stopwatch.GetTimestamp();
            _windowEndCpu = cpu;
        }
    }

    /// <summary>After the drain: memory at the end of the run and the kernel's peak.</summary>
    public void MarkEnd()
    {
        if (Sample())
        {
            EndMiB = LastMiB;
        }
    }

    public MemoryFigures Memory => new(ConnectedMiB, EndMiB, PeakMiB);

    public CpuFigures Cpu
    {
        get
        {
            if (_windowStartCpu is not { } start || _windowEndCpu is not { } end)
            {
                return new CpuFigures(null, PeakCpuPercent, EndCpuPercent, null);
            }

            double wall = Stopwatch.GetElapsedTime(_windowStartAt, _windowEndAt).TotalSeconds;
            return new CpuFigures(wall > 0 ? Math.Round((end - start) / wall * 100, 1) : null, PeakCpuPercent, EndCpuPercent, Math.Round(end - start, 2));
        }
    }
}
