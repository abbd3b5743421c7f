namespace SmartCommunity.Edge.Tests.Access;

using System;
using System.Linq;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using SmartCommunity.Edge.Access;
using SmartCommunity.Edge.Layout;

[TestClass]
public sealed class AllowListTests
{
    private static readonly DateTimeOffset Now = AccessRig.Start;
    private static readonly BuildingLayout Layout = LayoutLoader.Parse(AccessRig.Yaml, "layout.yaml");

    [TestMethod]
    public void For_CardNamingADoor_IsOnThatDoorOnly()
    {
        AccessCard card = Card("1001", doors: [AccessRig.GymIn]);

        Assert.AreEqual("1001:0:0", AllowList.For(Door(AccessRig.GymIn), [card], Now).Text);
        Assert.AreEqual(0, AllowList.For(Door(AccessRig.GymOut), [card], Now).Count);
    }

    [TestMethod]
    public void For_CardNamingAGroup_IsOnEveryDoorOfTheGroupAndNoOther()
    {
        AccessCard card = Card("1002", groups: [AccessRig.Residents]);

        string[] doors = Layout.Devices.Where(d => d.Kind == DeviceKinds.Door && AllowList.For(d, [card], Now).Count == 1).Select(d => d.Id).ToArray();

        CollectionAssert.AreEquivalent(new[] { AccessRig.Main, AccessRig.GarageIn }, doors);
    }

    [TestMethod]
    public void For_ValidityWindows_ExpiredLeftOutOthersKeepTheirWindowInUnixSeconds()
    {
        AccessCard expired = Card("1", groups: [AccessRig.Residents], to: Now);
        AccessCard future = Card("2", groups: [AccessRig.Residents], from: Now.AddDays(1), to: Now.AddDays(30));
        AccessCard ending = Card("3", groups: [AccessRig.Residents], to: Now.AddSeconds(1).AddMilliseconds(500));
        AccessCard open = Card("4", groups: [AccessRig.Residents]);

        AllowList list = AllowList.For(Door(AccessRig.Main), [open, ending, future, expired], Now);

        long now = Now.ToUnixTimeSeconds();
        Assert.AreEqual($"2:{now + 86_400}:{now + (30 * 86_400)};3:0:{now + 2};4:0:0", list.Text,
            "ordered by card number; a window ending within a second is rounded up, never cut short");
        Assert.IsTrue(list.HasWindows);
    }

    [TestMethod]
    public void For_CardsOrderedByNumberValueNotText()
    {
        AllowList list = AllowList.For(Door(AccessRig.Main), [Card("900", doors: [AccessRig.Main]), Card("18446744073709551615", doors: [AccessRig.Main]), Card("1000", doors: [AccessRig.Main])], Now);

        CollectionAssert.AreEqual(new[] { "900", "1000", "18446744073709551615" }, list.Entries.Select(e => e.Card).ToArray());
    }

    [TestMethod]
    public void DeltaFrom_AddedChangedAndRemovedCards_AddsNewAndChangedRemovesGone()
    {
        AllowList before = AllowList.Parse("1:0:0;2:0:0;3:0:0");
        AllowList after = AllowList.Parse("1:0:0;2:0:1800000000;4:0:0");

        AllowListDelta delta = after.DeltaFrom(before);

        CollectionAssert.AreEqual(new[] { "2:0:1800000000", "4:0:0" }, delta.Add.Select(e => e.Wire).ToArray(), "a changed window is an add that replaces the door's entry");
        CollectionAssert.AreEqual(new[] { "3" }, delta.Remove.ToArray());
        Assert.IsTrue(after.DeltaFrom(after).IsEmpty);
    }

    [TestMethod]
    public void Parse_StoredText_RoundTripsAndComparesByContent()
    {
        AllowList list = AllowList.Parse("5:10:20;7:0:0");

        Assert.AreEqual("5:10:20;7:0:0", list.Text);
        Assert.AreEqual(list, AllowList.Parse(list.Text));
        Assert.AreEqual(AllowList.Empty, AllowList.Parse(""));
    }

    [TestMethod]
    [DataRow("42", "42")]
    [DataRow("0042", "42")]
    [DataRow("18446744073709551615", "18446744073709551615")]
    public void TryNormalize_DecimalUpTo64Bits_WrittenWithoutLeadingZeros(string text, string expected)
    {
        Assert.IsTrue(CardNumber.TryNormalize(text, out string number));
        Assert.AreEqual(expected, number);
    }

    [TestMethod]
    [DataRow("")]
    [DataRow("18446744073709551616")]
    [DataRow("123456789012345678901")]
    [DataRow("12a4")]
    [DataRow("-5")]
    [DataRow("+5")]
    [DataRow(" 5")]
    [DataRow("٣")]
    public void TryNormalize_NotADecimal64BitNumber_Refused(string text) => Assert.IsFalse(CardNumber.TryNormalize(text, out _));

    private static DeviceDefinition Door(string id) => Layout.DevicesById[id];

    private static AccessCard Card(string number, string[]? doors = null, string[]? groups = null, DateTimeOffset? from = null, DateTimeOffset? to = null) =>
        new(number, "R", null, from, to, doors ?? [], groups ?? [], Now, "alice");
}
