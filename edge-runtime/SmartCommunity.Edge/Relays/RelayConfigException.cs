namespace SmartCommunity.Edge.Relays;

using System;

/// <summary>A relays file that cannot be used: which file, where, what is wrong and how to fix it.</summary>
public sealed class RelayConfigException : Exception
{
    public RelayConfigException(string file, long line, long column, string reason)
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
