namespace SmartCommunity.Edge.Rules;

using System.Collections.Generic;
using System.Linq;
using SmartCommunity.Edge.Layout;
using SmartCommunity.Protocol;

/// <summary>
/// Which device takes which command (hardware-docs/protocol.md §4.1, the tables of commands), so a rule that sends
/// a door command to a smoke detector is refused when the file loads rather than rejected by the device later.
/// Kinds this table does not know (added by later device issues) take any command.
/// </summary>
public static class CommandSupport
{
    /// <summary>
    /// The commands a rule may send, by name. The emergency call commands (call-received, call-handled, sound) are
    /// not among them: each answers one call by its id, which only the edge's call handling knows.
    /// </summary>
    public static readonly IReadOnlyDictionary<string, CommandKind> ByName = new Dictionary<string, CommandKind>
    {
        [CommandNames.Release] = CommandKind.Release,
        [CommandNames.Reset] = CommandKind.Reset,
        [CommandNames.SelfTest] = CommandKind.SelfTest,
        [CommandNames.Lock] = CommandKind.Lock,
        [CommandNames.Unlock] = CommandKind.Unlock,
        [CommandNames.Close] = CommandKind.Close,
        [CommandNames.Open] = CommandKind.Open,
        [CommandNames.Evacuate] = CommandKind.Evacuate,
    };

    /// <summary>The longest unlock a door accepts (protocol.md §4.1: at most 600 000 ms).</summary>
    public const long MaxUnlockMs = 600_000;

    public static bool Supports(string kind, string? role, CommandKind command) => kind switch
    {
        DeviceKinds.Door => command switch
        {
            CommandKind.Release or CommandKind.Reset or CommandKind.SelfTest or CommandKind.Lock => true,
            CommandKind.Unlock => role is null or DeviceKinds.RoleEgressLock or DeviceKinds.RoleEntryLock,
            _ => false,
        },
        DeviceKinds.Smoke or DeviceKinds.ManualCallPoint => command == CommandKind.SelfTest,
        DeviceKinds.EmergencyCallPoint => command is CommandKind.CallReceived or CommandKind.CallHandled or CommandKind.Sound or CommandKind.SelfTest,

        // A sensor-valve and a bare valve both have the valve: close it, reopen it (reset), test it.
        DeviceKinds.Leak => command is CommandKind.Close or CommandKind.Reset or CommandKind.SelfTest,
        // Deny answers an entry request (hardware-docs/parking-barrier.md, "Entry requests"); only parking sends it.
        DeviceKinds.Barrier => command is CommandKind.Open or CommandKind.Close or CommandKind.Evacuate or CommandKind.Reset or CommandKind.SelfTest or CommandKind.Deny,
        _ => true,
    };

    /// <summary>
    /// Whether this one device takes the command: its kind must, and a valve that feeds sprinklers is never closed
    /// (hardware-docs/safety.md §8), so a rule selecting valves by kind leaves it out.
    /// </summary>
    public static bool Supports(DeviceDefinition device, CommandKind command) => WhyNot(device, command) is null;

    /// <summary>Null when <paramref name="device"/> takes <paramref name="command"/>; otherwise why not, for a rule file's error.</summary>
    public static string? WhyNot(DeviceDefinition device, CommandKind command)
    {
        if (!Supports(device.Kind, device.Role, command))
        {
            string takes = string.Join(", ", System.Enum.GetValues<CommandKind>()
                .Where(k => k != CommandKind.Unknown && Supports(device.Kind, device.Role, k)).Select(CommandNames.NameOf));
            return $"device '{device.Id}' ({device.Kind}, {device.Role}) does not take '{CommandNames.NameOf(command)}'; it takes {takes} (protocol.md §4.1)";
        }

        return device.FeedsSprinklers && command == CommandKind.Close
            ? $"valve '{device.Id}' feeds sprinklers: the edge never closes it, by rule or by operator (safety.md §8)"
            : null;
    }
}
