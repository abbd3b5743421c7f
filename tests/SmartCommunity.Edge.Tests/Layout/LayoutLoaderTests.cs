namespace SmartCommunity.Edge.Tests.Layout;

using System.IO;
using System.Linq;
using System;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using SmartCommunity.Edge.Layout;
using SmartCommunity.Edge.Tests.TestSupport;

[TestClass]
public sealed class LayoutLoaderTests
{
    private const string File = "site.yaml";

    // Line numbers below refer to this text: the device block starts on line 11, its keys at column 17.
    private const string Head = """
        schema: 1
        site:
          id: s1
        buildings:
          - id: b1
            floors:
              - id: g
                zones:
                  - id: z
                    devices:

        """;

    [TestMethod]
    public void Load_DemoLayout_ReadsBothBuildingsAndEveryDevice()
    {
        BuildingLayout layout = LayoutLoader.Load(DemoLayout.Path);

        Assert.AreEqual("riverside", layout.Site);
        Assert.AreEqual("Riverside Court", layout.SiteName);
        CollectionAssert.AreEqual(new[] { "b1", "b2" }, layout.Buildings.Select(b => b.Id).ToList());
        CollectionAssert.AreEqual(new[] { "Building 1", "Building 2" }, layout.Buildings.Select(b => b.Name).ToList());
        Assert.HasCount(8, layout.Devices);
        Assert.AreEqual(5, layout.DevicesIn("b1").Count());
        Assert.AreEqual(3, layout.DevicesIn("b2").Count());
        CollectionAssert.AreEquivalent(
            DemoLayout.AlarmBuildingDoors,
            layout.DevicesIn("b1").Where(d => d.IsFireReleasedDoor).Select(d => d.Id).ToList());
        CollectionAssert.AreEquivalent(
            DemoLayout.QuietBuildingDoors,
            layout.DevicesIn("b2").Where(d => d.IsFireReleasedDoor).Select(d => d.Id).ToList());
    }

    [TestMethod]
    public void Load_DemoLayout_KeepsRolesPinsParametersAndPlace()
    {
        BuildingLayout layout = LayoutLoader.Load(DemoLayout.Path);

        // The GPIO numbers belong to the reference board and may move; which pins a device has, may not.
        foreach (DeviceDefinition door in layout.Devices.Where(d => d.Kind == DeviceKinds.Door))
        {
            CollectionAssert.AreEquivalent(new[] { "lock", "fire", "doorClosed" }, door.Pins.Keys.ToList(), door.Id);
            Assert.HasCount(3, door.Pins.Values.Distinct().ToList(), $"{door.Id}: one pin, one function");
        }

        DeviceDefinition entrance = layout.DevicesById["b1-lobby-entrance"];
        Assert.AreEqual(DeviceKinds.RoleEgressLock, entrance.Role);
        Assert.AreEqual(("riverside", "b1", "ground", "lobby"), (entrance.Site, entrance.Building, entrance.Floor, entrance.Zone));
        Assert.AreEqual(DeviceKinds.RoleHoldOpen, layout.DevicesById["b1-stair-door"].Role);
        Assert.AreEqual(("first", "corridor"), (layout.DevicesById["b1-f1-exit"].Floor, layout.DevicesById["b1-f1-exit"].Zone));

        DeviceDefinition smoke = layout.DevicesById["b1-lobby-smoke"];
        Assert.AreEqual(DeviceKinds.Smoke, smoke.Kind);
        Assert.AreEqual(DeviceKinds.RoleDetector, smoke.Role, "a smoke detector without a role gets the kind's first role");
        CollectionAssert.AreEquivalent(new[] { "head" }, smoke.Pins.Keys.ToList());
        Assert.AreEqual(2000L, smoke.Parameter("confirmationMs", 0));
        Assert.AreEqual(-1L, smoke.Parameter("restoreMs", -1), "a parameter the layout does not set falls back");
        Assert.IsFalse(smoke.IsFireReleasedDoor);
    }

