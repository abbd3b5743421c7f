namespace SmartCommunity.Edge.Twins;

using System;
using System.Collections.Generic;
using System.Linq;
using SmartCommunity.Edge.Ingest;
using SmartCommunity.Edge.Layout;
using SmartCommunity.Protocol;

/// <summary>Twins of every device the site knows. Messages from a device it does not know are refused upstream.</summary>
public sealed class TwinRegistry
{
    private readonly BuildingLayout _layout;
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, DeviceTwin> _twins;
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, byte> _dirty = new(StringComparer.Ordinal);

    public TwinRegistry(BuildingLayout layout)
    {
        _layout = layout;
        _twins = new(layout.Devices.Select(d => KeyValuePair.Create(d.Id, new DeviceTwin(d))), StringComparer.Ordinal);
    }

    public IEnumerable<DeviceTwin> All => _layout.Devices.Select(d => Find(d.Id)!);

    /// <summary>
    /// The twin of a device the site knows now; devices added through the registry get one on first use, and a
    /// twin follows its device's current definition (e.g. a changed role).
    /// </summary>
    public DeviceTwin? Find(string deviceId)
    {
        if (!_layout.DevicesById.TryGetValue(deviceId, out DeviceDefinition? definition))
        {
            return null;
        }

        DeviceTwin twin = _twins.GetOrAdd(deviceId, _ => new DeviceTwin(definition));
        if (!ReferenceEquals(twin.Definition, definition))
        {
            twin.Definition = definition;
        }

        return twin;
    }

    /// <summary>Takes the ids of twins changed since the last call (for <see cref="TwinStore"/>).</summary>
    public IReadOnlyList<DeviceTwin> TakeChanged()
    {
        var changed = new List<DeviceTwin>();
        foreach (string id in _dirty.Keys)
        {
            if (_dirty.TryRemove(id, out _) && _twins.TryGetValue(id, out DeviceTwin? twin))
            {
                changed.Add(twin);
            }
        }

        return changed;
    }

    /// <summary>Online twins that have said nothing for longer than their <see cref="DeviceTwin.SilentAfter"/>.</summary>
    public IReadOnlyList<DeviceTwin> FindSilent(DateTimeOffset now) =>
        All.Where(t =>
        {
            lock (t.Gate)
            {
                return t.Online && t.LastSeen is { } seen && now - seen > t.SilentAfter;
            }
        }).ToList();

    /// <summary>Marks the twin offline because it went quiet; false when it spoke again meanwhile.</summary>
    public bool MarkSilent(DeviceTwin twin, DateTimeOffset now)
    {
        lock (twin.Gate)
        {
            if (!twin.Online || twin.LastSeen is not { } seen || now - seen <= twin.SilentAfter)
            {
                return false;
            }

            twin.Online = false;
            twin.OfflineReason = "silent";
        }

        _dirty[twin.Definition.Id] = 0;
        return true;
    }

    /// <summary>
    /// Takes back a message the twin counted but the event log could not commit, so its resend is not taken for a
    /// duplicate. Only the newest message can be taken back; counters it moved (gaps) stay.
    /// </summary>
    public void Forget(DeviceTwin twin, DeviceMessage message)
    {
        lock (twin.Gate)
        {
            if (twin.Boot == message.Boot && twin.LastSequence == message.Sequence)
            {
                twin.LastSequence = message.Sequence - 1;
            }
        }

        _dirty[twin.Definition.Id] = 0;
    }

    /// <summary>Restores a twin from storage at start (before any message is applied).</summary>
    public void Restore(DeviceTwin twin, Action<DeviceTwin> restore)
    {
        lock (twin.Gate)
        {
            restore(twin);
        }
    }

    /// <summary>
    /// Applies one message to its twin and says whether it is new. Within one boot the sequence must grow by
    /// one; a jump counts the missing messages as gaps, a repeat or an older number counts as a duplicate.
    /// </summary>
    public SequenceVerdict Apply(DeviceTwin twin, DeviceMessage message, DateTimeOffset now)
    {
        _dirty[twin.Definition.Id] = 0;
        lock (twin.Gate)
        {
            twin.LastSeen = now;
            if (message.Channel == Channel.Status && message.Online is { } online)
            {
                twin.Online = online;
                twin.OfflineReason = online ? null : "will";
                if (!online)
                {
                    return SequenceVerdict.Will;
                }

                twin.FirmwareVersion = message.StringField("fw") ?? twin.FirmwareVersion;
            }
            else
            {
                // Anything but the Will proves the device is connected, even if its online status was lost.
                twin.Online = true;
                twin.OfflineReason = null;
            }

            SequenceVerdict verdict;
            if (message.Boot > twin.Boot)
            {
                // Sequences restart at 1 on each boot; a later first number means messages of this boot were lost.
                // When the edge has never seen the device (boot 0) it cannot know what came before.
                if (twin.Boot != 0 && message.Sequence > 1)
                {
                    twin.Gaps += message.Sequence - 1;
                }

                verdict = SequenceVerdict.NewBoot;
            }
            else if (message.Boot < twin.Boot || message.Sequence <= twin.LastSequence)
            {
                twin.Duplicates++;
                return SequenceVerdict.Duplicate;
            }
            else if (message.Sequence == twin.LastSequence + 1)
            {
                verdict = SequenceVerdict.InOrder;
            }
            else
            {
                twin.Gaps += message.Sequence - twin.LastSequence - 1;
                verdict = SequenceVerdict.AfterGap;
            }

            twin.Boot = message.Boot;
            twin.LastSequence = message.Sequence;
            twin.LastUptimeMs = message.UptimeMs;
            if (message.Channel == Channel.State)
            {
                twin.LastState = message.Payload;
            }
            else if (message.Channel == Channel.Event)
            {
                twin.LastEventAt = now;
            }

            return verdict;
        }
    }
}
