namespace SmartCommunity.Simulator.Load;

using System;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Runtime.InteropServices;

/// <summary>Resident memory of a process, from /proc/PID/status (proc(5): VmRSS now, VmHWM the peak since it started).</summary>
public sealed record ProcessMemory(long ResidentBytes, long PeakResidentBytes);

/// <summary>
/// What Linux says about a process and the machine, read from /proc (proc(5)). Every read is a Try: the process may
/// have exited, or the machine may not be Linux; the run then reports the figure as not measured.
/// </summary>
public static class ProcStats
{
    private static readonly Lazy<long> ClockTicks = new(ReadClockTicks);

    /// <summary>Units of utime and stime in /proc/PID/stat: sysconf(_SC_CLK_TCK), read with getconf (100 on Linux's usual builds).</summary>
    public static long ClockTicksPerSecond => ClockTicks.Value;

    public static bool TryReadMemory(int pid, out ProcessMemory memory)
    {
        memory = new ProcessMemory(0, 0);
        string[] lines;
        try
        {
            lines = File.ReadAllLines($"/proc/{pid.ToString(CultureInfo.InvariantCulture)}/status");
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return false;
        }

        long? rss = Kilobytes(lines, "VmRSS:");
        long? peak = Kilobytes(lines, "VmHWM:");
        if (rss is null || peak is null)
        {
            return false;
        }

        memory = new ProcessMemory(rss.Value * 1024, peak.Value * 1024);
        return true;
    }

    /// <summary>CPU time the process has used in user and kernel mode (utime + stime of /proc/PID/stat), in seconds.</summary>
    public static bool TryReadCpuSeconds(int pid, out double seconds)
    {
        seconds = 0;
        string stat;
        try
        {
            stat = File.ReadAllText($"/proc/{pid.ToString(CultureInfo.InvariantCulture)}/stat");
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return false;
        }

        // "pid (comm) state ppid ...": comm may hold spaces and parentheses, so count fields after the last ')'.
        // That rest starts with field 3 (state); utime is field 14 and stime field 15.
        int close = stat.LastIndexOf(')');
        if (close < 0)
        {
            return false;
        }

        string[] fields = stat[(close + 1)..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (fields.Length < 13
            || !long.TryParse(fields[11], NumberStyles.None, CultureInfo.InvariantCulture, out long utime)
            || !long.TryParse(fields[12], NumberStyles.None, CultureInfo.InvariantCulture, out long stime))
        {
            return false;
        }

        seconds = (utime + stime) / (double)ClockTicksPerSecond;
        return true;
    }

    /// <summary>
    /// The process listening on TCP <paramref name="port"/> on this machine, found as netstat does it: the socket's
    /// inode in /proc/net/tcp and tcp6, then the process holding a descriptor to that socket. Needs permission to read
    /// the other process's /proc/PID/fd (same user or root).
    /// </summary>
    public static bool TryFindListeningProcess(int port, out int pid)
    {
        pid = 0;
        string? inode = null;
        foreach (string table in new[] { "/proc/net/tcp", "/proc/net/tcp6" })
        {
            inode ??= ListeningInode(table, port);
        }

        if (inode is null)
        {
            return false;
        }

        string target = $"socket:[{inode}]";
        foreach (string process in SafeEnumerate(() => Directory.EnumerateDirectories("/proc")))
        {
            if (!int.TryParse(Path.GetFileName(process), NumberStyles.None, CultureInfo.InvariantCulture, out int candidate))
            {
                continue;
            }

            foreach (string descriptor in SafeEnumerate(() => Directory.EnumerateFileSystemEntries(Path.Combine(process, "fd"))))
            {
                string? link = null;
                try
                {
                    link = new FileInfo(descriptor).LinkTarget;
                }
                catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
                {
                }

                if (link == target)
                {
                    pid = candidate;
                    return true;
                }
            }
        }

        return false;
    }

    /// <summary>What the figures were measured on: they mean little without it.</summary>
    public static MachineFigures Machine()
    {
        string? model = null;
        long? memory = null;
        try
        {
            model = File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim();
            memory = Kilobytes(File.ReadAllLines("/proc/meminfo"), "MemTotal:") * 1024;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
        }

        return new MachineFigures(Environment.ProcessorCount, model, memory is { } bytes ? Mib(bytes) : null, RuntimeInformation.OSDescription,
            RuntimeInformation.FrameworkDescription, RuntimeInformation.ProcessArchitecture.ToString().ToLowerInvariant(), LoadAverage());
    }

    /// <summary>The 1-minute load average, the first field of /proc/loadavg.</summary>
    public static double? LoadAverage()
    {
        try
        {
            string[] fields = File.ReadAllText("/proc/loadavg").Split(' ');
            return double.TryParse(fields[0], NumberStyles.Float, CultureInfo.InvariantCulture, out double load) ? load : null;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    public static double Mib(long bytes) => Math.Round(bytes / (1024.0 * 1024.0), 1);

    private static long? Kilobytes(string[] lines, string key)
    {
        string? line = lines.FirstOrDefault(l => l.StartsWith(key, StringComparison.Ordinal));
        if (line is null)
        {
            return null;
        }

        // "VmRSS:\t   12345 kB": a tab, then padding spaces.
        string[] parts = line[key.Length..].Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
        return parts.Length > 0 && long.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out long kb) ? kb : null;
    }

    // /proc/net/tcp: "sl local_address rem_address st ... uid timeout inode"; addresses are HEXIP:HEXPORT, st 0A is LISTEN.
    private static string? ListeningInode(string table, int port)
    {
        string hexPort = ":" + port.ToString("X4", CultureInfo.InvariantCulture);
        try
        {
            foreach (string line in File.ReadLines(table).Skip(1))
            {
                string[] fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                if (fields.Length > 9 && fields[1].EndsWith(hexPort, StringComparison.Ordinal) && fields[3] == "0A")
                {
                    return fields[9];
                }
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
        }

        return null;
    }

    private static string[] SafeEnumerate(Func<System.Collections.Generic.IEnumerable<string>> entries)
    {
        try
        {
            return entries().ToArray();
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return [];
        }
    }

    private static long ReadClockTicks()
    {
        try
        {
            using var getconf = Process.Start(new ProcessStartInfo("getconf", "CLK_TCK") { RedirectStandardOutput = true, UseShellExecute = false });
            if (getconf is not null)
            {
                string text = getconf.StandardOutput.ReadToEnd();
                getconf.WaitForExit();
                if (long.TryParse(text.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out long ticks) && ticks > 0)
                {
                    return ticks;
                }
            }
        }
        catch (System.ComponentModel.Win32Exception)
        {
        }

        return 100;
    }
}