    [TestMethod]
    public void Parse_MinimalLayout_ReadsTheDevice()
    {
        BuildingLayout layout = LayoutLoader.Parse(
            Head + Device("d1", "kind: door", "role: hold-open", "pins: { lock: 16, fire: 0, doorClosed: 255 }", "params: { heartbeatMs: 15000 }"),
            File);

        DeviceDefinition device = layout.Devices.Single();
        Assert.AreEqual("d1", device.Id);
        Assert.AreEqual(DeviceKinds.RoleHoldOpen, device.Role);
        Assert.AreEqual((16, 0, 255), (device.Pins["lock"], device.Pins["fire"], device.Pins["doorClosed"]));
        Assert.AreEqual(15000L, device.Parameter("heartbeatMs", 0));
        Assert.AreEqual(("s1", "b1", "g", "z"), (device.Site, device.Building, device.Floor, device.Zone));
        Assert.AreEqual("s1", layout.SiteName, "the site name defaults to its id");
        Assert.AreEqual("b1", layout.Buildings.Single().Name, "the building name defaults to its id");
    }

    [TestMethod]
    public void Parse_TypoInDeviceKey_NamesTheKeyAndWhereItIs()
    {
        LayoutException error = ParseFails(Head + Device("d1", "kind: door", "rol: hold-open"));

        AssertAt(error, 13, 17);
        Assert.Contains("unknown key 'rol'", error.Reason);
        Assert.Contains("role", error.Reason, "the reason lists the keys allowed there");
    }

    [TestMethod]
    public void Parse_DeviceIdDeclaredTwice_PointsAtTheSecond()
    {
        LayoutException error = ParseFails(Head + Device("d1", "kind: door") + Device("d1", "kind: smoke"));

        AssertAt(error, 13, 21);
        Assert.Contains("device 'd1' is declared twice", error.Reason);
    }

    [TestMethod]
    public void Parse_BuildingIdDeclaredTwice_PointsAtTheSecond()
    {
        string yaml = Head + Device("d1", "kind: door") + """
              - id: b1
                floors: []

            """;

        LayoutException error = ParseFails(yaml);

        AssertAt(error, 13, 9);
        Assert.Contains("building 'b1' is declared twice", error.Reason);
    }

    [TestMethod]
    public void Parse_UnknownKind_ListsTheKnownKinds()
    {
        LayoutException error = ParseFails(Head + Device("d1", "kind: lamp"));

        AssertAt(error, 12, 23);
        Assert.Contains("unknown device kind 'lamp'", error.Reason);
        Assert.Contains("door, smoke", error.Reason);
    }

    [TestMethod]
    public void Parse_RoleNotAllowedForKind_ListsTheAllowedRoles()
    {
        LayoutException error = ParseFails(Head + Device("d1", "kind: smoke", "role: egress-lock"));

        AssertAt(error, 13, 23);
        Assert.Contains("a smoke cannot have role 'egress-lock'", error.Reason);
        Assert.Contains("detector", error.Reason);
    }

    [TestMethod]
    [DataRow("Door1")]
    [DataRow("door/1")]
    [DataRow("door+1")]
    [DataRow("a-device-id-longer-than-32-chars-x")]
    public void Parse_DeviceIdWithBadCharacters_SaysWhatIsAllowed(string id)
    {
        LayoutException error = ParseFails(Head + Device(id, "kind: door"));

        AssertAt(error, 11, 21);
        Assert.Contains($"device id '{id}'", error.Reason);
        Assert.Contains("a-z, 0-9, '-' or '_'", error.Reason);
    }

    [TestMethod]
    public void Parse_UnsupportedSchema_PointsAtTheVersion()
    {
        LayoutException error = ParseFails(Head.Replace("schema: 1", "schema: 2") + Device("d1", "kind: door"));

        AssertAt(error, 1, 9);
        Assert.Contains("schema 2 is not supported", error.Reason);
    }

    [TestMethod]
    public void Parse_PinNotAWholeNumber_PointsAtThePin()
    {
        LayoutException error = ParseFails(Head + Device("d1", "kind: door", "pins: { lock: sixteen }"));

        AssertAt(error, 13, 31);
        Assert.Contains("pin 'sixteen' must be a whole number", error.Reason);
    }

