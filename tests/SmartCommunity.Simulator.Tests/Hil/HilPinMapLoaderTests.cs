namespace SmartCommunity.Simulator.Tests.Hil;

using System;
using System.IO;
using System.Linq;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using SmartCommunity.Simulator.Hil;

[TestClass]
public sealed class HilPinMapLoaderTests
{
    [TestMethod]
    public void Parse_ReferenceBench_PinsWithDirectionsAndJumpers()
    {
        HilPinMap map = HilPinMapLoader.Parse(HilTestFiles.BenchMap, "bench.yaml");

        Assert.AreEqual(0, map.Chip);
        HilDevice door = map.Devices.Single();
        Assert.AreEqual("b1-lobby-entrance", door.Id);
        Assert.AreEqual(new HilPin("fire", 17, false, HilDirection.BenchDrives, true), door.Pins.Single(p => p.Name == "fire"));
        Assert.AreEqual(new HilPin("doorClosed", 27, true, HilDirection.BenchDrives, true), door.Pins.Single(p => p.Name == "doorClosed"));
        Assert.AreEqual(new HilPin("lock", 22, false, HilDirection.BenchReads, false), door.Pins.Single(p => p.Name == "lock"));
        CollectionAssert.AreEqual(new[] { new HilJumper(17, 22), new HilJumper(27, 23), new HilJumper(5, 6) }, map.Jumpers.ToArray());
        Assert.AreEqual("22 (b1-lobby-entrance.lock)", map.Describe(22));
        Assert.AreEqual("23", map.Describe(23));
    }

    [TestMethod]
    public void Load_ShippedExample_IsValid()
    {
        string example = Path.Combine(RepoRoot(), "simulators", "SmartCommunity.Simulator", "Hil", "door-bench.pins.yaml");

        HilPinMap map = HilPinMapLoader.Load(example);

        Assert.AreEqual(3, map.Devices.Single().Pins.Count);
        Assert.IsTrue(map.Jumpers.Count >= 2);
    }

    [TestMethod]
    public void Load_MissingFile_SaysWhichOptionToCheck()
    {
        var ex = Assert.ThrowsExactly<PinMapException>(() => HilPinMapLoader.Load("/nonexistent/bench.yaml"));

        StringAssert.Contains(ex.Message, "--pins");
    }

    [TestMethod]
    [DataRow("schema: 2\nloopback: [{ drive: 1, read: 2 }]", 1, "schema must be 1")]
    [DataRow("schema: 1\nchips: 0\nloopback: [{ drive: 1, read: 2 }]", 2, "unknown key 'chips'")]
    [DataRow("schema: 1", 1, "neither devices nor loopback")]
    [DataRow("schema: 1\nloopback:\n  - { drive: 4, read: 4 }", 3, "drive and read are both 4")]
    [DataRow("schema: 1\nloopback:\n  - { drive: 4, read: 5 }\n  - { drive: 6, read: 4 }", 4, "line 4 is in the jumper on line 3")]
    [DataRow("schema: 1\nloopback:\n  - { drive: 4, read: 5000 }", 3, "out of range 0-1023")]
    [DataRow("schema: 1\nloopback:\n  - { drive: x, read: 5 }", 3, "must be a whole number")]
    public void Parse_BadFile_ErrorNamesLineAndReason(string yaml, int line, string reason)
    {
        var ex = Assert.ThrowsExactly<PinMapException>(() => HilPinMapLoader.Parse(yaml, "bench.yaml"));

        Assert.AreEqual(line, ex.Line, ex.Message);
        StringAssert.Contains(ex.Message, reason);
        StringAssert.StartsWith(ex.Message, $"bench.yaml:{line}:");
    }

    [TestMethod]
    public void Parse_SmokeDevice_ExplainsWhyAnalogIsNotSupported()
    {
        const string yaml = "schema: 1\ndevices:\n  - id: s1\n    kind: smoke\n    pins: { head: 4 }";

        var ex = Assert.ThrowsExactly<PinMapException>(() => HilPinMapLoader.Parse(yaml, "bench.yaml"));

        Assert.AreEqual(4, ex.Line);
        StringAssert.Contains(ex.Message, "DAC");
    }

    [TestMethod]
    public void Parse_UnknownPinName_ListsTheKindsPins()
    {
        const string yaml = "schema: 1\ndevices:\n  - id: d1\n    kind: door\n    pins: { lock: 1, fire: 2, door: 3 }";

        var ex = Assert.ThrowsExactly<PinMapException>(() => HilPinMapLoader.Parse(yaml, "bench.yaml"));

        StringAssert.Contains(ex.Message, "no pin 'door'");
        StringAssert.Contains(ex.Message, "doorClosed");
    }

    [TestMethod]
    public void Parse_DoorWithoutFire_Rejected()
    {
        const string yaml = "schema: 1\ndevices:\n  - id: d1\n    kind: door\n    pins: { lock: 1 }";

        var ex = Assert.ThrowsExactly<PinMapException>(() => HilPinMapLoader.Parse(yaml, "bench.yaml"));

        StringAssert.Contains(ex.Message, "needs pin 'fire'");
    }

    [TestMethod]
    public void Parse_LineWiredTwice_NamesTheOtherPin()
    {
        const string yaml = "schema: 1\ndevices:\n  - id: d1\n    kind: door\n    pins: { lock: 1, fire: 2 }\n  - id: d2\n    kind: door\n    pins: { lock: 3, fire: 1 }";

        var ex = Assert.ThrowsExactly<PinMapException>(() => HilPinMapLoader.Parse(yaml, "bench.yaml"));

        Assert.AreEqual(8, ex.Line);
        StringAssert.Contains(ex.Message, "d1.lock");
    }

    [TestMethod]
    public void Parse_UnknownKindAndDuplicateDevice_Rejected()
    {
        var kind = Assert.ThrowsExactly<PinMapException>(() => HilPinMapLoader.Parse("schema: 1\ndevices:\n  - { id: v1, kind: valve, pins: { a: 1 } }", "m.yaml"));
        StringAssert.Contains(kind.Message, "unknown kind 'valve'");

        var twice = Assert.ThrowsExactly<PinMapException>(() => HilPinMapLoader.Parse(
            "schema: 1\ndevices:\n  - { id: d1, kind: door, pins: { lock: 1, fire: 2 } }\n  - { id: d1, kind: door, pins: { lock: 3, fire: 4 } }", "m.yaml"));
        StringAssert.Contains(twice.Message, "listed twice");
    }

    private static string RepoRoot()
    {
        for (DirectoryInfo? dir = new(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "nano.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("nano.sln not found above " + AppContext.BaseDirectory);
    }
}
