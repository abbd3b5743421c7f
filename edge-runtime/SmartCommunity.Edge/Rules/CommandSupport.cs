namespace SmartCommunity.Edge.Rules;

using System.Collections.Generic;
using SmartCommunity.Edge.Layout;
using SmartCommunity.Protocol;

/// <summary>
/// Which device takes which command (hardware-docs/protocol.md §4.1, the table of v1 commands), so a rule that sends
/// a door command to a smoke detector is refused when the file loads rather than rejected by the device later.
/// Kinds this table does not know (added by later device issues) take any command.
/// </summary>
public static class CommandSupport
{
    public static readonly IReadOnlyDictionary<string, CommandKind> ByName = new Dictionary<string, CommandKind>
    {
        [CommandNames.Release] = CommandKind.Release,
        [CommandNames.Reset] = CommandKind.Reset,
        [CommandNames.SelfTest] = CommandKind.SelfTest,
        [CommandNames.Lock] = CommandKind.Lock,
        [CommandNames.Unlock] = CommandKind.Unlock,
    };

    /// <summary>The longest unlock a door accepts (protocol.md §4.1: at most 600 000 ms).</summary>
    public const long MaxUnlockMs = 600_000;

    public static bool Supports(string kind, string? role, CommandKind command) => kind switch
    {
        DeviceKinds.Door => command switch
        {
            CommandKind.Unlock => role is null or DeviceKinds.RoleEgressLock,
            _ => true,
        },
        DeviceKinds.Smoke => command == CommandKind.SelfTest,
        _ => true,
    };

    public static bool Supports(DeviceDefinition device, CommandKind command) => Supports(device.Kind, device.Role, command);
}