    [TestMethod]
    public void Parse_PinOutOfRange_PointsAtThePin()
    {
        LayoutException error = ParseFails(Head + Device("d1", "kind: door", "pins: { lock: 300 }"));

        AssertAt(error, 13, 31);
        Assert.Contains("pin 300 is out of range", error.Reason);
    }

    [TestMethod]
    public void Parse_NoBuildingsKey_SaysItIsMissing()
    {
        LayoutException error = ParseFails("schema: 1\nsite:\n  id: s1\n");

        AssertAt(error, 1, 1);
        Assert.Contains("'buildings' is missing", error.Reason);
    }

    [TestMethod]
    public void Parse_EmptyBuildingList_AsksForOne()
    {
        LayoutException error = ParseFails("schema: 1\nsite:\n  id: s1\nbuildings: []\n");

        AssertAt(error, 4, 12);
        Assert.Contains("no buildings", error.Reason);
    }

    [TestMethod]
    public void Parse_InvalidYaml_ReportsTheParserPosition()
    {
        // "name" is indented deeper than "id"; YamlDotNet reports the ':' that follows it.
        LayoutException error = ParseFails("schema: 1\nsite:\n  id: s1\n   name: x\n");

        AssertAt(error, 4, 8);
        Assert.StartsWith("not valid YAML", error.Reason);
    }

    [TestMethod]
    public void Parse_FlowMappingNeverClosed_IsALayoutErrorNotACrash()
    {
        string yaml = System.IO.File.ReadAllText(DemoLayout.Path).Replace("doorClosed: 35 }", "doorClosed: 35", StringComparison.Ordinal);

        LayoutException error = ParseFails(yaml);

        Assert.StartsWith("not valid YAML", error.Reason);
    }

    [TestMethod]
    public void Parse_KeyRepeated_IsInvalidYamlAtTheRepeat()
    {
        LayoutException error = ParseFails("schema: 1\nschema: 1\n");

        AssertAt(error, 2, 1);
        Assert.Contains("Duplicate key schema", error.Reason);
    }

    [TestMethod]
    public void Parse_NotAMapping_SaysWhatALayoutIs()
    {
        LayoutException error = ParseFails("- just\n- a list\n");

        AssertAt(error, 1, 1);
        Assert.Contains("one YAML mapping", error.Reason);
    }

    [TestMethod]
    public void Load_MissingFile_NamesTheFile()
    {
        string path = Path.Combine(Path.GetTempPath(), "sc-edge-tests-no-such-layout.yaml");

        LayoutException error = Assert.ThrowsExactly<LayoutException>(() => LayoutLoader.Load(path));

        Assert.AreEqual(path, error.File);
        Assert.Contains("cannot read the layout file", error.Reason);
    }

    [TestMethod]
    public void LayoutException_Message_IsFileLineColumnReason()
    {
        LayoutException error = ParseFails(Head + Device("d1", "kind: lamp"));

        Assert.StartsWith($"{File}:12:23: unknown device kind", error.Message);
    }

    [TestMethod]
    public void Parse_NoFireKey_BuildingConfirmsOnAnyDetectorWithTheDefaultWindow()
    {
        BuildingLayout layout = LayoutLoader.Parse(Head + Device("d1", "kind: smoke"), File);

        Assert.AreEqual(FirePolicy.Default, layout.Buildings.Single().Fire);
        Assert.AreEqual((FireConfirmationMode.AnyDetector, 30.0, false), (FirePolicy.Default.Confirmation, FirePolicy.Default.Window.TotalSeconds, FirePolicy.Default.TestReleasesDoors));
    }

    [TestMethod]
    [DataRow("two-detectors", FireConfirmationMode.TwoDetectors)]
    [DataRow("detector-and-call-point", FireConfirmationMode.DetectorAndCallPoint)]
    [DataRow("any-detector", FireConfirmationMode.AnyDetector)]
    public void Parse_FirePolicy_ReadsModeWindowAndTestFlag(string confirm, FireConfirmationMode mode)
    {
        BuildingLayout layout = LayoutLoader.Parse(FireHead($"{{ confirm: {confirm}, windowS: 20, testReleasesDoors: true }}") + Device("d1", "kind: smoke"), File);

        Assert.AreEqual(new FirePolicy(mode, TimeSpan.FromSeconds(20), true), layout.Buildings.Single().Fire);
    }

