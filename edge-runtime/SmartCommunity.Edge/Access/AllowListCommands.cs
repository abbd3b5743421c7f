namespace SmartCommunity.Edge.Access;

using System;
using System.Collections.Generic;
using System.Linq;
using SmartCommunity.Edge.Commands;
using SmartCommunity.Edge.Layout;
using SmartCommunity.Protocol;

/// <summary>
/// Builds the allow-list commands of the access contract (hardware-docs/access-control.md, "Sync"): a full list split
/// into parts, or one delta, each within the 384-byte command limit (protocol.md §6) whatever id, counter and expiry
/// the publisher gives it. Pure: the caller sends them.
/// </summary>
public static class AllowListCommands
{
    /// <summary>Free text for people in the event log; kept short because every byte of it is a byte less for cards.</summary>
    public const string Reason = "allow-list";

    /// <summary>
    /// The "add" text of each part of a full list of <paramref name="list"/> at <paramref name="version"/>, packed as
    /// tightly as the limit allows. An empty list is one part with nothing to add (the door clears its table).
    /// </summary>
    public static IReadOnlyList<string> PlanFull(DeviceDefinition door, long version, AllowList list, long now)
    {
        // A part's size depends on how many digits "part" and "parts" take, which depends on the number of parts:
        // plan, and plan again with the count found until it no longer changes (twice at most in practice).
        int parts = 1;
        for (int round = 0; round < 8; round++)
        {
            List<string> adds = Pack(door, version, list, now, parts);
            if (adds.Count <= parts)
            {
                return adds;
            }

            parts = adds.Count;
        }

        throw new InvalidOperationException($"could not split the allow-list of {door.Id} into parts");
    }

    /// <summary>Part <paramref name="part"/> of <paramref name="parts"/> of a full list; "now" is taken when it is sent.</summary>
    public static CommandRequest Full(DeviceDefinition door, long version, int part, int parts, string add, long now) =>
        Request(door, Fields(CommandNames.ListOpFull, version, part, parts, baseVersion: null, add, remove: "", now));

    /// <summary>The delta from <paramref name="baseVersion"/> to <paramref name="version"/>, or null when it does not fit one command (send a full list then).</summary>
    public static CommandRequest? Delta(DeviceDefinition door, long baseVersion, long version, AllowListDelta delta, long now)
    {
        CommandRequest request = Request(door, Fields(CommandNames.ListOpDelta, version, 0, 0, baseVersion,
            string.Join(";", delta.Add.Select(e => e.Wire)), string.Join(";", delta.Remove), now));
        return CommandPublisher.MaxEncodedLength(request) <= MessageLimits.MaxDownlinkBytes ? request : null;
    }

    private static List<string> Pack(DeviceDefinition door, long version, AllowList list, long now, int parts)
    {
        // Entries are digits and ':' only, so each adds exactly its length (plus a ';') to the JSON: measure a part with
        // a one-character "add" once, then fill. The last part number (most digits) is the worst case for every part.
        int empty = CommandPublisher.MaxEncodedLength(Full(door, version, parts, parts, "0", now)) - 1;
        int budget = MessageLimits.MaxDownlinkBytes - empty;
        var adds = new List<string>();
        var current = new List<string>();
        int used = 0;
        foreach (AllowListEntry entry in list.Entries)
        {
            string wire = entry.Wire;
            int cost = wire.Length + (current.Count > 0 ? 1 : 0);
            if (current.Count > 0 && used + cost > budget)
            {
                adds.Add(string.Join(";", current));
                current.Clear();
                used = 0;
                cost = wire.Length;
            }

            if (cost > budget)
            {
                throw new InvalidOperationException($"allow-list entry {wire} does not fit a command on its own");
            }

            current.Add(wire);
            used += cost;
        }

        adds.Add(string.Join(";", current));
        return adds;
    }

    private static List<KeyValuePair<string, object>> Fields(string op, long version, int part, int parts, long? baseVersion, string add, string remove, long now)
    {
        var fields = new List<KeyValuePair<string, object>> { new("op", op), new("ver", version) };
        if (op == CommandNames.ListOpFull)
        {
            fields.Add(new("part", part));
            fields.Add(new("parts", parts));
        }
        else
        {
            fields.Add(new("base", baseVersion ?? 0));
        }

        if (add.Length > 0)
        {
            fields.Add(new("add", add));
        }

        if (remove.Length > 0)
        {
            fields.Add(new("remove", remove));
        }

        fields.Add(new("now", now));
        return fields;
    }

    private static CommandRequest Request(DeviceDefinition door, List<KeyValuePair<string, object>> fields) =>
        new(door, CommandKind.AllowList, Reason, CommandOrigin.Rule, AccessControl.Actor, Fields: fields);
}
