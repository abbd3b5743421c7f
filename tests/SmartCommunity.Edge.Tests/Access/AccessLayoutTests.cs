namespace SmartCommunity.Edge.Tests.Access;

using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading.Tasks;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using SmartCommunity.Edge.Layout;
using SmartCommunity.Edge.Registry;
using SmartCommunity.Edge.Storage;
using SmartCommunity.Edge.Tests.TestSupport;

/// <summary>The layout keys of access control (hardware-docs/layout.md): door groups and the door keys, and their checks.</summary>
[TestClass]
public sealed class AccessLayoutTests
{
    private const string File = "site.yaml";

    // Line numbers below refer to this text and Keys: the device's keys start on line 14, column 17.
    private const string Head = """
        schema: 1
        site: { id: s1 }
        doorGroups:
          - { id: lobby }
          - { id: car-park, antiPassback: hard }
        buildings:
          - id: b1
            floors:
              - id: g
                zones:
                  - id: z
                    devices:
                      - id: d1
        """;

    [TestMethod]
    public void Parse_DoorGroupsAndDoorKeys_AreReadIntoTheLayout()
    {
        BuildingLayout layout = LayoutLoader.Parse(AccessRig.Yaml, File);

        CollectionAssert.AreEqual(
            new[] { "residents:none:0", "garage:hard:0", "gym:soft:0", "pool:timed:60" },
            layout.DoorGroups.Select(g => $"{g.Id}:{DoorGroup.NameOf(g.AntiPassback)}:{g.Timed.TotalSeconds}").ToArray());
        DeviceDefinition garage = layout.DevicesById[AccessRig.GarageIn];
        CollectionAssert.AreEqual(new[] { AccessRig.Residents, AccessRig.Garage }, garage.Groups.ToArray());
        Assert.AreEqual(DeviceKinds.DirectionIn, garage.Direction);
        Assert.IsNull(layout.DevicesById[AccessRig.Pool].Direction, "a timed group needs no direction");
    }

    [TestMethod]
    public void Parse_LockModeAndEgressCritical_Read()
    {
        BuildingLayout layout = LayoutLoader.Parse(Head + Keys("kind: door", "lockMode: fail-safe", "egressCritical: true"), File);

        DeviceDefinition door = layout.Devices.Single();
        Assert.AreEqual((DeviceKinds.LockFailSafe, true), (door.LockMode, door.EgressCritical));
    }

    [TestMethod]
    public void Parse_FailSecureEntryLock_AcceptedAndReleasedInAFireLikeTheOtherDoors()
    {
        BuildingLayout layout = LayoutLoader.Parse(Head + Keys("kind: door", "role: entry-lock", "lockMode: fail-secure", "egressCritical: false"), File);

        DeviceDefinition door = layout.Devices.Single();
        Assert.AreEqual((DeviceKinds.RoleEntryLock, DeviceKinds.LockFailSecure, (bool?)false), (door.Role, door.LockMode, door.EgressCritical));
        Assert.IsTrue(door.IsFireReleasedDoor);
    }

    [TestMethod]
    public void Parse_FailSecureEgressLock_RefusedWhere()
    {
        LayoutException error = Fails(Head + Keys("kind: door", "role: egress-lock", "lockMode: fail-secure"));

        Assert.AreEqual((16L, 27L), (error.Line, error.Column));
        StringAssert.StartsWith(error.Message, "site.yaml:16:27: an egress-lock is always fail-safe");
    }

    [TestMethod]
    public void Parse_FailSecureHoldOpen_RefusedBecauseTheFireDoorMustClose()
    {
        LayoutException error = Fails(Head + Keys("kind: door", "role: hold-open", "lockMode: fail-secure"));

        Assert.Contains("hold-open magnet is always fail-safe", error.Reason);
    }

    [TestMethod]
    public void Parse_UnknownGroup_RefusedNamingTheDeclaredOnes()
    {
        LayoutException error = Fails(Head + Keys("kind: door", "groups: [lobby, gym]"));

        Assert.AreEqual((15L, 33L), (error.Line, error.Column));
        Assert.Contains("unknown door group 'gym'; declared groups: lobby, car-park", error.Reason);
    }

