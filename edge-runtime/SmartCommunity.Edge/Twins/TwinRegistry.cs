namespace SmartCommunity.Edge.Twins;

using System;
using System.Collections.Generic;
using System.Linq;
using SmartCommunity.Edge.Ingest;
using SmartCommunity.Edge.Layout;
using SmartCommunity.Protocol;

/// <summary>Twins of every device in the layout. Messages from a device not in the layout are refused upstream.</summary>
public sealed class TwinRegistry
{
    private readonly Dictionary<string, DeviceTwin> _twins;

    public TwinRegistry(BuildingLayout layout)
    {
        _twins = layout.Devices.ToDictionary(d => d.Id, d => new DeviceTwin(d), StringComparer.Ordinal);
    }

    public IEnumerable<DeviceTwin> All => _twins.Values;

    public DeviceTwin? Find(string deviceId) => _twins.GetValueOrDefault(deviceId);

    /// <summary>
    /// Applies one message to its twin and says whether it is new. Within one boot the sequence must grow by
    /// one; a jump counts the missing messages as gaps, a repeat or an older number counts as a duplicate.
    /// </summary>
    public SequenceVerdict Apply(DeviceTwin twin, DeviceMessage message, DateTimeOffset now)
    {
        lock (twin.Gate)
        {
            twin.LastSeen = now;
            if (message.Channel == Channel.Status && message.Online is { } online)
            {
                twin.Online = online;
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
