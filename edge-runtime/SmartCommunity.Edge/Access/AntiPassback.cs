namespace SmartCommunity.Edge.Access;

using System;
using SmartCommunity.Edge.Layout;

/// <summary>
/// Anti-passback of one door group (hardware-docs/access-control.md, "Anti-passback"), judged from the card's last
/// passage in the group that a door contact confirmed. Exits are never refused: nobody is kept in a building by a
/// rule about cards, and egress never depends on a reader anyway.
/// </summary>
public static class AntiPassback
{
    public const string EntryWithoutExit = "entry-without-exit";
    public const string WithinTimedPeriod = "within-timed-period";

    /// <summary>Null when <paramref name="group"/> has nothing against this passage; otherwise what is wrong with it.</summary>
    public static AntiPassbackVerdict? Check(DoorGroup group, DeviceDefinition door, PassbackState? last, DateTimeOffset now)
    {
        if (last is null || door.Direction == DeviceKinds.DirectionOut)
        {
            return null;
        }

        return group.AntiPassback switch
        {
            AntiPassbackMode.Hard or AntiPassbackMode.Soft when door.Direction == DeviceKinds.DirectionIn && last.Direction == DeviceKinds.DirectionIn =>
                new AntiPassbackVerdict(group.Id, DoorGroup.NameOf(group.AntiPassback), EntryWithoutExit, last),
            AntiPassbackMode.Timed when now - last.At < group.Timed =>
                new AntiPassbackVerdict(group.Id, DoorGroup.NameOf(group.AntiPassback), WithinTimedPeriod, last),
            _ => null,
        };
    }
}
