namespace SmartCommunity.Edge.Operators;

using System;

/// <summary>A request about operators that cannot be carried out; the message says why and what to do.</summary>
public sealed class OperatorException : Exception
{
    public OperatorException(string message)
        : base(message)
    {
    }

    public OperatorException()
    {
    }

    public OperatorException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
