namespace SmartCommunity.Firmware.Hal;

/// <summary>
/// Monotonic milliseconds since boot. Devices have no trustworthy wall clock; the edge stamps wall time on receipt.
/// Always compare as <c>now - since &gt;= timeout</c>.
/// </summary>
public interface IClock
{
    long UptimeMs { get; }
}
