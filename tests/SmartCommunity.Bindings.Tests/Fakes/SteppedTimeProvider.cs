namespace SmartCommunity.Bindings.Tests.Fakes;

using System;

/// <summary>A TimeProvider whose monotonic timestamp only moves when the test says, at a chosen frequency.</summary>
public sealed class SteppedTimeProvider(long frequency) : TimeProvider
{
    public long Timestamp { get; set; }

    public override long TimestampFrequency => frequency;

    public override long GetTimestamp() => Timestamp;
}
