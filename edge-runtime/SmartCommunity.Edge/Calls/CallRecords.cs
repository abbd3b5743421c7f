namespace SmartCommunity.Edge.Calls;

/// <summary>
/// How emergency and welfare calls appear in the event log (hardware-docs/emergency-calls.md, "Records"): channel
/// <see cref="Channel"/>, source the call point, priority lane. No device publishes on this channel (the decoder
/// takes only telemetry, event, state, status and ack), so a record on it is always the edge's own.
/// </summary>
public static class CallRecords
{
    public const string Channel = "call";

    /// <summary>
    /// The payload field that addresses a record to one relay. A relay forwards a call record that carries it only
    /// when it names that relay; a record without it goes to every relay, as any other record does.
    /// </summary>
    public const string AddressField = "to";

    public const string Opened = "call-opened";
    public const string Held = "call-held";
    public const string Released = "call-released";
    public const string Dispatched = "call-dispatched";
    public const string Escalated = "call-escalated";
    public const string OperatorAlerted = "call-operator-alerted";
    public const string SounderOn = "call-sounder-on";
    public const string Acknowledged = "call-acknowledged";
    public const string Closed = "call-closed";

    /// <summary>Events of the call point (hardware-docs/protocol.md, emergency-call-point).</summary>
    public const string CallEvent = "call";
    public const string CallCancelledEvent = "call-cancelled";
    public const string WelfareEvent = "welfare";
    public const string WelfareClearedEvent = "welfare-cleared";
}
