namespace SmartCommunity.Edge.Commands;

using System;

public sealed class CommandOptions
{
    /// <summary>How long a command stays valid on the device's own clock (its "exp", protocol.md §4.1).</summary>
    public TimeSpan TimeToLive { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>An unacknowledged command is sent again, with the same id, after this long; the pause doubles with each attempt.</summary>
    public TimeSpan RetryInterval { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>The longest pause between two attempts.</summary>
    public TimeSpan MaxRetryInterval { get; init; } = TimeSpan.FromSeconds(10);

    public int MaxAttempts { get; init; } = 5;
}
