namespace SmartCommunity.Edge.Commands;

using System.Collections.Generic;
using SmartCommunity.Edge.Layout;
using SmartCommunity.Protocol;

/// <summary>Who asked for a command. Life-safety commands come from the built-in fire rule only.</summary>
public enum CommandOrigin
{
    LifeSafety,
    Rule,
    Operator,
}

/// <summary>A command someone wants sent, before the safety gate has looked at it.</summary>
/// <param name="Operator">The authenticated operator's name, for <see cref="CommandOrigin.Operator"/>; the rule's name for rules.</param>
/// <param name="DurationMs">The command's duration argument ("ms"), e.g. how long an unlock lasts; 0 = none.</param>
/// <param name="CallId">The emergency call a call command refers to ("call"), as the call point numbered it.</param>
/// <param name="Fields">
/// More arguments of the command, written in this order after the standard ones: a string, a whole number (long/int) or
/// a bool each, e.g. the "op", "ver" and "add" of an allow-list sync (hardware-docs/access-control.md).
/// </param>
/// <param name="NewKey">rekey only: the device's next command key (32 bytes), wrapped under its current key when sent.</param>
/// <param name="NewKeyId">rekey only: the next key's id ("kid").</param>
public sealed record CommandRequest(
    DeviceDefinition Device,
    CommandKind Kind,
    string Reason,
    CommandOrigin Origin,
    string? Operator = null,
    long DurationMs = 0,
    string? CallId = null,
    IReadOnlyList<KeyValuePair<string, object>>? Fields = null,
    byte[]? NewKey = null,
    long NewKeyId = 0);

/// <summary>The answer to a <see cref="CommandRequest"/>: the command id when it was sent, or why it was refused.</summary>
public sealed record CommandTicket(string? Id, string? RefusedBecause)
{
    public bool Accepted => Id is not null;
}

/// <summary>
/// Decides whether a command may go out at all. The fire rule is one: while a fire alarm stands in a building,
/// nothing may lock its doors (hardware-docs/safety.md). Checked for every request, whatever its origin.
/// </summary>
public interface ISafetyGate
{
    /// <summary>Null when allowed; otherwise the reason, in words an operator understands.</summary>
    string? WhyRefused(CommandRequest request);
}
