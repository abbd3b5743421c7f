namespace SmartCommunity.Edge.Storage;

/// <summary>
/// Something that still needs rows of the event log, such as a relay that has not sent them yet. Retention never
/// prunes a row whose id is at or above <see cref="FirstIdStillNeeded"/>; <see cref="long.MaxValue"/> means nothing
/// is needed. Called from the event log's writer; keep it cheap and non-blocking.
/// </summary>
public interface IRetentionGuard
{
    long FirstIdStillNeeded();
}
