namespace SmartCommunity.Edge.Configuration;

using System;

/// <summary>
/// A configuration file (layout, rules, relays) that cannot be used: which file, where (line and column, 1-based;
/// 0 when unknown), what is wrong and how to fix it. Each kind of file has its own subclass so callers can tell
/// them apart.
/// </summary>
public abstract class ConfigFileException : Exception
{
    protected ConfigFileException(string file, long line, long column, string reason)
        : base($"{file}:{line}:{column}: {reason}")
    {
        File = file;
        Line = line;
        Column = column;
        Reason = reason;
    }

    public string File { get; }

    public long Line { get; }

    public long Column { get; }

    public string Reason { get; }
}