    [TestMethod]
    public void Parse_UnknownConfirmation_ListsTheModesAtTheValue()
    {
        LayoutException error = ParseFails(FireHead("{ confirm: three-detectors }") + Device("d1", "kind: smoke"));

        AssertAt(error, 6, 22);
        Assert.Contains("unknown fire confirmation 'three-detectors'", error.Reason);
        Assert.Contains("any-detector, two-detectors or detector-and-call-point", error.Reason);
    }

    [TestMethod]
    [DataRow(0)]
    [DataRow(61)]
    public void Parse_WindowOutsideOneToSixtySeconds_Refused(int seconds)
    {
        LayoutException error = ParseFails(FireHead($"{{ confirm: two-detectors, windowS: {seconds} }}") + Device("d1", "kind: smoke"));

        AssertAt(error, 6, 46);
        Assert.Contains($"windowS {seconds} is out of range; give 1-60 seconds", error.Reason);
    }

    [TestMethod]
    public void Parse_UnknownFireKey_ListsTheAllowedOnes()
    {
        LayoutException error = ParseFails(FireHead("{ confirm: two-detectors, window: 20 }") + Device("d1", "kind: smoke"));

        Assert.Contains("unknown key 'window'", error.Reason);
        Assert.Contains("windowS", error.Reason);
    }

    [TestMethod]
    public void Parse_DetectorConfirmationPlusWindowOverSixtySeconds_RefusedNamingTheDetector()
    {
        LayoutException error = ParseFails(FireHead("{ confirm: two-detectors, windowS: 58 }") + Device("d1", "kind: smoke", "params: { confirmationMs: 3000 }"));

        AssertAt(error, 6, 11);
        Assert.Contains("detector 'd1' confirms in 3000 ms and the fire window is 58 s: together 61 s, over the 60 s limit", error.Reason);
    }

    [TestMethod]
    public void Parse_LongWindowWithTheDefaultDetectorConfirmation_CountsTheFirmwareDefault()
    {
        LayoutException error = ParseFails(FireHead("{ confirm: detector-and-call-point, windowS: 58 }") + Device("d1", "kind: smoke"));

        Assert.Contains($"confirms in {LayoutLoader.DefaultSmokeConfirmationMs} ms", error.Reason);
    }

    [TestMethod]
    public void Parse_LongWindowInAnyDetectorMode_AcceptedBecauseNoDetectorWaits()
    {
        BuildingLayout layout = LayoutLoader.Parse(FireHead("{ confirm: any-detector, windowS: 60 }") + Device("d1", "kind: smoke", "params: { confirmationMs: 60000 }"), File);

        Assert.AreEqual(TimeSpan.FromSeconds(60), layout.Buildings.Single().Fire.Window);
    }

    [TestMethod]
    public void Parse_DetectorConfirmationOverSixtySeconds_RefusedAtTheParameter()
    {
        LayoutException error = ParseFails(Head + Device("d1", "kind: smoke", "params: { confirmationMs: 60001 }"));

        AssertAt(error, 13, 43);
        Assert.Contains("confirmationMs 60001 is out of range", error.Reason);
    }

    [TestMethod]
    [DataRow("manual-call-point", null, DeviceKinds.RoleBreakGlass)]
    [DataRow("emergency-call-point", null, DeviceKinds.RoleResident)]
    [DataRow("leak", null, DeviceKinds.RoleSensorValve)]
    [DataRow("leak", "valve", DeviceKinds.RoleValve)]
    public void Parse_LifeSafetyKinds_TakeTheirRolesWithTheFirstAsDefault(string kind, string? role, string expected)
    {
        BuildingLayout layout = LayoutLoader.Parse(Head + Device("d1", role is null ? [$"kind: {kind}"] : [$"kind: {kind}", $"role: {role}"]), File);

        Assert.AreEqual((kind, expected), (layout.Devices.Single().Kind, layout.Devices.Single().Role));
    }

