namespace SmartCommunity.Firmware.Tests.Messaging;

using System.Text;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using SmartCommunity.Firmware.Messaging;
using SmartCommunity.Protocol;

[TestClass]
public sealed class CommandInboxTests
{
    [TestMethod]
    public void TryGetOutcome_NeverSeen_ReturnsFalse()
    {
        CommandInbox inbox = new CommandInbox();

        Assert.IsFalse(inbox.TryGetOutcome(CommandWithId("c1"), out CommandRejection outcome));
        Assert.AreEqual(CommandRejection.None, outcome);
    }

    [TestMethod]
    public void TryGetOutcome_Remembered_ReturnsItsOutcome()
    {
        CommandInbox inbox = new CommandInbox();
        inbox.Remember(CommandWithId("c1"), CommandRejection.FireActive);
        inbox.Remember(CommandWithId("c2"), CommandRejection.None);

        Assert.IsTrue(inbox.TryGetOutcome(CommandWithId("c1"), out CommandRejection first));
        Assert.AreEqual(CommandRejection.FireActive, first);
        Assert.IsTrue(inbox.TryGetOutcome(CommandWithId("c2"), out CommandRejection second));
        Assert.AreEqual(CommandRejection.None, second);
    }

    [TestMethod]
    public void TryGetOutcome_PrefixOrLongerId_NotConfused()
    {
        CommandInbox inbox = new CommandInbox();
        inbox.Remember(CommandWithId("abc"), CommandRejection.None);

        Assert.IsFalse(inbox.TryGetOutcome(CommandWithId("ab"), out _));
        Assert.IsFalse(inbox.TryGetOutcome(CommandWithId("abcd"), out _));
    }

    [TestMethod]
    public void Remember_MoreThanCapacity_ForgetsOnlyTheOldest()
    {
        CommandInbox inbox = new CommandInbox();

        for (int i = 0; i <= CommandInbox.Capacity; i++)
        {
            inbox.Remember(CommandWithId("id-" + i), CommandRejection.None);
        }

        Assert.IsFalse(inbox.TryGetOutcome(CommandWithId("id-0"), out _));
        for (int i = 1; i <= CommandInbox.Capacity; i++)
        {
            Assert.IsTrue(inbox.TryGetOutcome(CommandWithId("id-" + i), out _), "id-" + i);
        }
    }

    [TestMethod]
    public void Remember_ShorterIdInReusedSlot_DoesNotMatchTheOldLongerId()
    {
        CommandInbox inbox = new CommandInbox();
        inbox.Remember(CommandWithId("long-identifier"), CommandRejection.None);
        for (int i = 1; i <= CommandInbox.Capacity; i++)
        {
            inbox.Remember(CommandWithId("s" + i), CommandRejection.None);
        }

        Assert.IsFalse(inbox.TryGetOutcome(CommandWithId("long-identifier"), out _));
        Assert.IsTrue(inbox.TryGetOutcome(CommandWithId("s16"), out _));
    }

    private static Command CommandWithId(string id)
    {
        Command command = new Command();
        command.IdLength = Encoding.ASCII.GetBytes(id, 0, id.Length, command.Id, 0);
        return command;
    }
}
