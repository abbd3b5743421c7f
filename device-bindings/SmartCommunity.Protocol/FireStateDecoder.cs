namespace SmartCommunity.Protocol;

/// <summary>Reads the retained fire-state message <c>{"v":1,"state":"alarm"|"clear",...}</c>.</summary>
public sealed class FireStateDecoder
{
    public const string Alarm = "alarm";
    public const string Clear = "clear";

    private readonly PayloadReader _reader = new PayloadReader();

    /// <summary>Anything but a well-formed v1 "clear" or "alarm" yields <see cref="FireState.Unknown"/>.</summary>
    public FireState Decode(byte[] payload, int length)
    {
        long version;
        if (length > MessageLimits.MaxDownlinkBytes || !_reader.Load(payload, 0, length)
            || !_reader.TryGetInt64("v", out version) || version != ProtocolVersion.Current)
        {
            return FireState.Unknown;
        }

        if (_reader.StringEquals("state", Clear))
        {
            return FireState.Clear;
        }

        return _reader.StringEquals("state", Alarm) ? FireState.Alarm : FireState.Unknown;
    }
}