    [TestMethod]
    public void Parse_CallPointWithAValveRole_ListsItsRoles()
    {
        LayoutException error = ParseFails(Head + Device("d1", "kind: manual-call-point", "role: valve"));

        Assert.Contains("a manual-call-point cannot have role 'valve'; use one of: break-glass", error.Reason);
    }

    [TestMethod]
    public void Parse_UnitAndFeedsSprinklers_KeptOnTheDevice()
    {
        BuildingLayout layout = LayoutLoader.Parse(
            Head + Device("call", "kind: emergency-call-point", "unit: flat 12") + Device("main", "kind: leak", "role: valve", "feedsSprinklers: true") + Device("riser", "kind: leak", "role: valve"),
            File);

        Assert.AreEqual("flat 12", layout.DevicesById["call"].Unit);
        Assert.IsTrue(layout.DevicesById["main"].FeedsSprinklers);
        Assert.IsFalse(layout.DevicesById["riser"].FeedsSprinklers, "a valve feeds sprinklers only when the layout says so");
        Assert.IsNull(layout.DevicesById["riser"].Unit);
    }

    [TestMethod]
    public void Parse_FeedsSprinklersOnADoor_RefusedAtTheKey()
    {
        LayoutException error = ParseFails(Head + Device("d1", "kind: door", "feedsSprinklers: true"));

        AssertAt(error, 13, 34);
        Assert.Contains("feedsSprinklers applies to valves (kind leak) only, not to a door", error.Reason);
    }

    [TestMethod]
    public void Parse_FeedsSprinklersNotABoolean_Refused()
    {
        LayoutException error = ParseFails(Head + Device("d1", "kind: leak", "feedsSprinklers: maybe"));

        AssertAt(error, 13, 34);
    }

    [TestMethod]
    public void Parse_UnitLongerThan64Characters_Refused()
    {
        LayoutException error = ParseFails(Head + Device("d1", "kind: emergency-call-point", "unit: " + new string('x', 65)));

        AssertAt(error, 13, 23);
        Assert.Contains("unit must be 1-64 characters", error.Reason);
    }

    [TestMethod]
    public void Parse_SprinklerValveWithALeakProbe_RefusedBecauseItsProbeWouldCloseIt()
    {
        LayoutException error = ParseFails(Head + Device("d1", "kind: leak", "role: sensor-valve", "feedsSprinklers: true"));

        Assert.Contains("must have role 'valve'", error.Reason);
    }

    [TestMethod]
    public void Parse_SprinklerValve_IsNeverExercised()
    {
        BuildingLayout layout = LayoutLoader.Parse(Head + Device("main", "kind: leak", "role: valve", "feedsSprinklers: true"), File);

        Assert.AreEqual(0L, layout.DevicesById["main"].Parameter(LayoutLoader.ExerciseIntervalParameter, -1));
    }

    [TestMethod]
    public void Parse_SprinklerValveWithAnExerciseInterval_Refused()
    {
        LayoutException error = ParseFails(Head + Device("main", "kind: leak", "role: valve", "params: { exerciseIntervalMs: 604800000 }", "feedsSprinklers: true"));

        Assert.Contains("never exercised", error.Reason);
    }

    // Like Head, with a fire mapping on line 6 (its value starts at column 11).
    private static string FireHead(string fire) => $"""
        schema: 1
        site:
          id: s1
        buildings:
          - id: b1
            fire: {fire}
            floors:
              - id: g
                zones:
                  - id: z
                    devices:

        """;

    private static string Device(string id, params string[] lines) =>
        $"              - id: {id}\n" + string.Concat(lines.Select(l => $"                {l}\n"));

    private static LayoutException ParseFails(string yaml) =>
        Assert.ThrowsExactly<LayoutException>(() => LayoutLoader.Parse(yaml, File));

    private static void AssertAt(LayoutException error, long line, long column)
    {
        Assert.AreEqual(File, error.File);
        Assert.AreEqual((line, column), (error.Line, error.Column), error.Message);
    }
}
