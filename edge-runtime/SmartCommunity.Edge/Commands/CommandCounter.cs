namespace SmartCommunity.Edge.Commands;

using System;
using System.Globalization;
using System.IO;
using System.Threading;

/// <summary>
/// The edge's command counter ("ctr", hardware-docs/protocol.md §4.5): grows with every command and never goes back,
/// across restarts too, even when the box's clock does (a Raspberry Pi has no battery clock). It starts at the larger
/// of the edge's time in milliseconds and the value reserved in its file, and reserves ahead in blocks so the file is
/// written once per <see cref="Block"/> commands, not per command.
/// </summary>
public sealed class CommandCounter
{
    public const string FileName = "command-counter";

    /// <summary>How far ahead the file reserves; a crash skips at most this many values, which is harmless.</summary>
    public const long Block = 100_000;

    private readonly string? _path;
    private readonly Lock _reserving = new();
    private long _value;
    private long _reserved;

    private CommandCounter(string? path, long start, long reserved)
    {
        _path = path;
        _value = start;
        _reserved = reserved;
    }

    /// <summary>The last value handed out.</summary>
    public long Current => Interlocked.Read(ref _value);

    /// <summary>A counter kept in <paramref name="path"/>; a missing or unreadable file starts from the clock alone.</summary>
    public static CommandCounter Open(string path, TimeProvider time)
    {
        long stored = 0;
        if (File.Exists(path) && long.TryParse(File.ReadAllText(path).Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out long value))
        {
            stored = value;
        }

        long start = Math.Max(stored, time.GetUtcNow().ToUnixTimeMilliseconds());
        var counter = new CommandCounter(path, start, start);
        counter.Reserve(start);
        return counter;
    }

    /// <summary>A counter that lives in memory only (tests and tools): it starts at the clock.</summary>
    public static CommandCounter InMemory(TimeProvider time)
    {
        long start = time.GetUtcNow().ToUnixTimeMilliseconds();
        return new CommandCounter(null, start, long.MaxValue);
    }

    public long Next()
    {
        long next = Interlocked.Increment(ref _value);
        if (next >= Interlocked.Read(ref _reserved))
        {
            lock (_reserving)
            {
                if (next >= _reserved)
                {
                    Reserve(next);
                }
            }
        }

        return next;
    }

    // Written before any value of the block is used: a restart then starts above everything already sent.
    private void Reserve(long from)
    {
        if (_path is null)
        {
            return;
        }

        long reserved = from + Block;
        string temporary = _path + ".tmp";
        using (var file = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None))
        {
            byte[] text = System.Text.Encoding.ASCII.GetBytes(reserved.ToString(CultureInfo.InvariantCulture));
            file.Write(text);
            file.Flush(flushToDisk: true);
        }

        File.Move(temporary, _path, overwrite: true);
        Interlocked.Exchange(ref _reserved, reserved);
    }
}
