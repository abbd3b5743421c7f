namespace SmartCommunity.Edge.Tests.Parking;

using System;
using System.Linq;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using SmartCommunity.Edge.Layout;

/// <summary>The car-park keys of the layout (hardware-docs/layout.md, "Car parks"; hardware-docs/parking.md).</summary>
[TestClass]
public sealed class ParkingLayoutTests
{
    private const string File = "parking.yaml";

    [TestMethod]
    public void Parse_CarParkWithLevelsAndBarriers_ReadsCapacitiesLanesAndGroups()
    {
        BuildingLayout layout = LayoutLoader.Parse(ParkingRig.Yaml, File);

        CarParkDefinition garage = layout.CarParks.Single();
        Assert.AreEqual(("garage", "Residents' garage", 3, new TimeOnly(3, 30)), (garage.Id, garage.Name, garage.Capacity, garage.RecountAt!.Value));
        Assert.AreEqual("p0:2:1 p1:2:0", string.Join(" ", garage.Levels.Select(l => $"{l.Id}:{l.Capacity}:{l.RecountTo}")));
        Assert.AreEqual("b1-garage-entry:entry:outside>p0 b1-garage-exit:exit:p0>outside b1-garage-ramp:entry:p0>p1",
            string.Join(" ", garage.Barriers.Select(b => $"{b.Barrier}:{b.Lane}:{b.From}>{b.To}")));
        CollectionAssert.AreEqual(new[] { ParkingRig.Lanes }, layout.DevicesById[ParkingRig.Entry].Groups.ToArray());
    }

    [TestMethod]
    public void Parse_CarParkWithoutCapacity_TakesTheSumOfItsLevels()
    {
        BuildingLayout layout = LayoutLoader.Parse(ParkingRig.Yaml.Replace("    capacity: 3\n", "", StringComparison.Ordinal), File);

        Assert.AreEqual(4, layout.CarParks.Single().Capacity);
    }

    [TestMethod]
    [DataRow("to: p0", "to: p7", "to: p7", "to 'p7' is neither 'outside' nor a level of car park 'garage' (p0, p1)")]
    [DataRow("carPark: garage\n                lane: exit", "carPark: garge\n                lane: exit", "carPark: garge", "unknown car park 'garge'; declared car parks: garage")]
    [DataRow("lane: exit", "lane: out", "lane: out", "lane 'out' must be entry or exit")]
    [DataRow("                from: p0\n                to: p1", "                from: p1\n                to: p1", "to: p1", "has from and to both 'p1'")]
    [DataRow("                from: outside\n                to: p0", "                from: p0\n                to: outside", "to: outside", "entry barrier 'b1-garage-entry' leads outside")]
    [DataRow("      - id: p1\n        capacity: 2", "      - id: p1\n        capacity: 0", "capacity: 0", "give 1-100000 vehicles")]
    [DataRow("    capacity: 3\n", "    capacity: 9\n", "capacity: 9", "has capacity 9 but its levels hold only 4")]
    [DataRow("recountAt: \"03:30\"", "recountAt: \"3.30am\"", "recountAt", "must be a local time of day as HH:MM")]
    [DataRow("        recountTo: 1", "        recountTo: 5", "recountTo: 5", "recountTo 5 must be 0-2")]
    [DataRow("      - id: p1\n", "      - id: p0\n", "      - id: p0\n        capacity: 2\nbuildings", "level 'p0' is declared twice")]
    [DataRow("      - id: p1\n", "      - id: outside\n", "id: outside", "'outside' is the word barriers use for the street")]
    [DataRow("                groups: [residents]", "                groups: [residents]\n                lane: entry", "lane: entry\n              - id", "lane applies to barriers (kind barrier) only, not to a door")]
    [DataRow("  - id: garage-lanes", "  - id: garage-lanes\n    antiPassback: hard\n    ", "groups: [garage-lanes]", "counted from door contacts")]
    public void Parse_BadCarParkKey_ErrorAtTheLineWithWhatToFix(string find, string replace, string marker, string reason)
    {
        string yaml = ParkingRig.Yaml.Replace(find, replace, StringComparison.Ordinal);

        Assert.AreNotEqual(ParkingRig.Yaml, yaml, "the test changes the file");
        LayoutException error = Assert.ThrowsExactly<LayoutException>(() => LayoutLoader.Parse(yaml, File));

        long line = yaml[..yaml.IndexOf(marker, StringComparison.Ordinal)].Count(c => c == '\n') + 1;
        Assert.AreEqual((File, line), (error.File, error.Line), error.Message);
        StringAssert.Contains(error.Message, reason);
    }

    [TestMethod]
    public void Parse_BarrierWithOnlySomeCarParkKeys_SaysWhichIsMissing()
    {
        string yaml = ParkingRig.Yaml.Replace("                lane: exit\n", "", StringComparison.Ordinal);

        LayoutException error = Assert.ThrowsExactly<LayoutException>(() => LayoutLoader.Parse(yaml, File));

        StringAssert.Contains(error.Message, "barrier 'b1-garage-exit' has some car-park keys but not 'lane'");
    }

    [TestMethod]
    public void Parse_CarParkWithoutLevels_Refused()
    {
        string yaml = ParkingRig.Yaml[..ParkingRig.Yaml.IndexOf("    levels:", StringComparison.Ordinal)] + "    levels: []\n"
            + ParkingRig.Yaml[ParkingRig.Yaml.IndexOf("buildings:", StringComparison.Ordinal)..];
        yaml = yaml.Replace("    capacity: 3\n", "", StringComparison.Ordinal);
        string barriersOff = string.Join("\n", yaml.Split('\n').Where(l => !l.Contains("carPark:", StringComparison.Ordinal) && !l.Contains("lane:", StringComparison.Ordinal)
            && !l.TrimStart().StartsWith("from:", StringComparison.Ordinal) && !l.TrimStart().StartsWith("to:", StringComparison.Ordinal)));

        LayoutException error = Assert.ThrowsExactly<LayoutException>(() => LayoutLoader.Parse(barriersOff, File));

        StringAssert.Contains(error.Message, "car park 'garage' has no levels");
    }
}
