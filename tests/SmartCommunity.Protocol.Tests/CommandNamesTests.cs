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
    public void NameOf_EveryKnownCommand_MatchesItsWireName()
    {
        Assert.AreEqual(CommandNames.Release, CommandNames.NameOf(CommandKind.Release));
        Assert.AreEqual(CommandNames.Reset, CommandNames.NameOf(CommandKind.Reset));
        Assert.AreEqual(CommandNames.SelfTest, CommandNames.NameOf(CommandKind.SelfTest));
        Assert.AreEqual(CommandNames.Close, CommandNames.NameOf(CommandKind.Close));
        Assert.AreEqual(CommandNames.CallReceived, CommandNames.NameOf(CommandKind.CallReceived));
        Assert.AreEqual(CommandNames.CallHandled, CommandNames.NameOf(CommandKind.CallHandled));
        Assert.AreEqual(CommandNames.Sound, CommandNames.NameOf(CommandKind.Sound));
        Assert.AreEqual("unknown", CommandNames.NameOf(CommandKind.Unknown));
    }
}
