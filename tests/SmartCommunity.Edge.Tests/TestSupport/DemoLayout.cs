namespace SmartCommunity.Edge.Tests.TestSupport;

using System;
using System.Linq;
using SmartCommunity.Edge.Layout;

/// <summary>simulators/layouts/demo.yaml, copied next to the tests, and the names in it the tests rely on.</summary>
internal static class DemoLayout
{
    public const string Site = "riverside";
    public const string AlarmBuilding = "b1";
    public const string QuietBuilding = "b2";
    public const string LobbySmoke = "b1-lobby-smoke";
    public const string FirstFloorSmoke = "b1-f1-smoke";
    public const string LobbyEntrance = "b1-lobby-entrance";
    public const string StairDoor = "b1-stair-door";
    public const string FirstFloorExit = "b1-f1-exit";

    public static readonly string[] AlarmBuildingDoors = [LobbyEntrance, StairDoor, FirstFloorExit];
    public static readonly string[] QuietBuildingDoors = ["b2-lobby-entrance", "b2-stair-door"];

    public static string Path => System.IO.Path.Combine(AppContext.BaseDirectory, "layouts", "demo.yaml");

    public static BuildingLayout Load() => LayoutLoader.Load(Path);

    /// <summary>The same layout minus one device, so a raw test client can take that device's client id.</summary>
    public static BuildingLayout Without(BuildingLayout layout, string deviceId) =>
        new(layout.Site, layout.SiteName, layout.Buildings
            .Select(b => b with
            {
                Floors = b.Floors.Select(f => f with
                {
                    Zones = f.Zones.Select(z => z with { Devices = z.Devices.Where(d => d.Id != deviceId).ToList() }).ToList(),
                }).ToList(),
            })
            .ToList());
}
