namespace SmartCommunity.Simulation.Hardware;

using System;
using System.Collections.Generic;
using System.Text;
using SmartCommunity.Firmware.Hal;

/// <summary>
/// An in-memory transport for unit tests: records what the device publishes, can be taken offline.
/// With <see cref="KeepMessages"/> false it records into one reused buffer and allocates nothing, for the
/// allocation tests.
/// </summary>
public sealed class RecordingTransport : IMessageTransport
{
    private readonly List<PublishedMessage> _messages = new();
    private readonly byte[] _last = new byte[1024];
    private int _lastLength;

    public bool IsConnected { get; private set; } = true;

    public int Sessions { get; private set; } = 1;

    public bool KeepMessages { get; set; } = true;

    /// <summary>Fault switch: connected, but every publish is refused, as when the client's queue is full.</summary>
    public bool RefusePublishes { get; set; }

    /// <summary>Publishes attempted while connected, refused ones included.</summary>
    public long Attempts { get; private set; }

    public long PublishCount { get; private set; }

    public IReadOnlyList<PublishedMessage> Messages => _messages;

    public void Disconnect() => IsConnected = false;

    public void Reconnect()
    {
        IsConnected = true;
        Sessions++;
    }

    public void Clear() => _messages.Clear();

    public bool Publish(string topic, byte[] payload, int length, int qos, bool retain)
    {
        if (!IsConnected)
        {
            return false;
        }

        Attempts++;
        if (RefusePublishes)
        {
            return false;
        }

        PublishCount++;
        if (KeepMessages)
        {
            _messages.Add(new PublishedMessage(topic, Encoding.UTF8.GetString(payload, 0, length), qos, retain));
        }
        else
        {
            Array.Copy(payload, _last, Math.Min(length, _last.Length));
            _lastLength = length;
        }

        return true;
    }

    public string LastPayloadText => Encoding.UTF8.GetString(_last, 0, _lastLength);
}

public sealed record PublishedMessage(string Topic, string Payload, int Qos, bool Retain);
