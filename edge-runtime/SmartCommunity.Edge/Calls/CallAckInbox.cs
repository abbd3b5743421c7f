namespace SmartCommunity.Edge.Calls;

using System;
using System.Threading;
using System.Threading.Tasks;

/// <summary>
/// Hands a backend's acknowledgement messages, as the MQTT relays of the calls chain receive them on
/// <c>{topicPrefix}/{edge}/acks</c>, to the <see cref="CallDesk"/>. The relays file loader makes one per file and
/// gives it to those relays; the edge attaches its desk before the relays start. The relay's client sends its
/// PUBACK only after <see cref="DeliverAsync"/> completes, so an acknowledgement the backend saw accepted is stored.
/// </summary>
public sealed class CallAckInbox
{
    private Func<string, ReadOnlyMemory<byte>, Task<bool>>? _handler;
    private long _unattached;

    /// <summary>Messages that arrived with no desk attached (a test wiring relays alone); they are not acknowledged.</summary>
    public long Unattached => Interlocked.Read(ref _unattached);

    internal void Attach(Func<string, ReadOnlyMemory<byte>, Task<bool>> handler) => Volatile.Write(ref _handler, handler);

    /// <summary>
    /// True once the message is dealt with for good: stored, or refused as unusable (counted); the relay then sends
    /// its PUBACK. False when nothing could take it (no desk, the edge stopping): no PUBACK, the backend sends it again.
    /// </summary>
    /// <param name="relay">The relay whose broker the message came from; it becomes the acknowledgement's "via".</param>
    public Task<bool> DeliverAsync(string relay, ReadOnlyMemory<byte> payload)
    {
        if (Volatile.Read(ref _handler) is { } handler)
        {
            return handler(relay, payload);
        }

        Interlocked.Increment(ref _unattached);
        return Task.FromResult(false);
    }
}
