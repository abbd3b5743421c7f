namespace SmartCommunity.Edge.Commands;

/// <summary>A device's current command key and its id (hardware-docs/protocol.md §4.5).</summary>
public sealed record CommandSigningKey(long Id, byte[] Key);

/// <summary>Where the edge finds the key to sign a device's commands with; the device registry is one.</summary>
public interface ICommandKeys
{
    /// <summary>The device's current command key, or null when it has none (its commands go unsigned).</summary>
    CommandSigningKey? SigningKeyFor(string deviceId);
}
