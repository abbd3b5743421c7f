namespace SmartCommunity.Edge.Layout;

using System;

/// <summary>A layout file that cannot be used: says which file, where, what is wrong and how to fix it.</summary>
public sealed class LayoutException : Exception
{
    public LayoutException(string file, long line, long column, string reason)
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
