namespace SmartCommunity.Protocol;

/// <summary>Names of commands, acknowledgement results and rejection reasons as they appear on the wire.</summary>
public static class CommandNames
{
    public const string Release = "release";
    public const string Reset = "reset";
    public const string SelfTest = "self-test";
    public const string Lock = "lock";
    public const string Unlock = "unlock";
    public const string Close = "close";
    public const string CallReceived = "call-received";
    public const string CallHandled = "call-handled";
    public const string Sound = "sound";
    public const string AllowList = "allow-list";
    public const string Grant = "grant";
    public const string Deny = "deny";
    public const string Open = "open";
    public const string Evacuate = "evacuate";
    public const string Rekey = "rekey";

    /// <summary>Values of an allow-list command's "op".</summary>
    public const string ListOpFull = "full";
    public const string ListOpDelta = "delta";

    public const string ResultDone = "done";
    public const string ResultRejected = "rejected";

    public static string NameOf(CommandKind kind)
    {
        switch (kind)
        {
            case CommandKind.Release: return Release;
            case CommandKind.Reset: return Reset;
            case CommandKind.SelfTest: return SelfTest;
            case CommandKind.Lock: return Lock;
            case CommandKind.Unlock: return Unlock;
            case CommandKind.Close: return Close;
            case CommandKind.CallReceived: return CallReceived;
            case CommandKind.CallHandled: return CallHandled;
            case CommandKind.Sound: return Sound;
            case CommandKind.AllowList: return AllowList;
            case CommandKind.Grant: return Grant;
            case CommandKind.Deny: return Deny;
            case CommandKind.Open: return Open;
            case CommandKind.Evacuate: return Evacuate;
            case CommandKind.Rekey: return Rekey;
            default: return "unknown";
        }
    }

    public static string ReasonOf(CommandRejection rejection)
    {
        switch (rejection)
        {
            case CommandRejection.None: return "none";
            case CommandRejection.Malformed: return "malformed";
            case CommandRejection.UnsupportedVersion: return "unsupported-version";
            case CommandRejection.MissingId: return "missing-id";
            case CommandRejection.UnknownCommand: return "unknown-command";
            case CommandRejection.Expired: return "expired";
            case CommandRejection.NotSupportedByDevice: return "not-supported";
            case CommandRejection.FireActive: return "fire-active";
            case CommandRejection.Oversized: return "oversized";
            case CommandRejection.BadArgument: return "bad-argument";
            case CommandRejection.LeakActive: return "leak-active";
            case CommandRejection.VersionMismatch: return "version-mismatch";
            case CommandRejection.ListFull: return "list-full";
            case CommandRejection.SafetySensorFault: return "safety-sensor-fault";
            case CommandRejection.BadMac: return "bad-mac";
            case CommandRejection.Replayed: return "replayed";
            default: return "unknown";
        }
    }
}
