namespace SmartCommunity.Simulator.Tests.Load;

using System.IO;
using System.Linq;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using SmartCommunity.Edge.Layout;
using SmartCommunity.Simulator.Load;

[TestClass]
public sealed class LoadCastTests
{
    [TestMethod]
    public void From_GeneratedLayout_DoorsAndOneDetectorPerBuildingTheRestTelemetry()
    {
        BuildingLayout layout = LayoutLoader.Parse(LoadLayout.Generate(100), "generated.yaml");

        LoadCast cast = LoadCast.From(layout);

        Assert.HasCount(2, cast.AlarmBuildings);
        Assert.AreEqual("b1-alarm-smoke", cast.AlarmBuildings[0].Detector.Id);
        Assert.HasCount(LoadLayout.DoorsPerBuilding, cast.AlarmBuildings[0].Doors);
        Assert.HasCount(100 - 2 * (LoadLayout.DoorsPerBuilding + 1), cast.TelemetrySources);
        Assert.IsFalse(cast.TelemetrySources.Any(d => d.Id.EndsWith("-alarm-smoke", System.StringComparison.Ordinal)));
        Assert.AreEqual(100, cast.Simulated);
        Assert.IsEmpty(cast.NotSimulated);
        Assert.IsEmpty(cast.OtherDoors);
    }

    [TestMethod]
    public void From_DemoLayout_FirstSmokeDetectorOfEachBuildingRaisesTheAlarms()
    {
        BuildingLayout layout = LayoutLoader.Load(Path.Combine(System.AppContext.BaseDirectory, "layouts", "demo.yaml"));

        LoadCast cast = LoadCast.From(layout);

        CollectionAssert.AreEqual(new[] { "b1-lobby-smoke", "b2-lobby-smoke" }, cast.AlarmBuildings.Select(b => b.Detector.Id).ToArray());
        CollectionAssert.AreEqual(new[] { "b1-f1-smoke" }, cast.TelemetrySources.Select(d => d.Id).ToArray());
        Assert.HasCount(3, cast.AlarmBuildings[0].Doors);
        Assert.AreEqual(layout.Devices.Count, cast.Simulated);
    }
}
