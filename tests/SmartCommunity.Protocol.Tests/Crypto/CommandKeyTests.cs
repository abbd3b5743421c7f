namespace SmartCommunity.Protocol.Tests.Crypto;

using System;
using System.Security.Cryptography;
using System.Text;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using SmartCommunity.Protocol;
using SmartCommunity.Protocol.Crypto;

/// <summary>The MAC and key wrapping of signed commands (hardware-docs/protocol.md §4.5).</summary>
[TestClass]
public sealed class CommandKeyTests
{
    private static readonly byte[] KeyBytes = Hex.Bytes("000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f");

    [TestMethod]
    public void Sign_CommandWithEmptyMac_MacIsHmacOfThePayloadAsItReadsWithTheEmptyMac()
    {
        byte[] unsigned = Encoding.UTF8.GetBytes("{\"v\":1,\"id\":\"a\",\"cmd\":\"release\",\"mac\":\"\",\"reason\":\"x\"}");

        byte[] signed = KeyOf(KeyBytes).Sign(unsigned, unsigned.Length);

        string expected = Convert.ToHexStringLower(HMACSHA256.HashData(KeyBytes, unsigned));
        Assert.AreEqual("{\"v\":1,\"id\":\"a\",\"cmd\":\"release\",\"mac\":\"" + expected + "\",\"reason\":\"x\"}", Encoding.UTF8.GetString(signed));
    }

    [TestMethod]
    public void Verify_SignedCommandDecoded_TrueAndFalseForEveryFlippedByte()
    {
        byte[] unsigned = Encoding.UTF8.GetBytes("{\"v\":1,\"id\":\"a\",\"cmd\":\"unlock\",\"ms\":5000,\"ctr\":9,\"boot\":2,\"exp\":100,\"mac\":\"\"}");
        CommandKey key = KeyOf(KeyBytes);
        byte[] signed = key.Sign(unsigned, unsigned.Length);
        var decoder = new CommandDecoder();
        var command = new Command();
        Assert.AreEqual(CommandRejection.None, decoder.Decode(signed, signed.Length, command));
        Assert.IsTrue(key.Verify(signed, signed.Length, command.MacStart, command.MacRawLength));

        for (int i = 0; i < signed.Length; i++)
        {
            byte[] altered = (byte[])signed.Clone();
            altered[i] ^= 0x01;
            if (decoder.Decode(altered, altered.Length, command) == CommandRejection.None)
            {
                Assert.IsFalse(key.Verify(altered, altered.Length, command.MacStart, command.MacRawLength), $"byte {i} flipped still verifies");
            }
        }
    }

    [TestMethod]
    public void Verify_NoMacOrWrongLength_False()
    {
        CommandKey key = KeyOf(KeyBytes);
        byte[] payload = Encoding.UTF8.GetBytes("{\"v\":1,\"id\":\"a\",\"cmd\":\"release\",\"mac\":\"abcd\"}");
        var command = new Command();
        new CommandDecoder().Decode(payload, payload.Length, command);

        Assert.IsFalse(key.Verify(payload, payload.Length, command.MacStart, command.MacRawLength));
        Assert.IsFalse(key.Verify(payload, payload.Length, -1, 0));
    }

    [TestMethod]
    public void Unwrap_WhatWrapMade_GivesTheNewKeyAndDependsOnTheCommandId()
    {
        CommandKey key = KeyOf(KeyBytes);
        byte[] next = RandomNumberGenerator.GetBytes(CommandKey.KeySize);
        byte[] id = Encoding.UTF8.GetBytes("19ac9a3e0fb-1b");
        byte[] otherId = Encoding.UTF8.GetBytes("19ac9a3e0fb-1c");
        byte[] wrapped = Encoding.ASCII.GetBytes(key.Wrap(id, id.Length, next));
        byte[] unwrapped = new byte[CommandKey.KeySize];

        Assert.IsTrue(key.Unwrap(id, id.Length, wrapped, unwrapped));
        CollectionAssert.AreEqual(next, unwrapped);
        Assert.IsTrue(key.Unwrap(otherId, otherId.Length, wrapped, unwrapped));
        CollectionAssert.AreNotEqual(next, unwrapped, "the wrapping key is bound to the command id");
        CollectionAssert.AreNotEqual(Hex.Bytes(Encoding.ASCII.GetString(wrapped)), next, "the key does not travel in clear");
    }

    [TestMethod]
    public void Unwrap_WrappedKeyWithWrapKeyDerivedAsDocumented_MatchesDotNetAes()
    {
        CommandKey key = KeyOf(KeyBytes);
        byte[] next = RandomNumberGenerator.GetBytes(CommandKey.KeySize);
        byte[] id = Encoding.UTF8.GetBytes("cmd-7");
        byte[] wrapKey = HMACSHA256.HashData(KeyBytes, Encoding.ASCII.GetBytes("sc/v1 rekey cmd-7"))[..16];
        using Aes aes = Aes.Create();
        aes.Key = wrapKey;

        string wrapped = key.Wrap(id, id.Length, next);

        Assert.AreEqual(Convert.ToHexStringLower(aes.EncryptEcb(next, PaddingMode.None)), wrapped);
    }

    [TestMethod]
    [DataRow("00ff", true)]
    [DataRow("00FF", false)]
    [DataRow("0g", false)]
    [DataRow("0", false)]
    public void TryParseHex_LowercaseOnly(string text, bool ok)
    {
        byte[] destination = new byte[4];

        Assert.AreEqual(ok, CommandKey.TryParseHex(Encoding.ASCII.GetBytes(text), 0, text.Length, destination));
    }

    private static CommandKey KeyOf(byte[] bytes)
    {
        var key = new CommandKey();
        key.Set(1, bytes, 0);
        return key;
    }
}