    [TestMethod]
    public void Parse_DoorInHardGroupWithoutDirection_Refused()
    {
        LayoutException error = Fails(Head + Keys("kind: door", "groups: [car-park]"));

        Assert.Contains("give the door direction: in or out", error.Reason);
    }

    [TestMethod]
    public void Parse_BadDirection_Refused() =>
        Assert.Contains("must be in or out", Fails(Head + Keys("kind: door", "direction: up")).Reason);

    [TestMethod]
    public void Parse_DoorKeyOnASmokeDetector_Refused() =>
        Assert.Contains("groups applies to doors (kind door) only", Fails(Head + Keys("kind: smoke", "groups: [lobby]")).Reason);

    [TestMethod]
    public void Parse_TimedGroupWithoutTimedS_Refused()
    {
        LayoutException error = Fails("""
            schema: 1
            site: { id: s1 }
            doorGroups:
              - { id: pool, antiPassback: timed }
            buildings: []
            """);

        Assert.AreEqual(4L, error.Line);
        Assert.Contains("no timedS", error.Reason);
    }

    [TestMethod]
    [DataRow("antiPassback: sometimes", "unknown antiPassback 'sometimes'")]
    [DataRow("antiPassback: hard, timedS: 5", "timedS applies to antiPassback: timed only")]
    [DataRow("antiPassback: timed, timedS: 0", "timedS 0 is out of range")]
    [DataRow("colour: red", "unknown key 'colour'")]
    public void Parse_BadDoorGroup_RefusedSayingWhy(string keys, string reason) =>
        Assert.Contains(reason, Fails($$"""
            schema: 1
            site: { id: s1 }
            doorGroups:
              - { id: pool, {{keys}} }
            buildings: []
            """).Reason);

    [TestMethod]
    public async Task Registry_DoorKeys_PersistAcrossARestartAndAreCheckedLikeTheFiles()
    {
        using var data = new TempFolder();
        BuildingLayout layout = LayoutLoader.Parse(AccessRig.Yaml, File);
        await using (EventLog log = EventLog.Open(data.File("edge.db"), NullLogger.Instance))
        {
            DeviceRegistry registry = Open(data, layout, log);
            var door = new DeviceDefinition("b1-back", DeviceKinds.Door, DeviceKinds.RoleEgressLock, layout.Site, "b1", "ground", "lobby",
                new Dictionary<string, int>(), new Dictionary<string, long>())
            { Groups = [AccessRig.Garage], Direction = DeviceKinds.DirectionOut, LockMode = DeviceKinds.LockFailSafe, EgressCritical = false };

            Assert.IsEmpty(await registry.SaveAsync(door, "alice"));
            IReadOnlyList<string> problems = await registry.SaveAsync(door with { Id = "b1-bad", Groups = ["nowhere"], LockMode = DeviceKinds.LockFailSecure }, "alice");
            Assert.HasCount(2, problems, string.Join("; ", problems));
        }

        BuildingLayout again = LayoutLoader.Parse(AccessRig.Yaml, File);
        await using (EventLog log = EventLog.Open(data.File("edge.db"), NullLogger.Instance))
        {
            Open(data, again, log);
        }

        DeviceDefinition stored = again.DevicesById["b1-back"];
        Assert.AreEqual((AccessRig.Garage, DeviceKinds.DirectionOut, DeviceKinds.LockFailSafe, (bool?)false),
            (stored.Groups.Single(), stored.Direction, stored.LockMode, stored.EgressCritical));
        CollectionAssert.AreEqual(new[] { AccessRig.Residents, AccessRig.Garage }, again.DevicesById[AccessRig.GarageIn].Groups.ToArray(), "the file's doors keep theirs");
    }

    private static DeviceRegistry Open(TempFolder data, BuildingLayout layout, EventLog log) =>
        DeviceRegistry.Open(data.File("edge.db"), BuildingKey.LoadOrCreate(data.File(BuildingKey.FileName)), layout, log, new FakeTimeProvider(AccessRig.Start), NullLogger.Instance);

    private static string Keys(params string[] lines) => "\n" + string.Concat(lines.Select(l => "                " + l + "\n"));

    private static LayoutException Fails(string yaml)
    {
        try
        {
            LayoutLoader.Parse(yaml, File);
        }
        catch (LayoutException error)
        {
            return error;
        }

        Assert.Fail("the layout was accepted");
        throw new InvalidOperationException();
    }
}
