namespace SmartCommunity.Simulator.Tests.Load;

using System;
using System.Linq;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using SmartCommunity.Edge.Layout;
using SmartCommunity.Simulator.Load;

/// <summary>The generated layout is read by the edge's own <see cref="LayoutLoader"/>, as sc-edge reads it.</summary>
[TestClass]
public sealed class LoadLayoutTests
{
    [TestMethod]
    public void Generate_1000Devices_LoadsWithTheEdgesLayoutLoader()
    {
        BuildingLayout layout = LayoutLoader.Parse(LoadLayout.Generate(1000), "generated.yaml");

        Assert.AreEqual(LoadLayout.Site, layout.Site);
        Assert.HasCount(20, layout.Buildings);
        Assert.HasCount(1000, layout.Devices);
        Assert.AreEqual(1000, layout.Devices.Select(d => d.Id).Distinct().Count());
        foreach (BuildingDefinition building in layout.Buildings)
        {
            var devices = layout.DevicesIn(building.Id).ToList();
            Assert.HasCount(LoadLayout.BuildingSize, devices, building.Id);
            Assert.AreEqual(3, devices.Count(d => d.Kind == DeviceKinds.Door && d.Role == DeviceKinds.RoleEgressLock), building.Id);
            Assert.AreEqual(1, devices.Count(d => d.Kind == DeviceKinds.Door && d.Role == DeviceKinds.RoleHoldOpen), building.Id);
            DeviceDefinition detector = devices.Single(d => d.Id == LoadLayout.AlarmDetectorId(building.Id));
            Assert.AreEqual(LoadLayout.AlarmConfirmationMs, detector.Parameter("confirmationMs", -1));
            Assert.AreEqual(LoadLayout.AlarmRestoreMs, detector.Parameter("restoreMs", -1));
            Assert.AreEqual(LoadLayout.BuildingSize - LoadLayout.DoorsPerBuilding, devices.Count(d => d.Kind == DeviceKinds.Smoke), building.Id);
        }
    }

    [TestMethod]
    [DataRow(LoadLayout.MinDevices, 1)]
    [DataRow(51, 2)]
    [DataRow(149, 3)]
    [DataRow(5000, 100)]
    public void Generate_AnyCount_EveryBuildingHasItsDoorsDetectorAndTelemetry(int devices, int buildings)
    {
        BuildingLayout layout = LayoutLoader.Parse(LoadLayout.Generate(devices), "generated.yaml");

        Assert.HasCount(devices, layout.Devices);
        Assert.HasCount(buildings, layout.Buildings);
        var sizes = layout.Buildings.Select(b => layout.DevicesIn(b.Id).Count()).ToList();
        Assert.IsLessThanOrEqualTo(1, sizes.Max() - sizes.Min(), "sizes differ by one at most");
        foreach (BuildingDefinition building in layout.Buildings)
        {
            Assert.AreEqual(LoadLayout.DoorsPerBuilding, layout.DevicesIn(building.Id).Count(d => d.IsFireReleasedDoor), building.Id);
            Assert.IsGreaterThan(1, layout.DevicesIn(building.Id).Count(d => d.Kind == DeviceKinds.Smoke), building.Id);
        }
    }

    [TestMethod]
    [DataRow(LoadLayout.MinDevices - 1)]
    [DataRow(LoadLayout.MaxDevices + 1)]
    public void Generate_CountOutOfRange_Throws(int devices)
    {
        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => LoadLayout.Generate(devices));
    }
}
