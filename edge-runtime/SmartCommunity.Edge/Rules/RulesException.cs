namespace SmartCommunity.Edge.Rules;

using System;

/// <summary>A rules file that cannot be used: which file, where (line and column, 1-based; 0 when unknown) and why.</summary>
public sealed class RulesException : Exception
{
    public RulesException(string file, long line, long column, string reason)
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
