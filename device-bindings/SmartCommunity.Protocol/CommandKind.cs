namespace SmartCommunity.Protocol;

/// <summary>
/// Commands of protocol v1 (hardware-docs/protocol.md §4). Later device issues append to this list, and move the
/// decoder's upper bound (CommandDecoder.KindOf) to the new last one; a test checks every name decodes.
/// </summary>
public enum CommandKind
{
    Unknown = 0,

    /// <summary>De-energise the door output (unlock an egress lock, let a hold-open door close). Always safe.</summary>
    Release = 1,

    /// <summary>Return to normal operation; refused while any fire condition stands.</summary>
    Reset = 2,

    /// <summary>Run the device's self-test and publish a self-test report event.</summary>
    SelfTest = 3,

    /// <summary>End a commanded or timed release (doors); refused while any fire condition stands.</summary>
    Lock = 4,

    /// <summary>Release an egress lock for "ms" milliseconds (access), then lock again by itself.</summary>
    Unlock = 5,

    /// <summary>Close a water valve (leak response). Never sent to a valve that feeds sprinklers, nor while a fire stands.</summary>
    Close = 6,

    /// <summary>Emergency call point: the edge has committed the call named in "call" (the point shows "call received").</summary>
    CallReceived = 7,

    /// <summary>Emergency call point: a person acknowledged the call named in "call"; the point shows "help is coming".</summary>
    CallHandled = 8,

    /// <summary>Emergency call point: nobody acknowledged the call named in "call" in time; sound the local sounder.</summary>
    Sound = 9,

    /// <summary>Door: sync the local allow-list ("op" full in parts, or delta on a base version), with the edge's wall clock in "now".</summary>
    AllowList = 10,

    /// <summary>Door: the edge's answer "yes" to an access request "req"; unlock for "ms" (or the door's unlock time).</summary>
    Grant = 11,

    /// <summary>Door: the edge's answer "no" to an access request "req"; barrier: to an entry request "req".</summary>
    Deny = 12,

    /// <summary>Parking barrier: open for an authorised entry, answering the entry request "req" when it carries one (hardware-docs/parking-barrier.md).</summary>
    Open = 13,

    /// <summary>Parking barrier: latch open for an evacuation until a <c>reset</c>. (A barrier's remote close is <see cref="Close"/>.)</summary>
    Evacuate = 14,

    /// <summary>Any keyed device: take a new command key, wrapped under the current one (hardware-docs/protocol.md §4.5).</summary>
    Rekey = 15,
}
