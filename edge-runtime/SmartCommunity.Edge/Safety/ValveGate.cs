namespace SmartCommunity.Edge.Safety;

using SmartCommunity.Edge.Commands;
using SmartCommunity.Edge.Layout;
using SmartCommunity.Protocol;

/// <summary>
/// What may be done to a water valve (kind <c>leak</c>), checked for every command whatever its origin
/// (hardware-docs/safety.md §8):
/// <list type="bullet">
/// <item>a valve that feeds sprinklers is never closed;</item>
/// <item>while a fire stands in the building no valve is closed at all: discharging sprinklers look like a leak, and a
/// closed riser would starve them;</item>
/// <item>only an authenticated operator reopens a valve (<c>reset</c>); a rule never does.</item>
/// </list>
/// A valve closes itself on its own probe at once, with no edge involved; these rules govern only what the edge adds.
/// </summary>
public static class ValveGate
{
    public const string SprinklerReason = "sprinklers discharging look like a leak";

    /// <summary>Null when allowed; otherwise why not, in words an operator understands.</summary>
    public static string? WhyRefused(CommandRequest request, bool fireStands)
    {
        DeviceDefinition valve = request.Device;
        if (valve.Kind != DeviceKinds.Leak)
        {
            return null;
        }

        if (request.Kind == CommandKind.Close)
        {
            if (valve.FeedsSprinklers)
            {
                return $"valve {valve.Id} feeds sprinklers; the edge never closes it, whoever asks";
            }

            if (fireStands)
            {
                return $"a fire alarm stands in building {valve.Building}; no valve is closed while it stands ({SprinklerReason})";
            }
        }

        if (request.Kind == CommandKind.Reset && request.Origin != CommandOrigin.Operator)
        {
            return $"only an authenticated operator reopens valve {valve.Id}; a {(request.Origin == CommandOrigin.Rule ? "rule" : "built-in rule")} never does";
        }

        return null;
    }
}
