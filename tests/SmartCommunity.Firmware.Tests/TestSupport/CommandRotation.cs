namespace SmartCommunity.Firmware.Tests.TestSupport;

using System;

/// <summary>
/// Command payloads built up front and delivered one after another, round and round: the commands of the
/// allocation tests' traffic, which must not allocate once built.
/// </summary>
internal sealed class CommandRotation
{
    private readonly byte[][] _payloads;
    private int _next;

    public CommandRotation(byte[][] payloads)
    {
        _payloads = payloads;
    }

    /// <summary>Commands with ids <paramref name="idPrefix"/>0 onwards, the i-th named by <paramref name="name"/>(i).</summary>
    public CommandRotation(string idPrefix, int count, Func<int, string> name)
    {
        _payloads = new byte[count][];
        for (int i = 0; i < count; i++)
        {
            _payloads[i] = DeviceRig.CommandPayload(idPrefix + i, name(i));
        }
    }

    /// <summary>Delivers the next command on <paramref name="rig"/>'s command topic.</summary>
    public void DeliverNext(DeviceRig rig)
    {
        rig.Deliver(rig.Identity.CommandTopic, _payloads[_next]);
        _next = (_next + 1) % _payloads.Length;
    }
}
