namespace SmartCommunity.Protocol.Tests;

using System;
using System.Collections.Generic;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using SmartCommunity.Protocol;

[TestClass]
public sealed class CommandNamesTests
{
    [TestMethod]
    public void ReasonOf_EveryRejection_HasItsOwnWireName()
    {
        HashSet<string> seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (CommandRejection rejection in Enum.GetValues<CommandRejection>())
        {
            string reason = CommandNames.ReasonOf(rejection);
            Assert.AreNotEqual("unknown", reason, rejection.ToString());
            Assert.IsTrue(seen.Add(reason), "duplicate reason " + reason);
        }
    }

    [TestMethod]
    [DataRow(CommandRejection.VersionMismatch, "version-mismatch")]
    [DataRow(CommandRejection.ListFull, "list-full")]
    [DataRow(CommandRejection.SafetySensorFault, "safety-sensor-fault")]
    [DataRow(CommandRejection.BadMac, "bad-mac")]
    [DataRow(CommandRejection.Replayed, "replayed")]
    public void ReasonOf_AllowListRejections_UseTheContractNames(CommandRejection rejection, string expected)
    {
        Assert.AreEqual(expected, CommandNames.ReasonOf(rejection));
    }

    [TestMethod]
    public void NameOf_EveryKnownCommand_MatchesItsWireName()
    {
        Assert.AreEqual(CommandNames.Release, CommandNames.NameOf(CommandKind.Release));
        Assert.AreEqual(CommandNames.Reset, CommandNames.NameOf(CommandKind.Reset));
        Assert.AreEqual(CommandNames.SelfTest, CommandNames.NameOf(CommandKind.SelfTest));
        Assert.AreEqual(CommandNames.Close, CommandNames.NameOf(CommandKind.Close));
        Assert.AreEqual(CommandNames.CallReceived, CommandNames.NameOf(CommandKind.CallReceived));
        Assert.AreEqual(CommandNames.CallHandled, CommandNames.NameOf(CommandKind.CallHandled));
        Assert.AreEqual(CommandNames.Sound, CommandNames.NameOf(CommandKind.Sound));
        Assert.AreEqual("allow-list", CommandNames.NameOf(CommandKind.AllowList));
        Assert.AreEqual("grant", CommandNames.NameOf(CommandKind.Grant));
        Assert.AreEqual("deny", CommandNames.NameOf(CommandKind.Deny));
        Assert.AreEqual("open", CommandNames.NameOf(CommandKind.Open));
        Assert.AreEqual("evacuate", CommandNames.NameOf(CommandKind.Evacuate));
        Assert.AreEqual("rekey", CommandNames.NameOf(CommandKind.Rekey));
        Assert.AreEqual("unknown", CommandNames.NameOf(CommandKind.Unknown));
    }
}
