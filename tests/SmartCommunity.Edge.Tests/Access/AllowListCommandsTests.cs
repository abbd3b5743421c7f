namespace SmartCommunity.Edge.Tests.Access;

using System;
using System.Collections.Generic;
using System.Linq;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using SmartCommunity.Edge.Access;
using SmartCommunity.Edge.Commands;
using SmartCommunity.Edge.Layout;
using SmartCommunity.Protocol;

[TestClass]
public sealed class AllowListCommandsTests
{
    private static readonly BuildingLayout Layout = LayoutLoader.Parse(AccessRig.Yaml, "layout.yaml");
    private static readonly DeviceDefinition Door = Layout.DevicesById[AccessRig.Main];
    private const long Now = 1_740_816_000;

    [TestMethod]
    public void PlanFull_LongCardNumbersWithWindows_EveryPartFitsTheLimitAndThePartsJoinToTheList()
    {
        AllowList list = List(Enumerable.Range(0, 300).Select(i => $"{18_446_744_073_709_000_000UL + (ulong)i}:1740000000:1800000000"));

        IReadOnlyList<string> adds = AllowListCommands.PlanFull(Door, 123_456, list, Now);

        Assert.IsGreaterThan(1, adds.Count);
        for (int part = 1; part <= adds.Count; part++)
        {
            CommandRequest request = AllowListCommands.Full(Door, 123_456, part, adds.Count, adds[part - 1], Now);
            Assert.IsLessThanOrEqualTo(MessageLimits.MaxDownlinkBytes, CommandPublisher.MaxEncodedLength(request), $"part {part}");
        }

        Assert.AreEqual(list.Text, string.Join(";", adds));
        Assert.IsGreaterThan(MessageLimits.MaxDownlinkBytes - 50, CommandPublisher.MaxEncodedLength(AllowListCommands.Full(Door, 123_456, 1, adds.Count, adds[0], Now)),
            "parts are packed, not half empty");
    }

    [TestMethod]
    public void PlanFull_EmptyList_OnePartWithNothingToAdd()
    {
        IReadOnlyList<string> adds = AllowListCommands.PlanFull(Door, 3, AllowList.Empty, Now);

        Assert.AreEqual("", adds.Single());
        CommandRequest request = AllowListCommands.Full(Door, 3, 1, 1, adds[0], Now);
        Assert.IsFalse(request.Fields!.Any(f => f.Key == "add"), "an empty part carries no add");
    }

    [TestMethod]
    public void Delta_FitsOneCommand_CarriesBaseAddRemoveAndNow()
    {
        var delta = new AllowListDelta([new AllowListEntry("7", 0, 0)], ["8", "9"]);

        CommandRequest request = AllowListCommands.Delta(Door, 4, 5, delta, Now)!;

        Assert.AreEqual(CommandKind.AllowList, request.Kind);
        CollectionAssert.AreEqual(
            new[] { "op=delta", "ver=5", "base=4", "add=7:0:0", "remove=8;9", $"now={Now}" },
            request.Fields!.Select(f => $"{f.Key}={f.Value}").ToArray());
    }

    [TestMethod]
    public void Delta_TooBigForOneCommand_IsNullSoTheFullListGoes()
    {
        var delta = new AllowListDelta(Enumerable.Range(0, 40).Select(i => new AllowListEntry((1_000_000 + i).ToString(System.Globalization.CultureInfo.InvariantCulture), 0, 0)).ToList(), []);

        Assert.IsNull(AllowListCommands.Delta(Door, 1, 2, delta, Now));
    }

    private static AllowList List(IEnumerable<string> entries) => AllowList.Parse(string.Join(";", entries));
}
