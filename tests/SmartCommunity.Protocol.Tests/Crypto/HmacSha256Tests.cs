namespace SmartCommunity.Protocol.Tests.Crypto;

using System;
using System.Security.Cryptography;
using System.Text;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using SmartCommunity.Protocol.Crypto;

[TestClass]
public sealed class HmacSha256Tests
{
    private const string Case7Data =
        "This is a test using a larger than block-size key and a larger than block-size data. The key needs to be hashed before being used by the HMAC algorithm.";

    // RFC 4231 §4.2-4.8, HMAC-SHA-256 results. Keys are hex; data is hex too (ASCII texts written as their bytes).
    [TestMethod]
    [DataRow("case 1", "0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b", "4869205468657265", "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7")]
    [DataRow("case 2", "4a656665", "7768617420646f2079612077616e7420666f72206e6f7468696e673f", "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843")]
    [DataRow("case 3", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", "dddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddd", "773ea91e36800e46854db8ebd09181a72959098b3ef8c122d9635514ced565fe")]
    [DataRow("case 4", "0102030405060708090a0b0c0d0e0f10111213141516171819", "cdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcd", "82558a389a443c0ea4cc819899f2083a85f0faa3e578f8077a2e3ff46729665b")]
    public void Final_Rfc4231Cases1To4_GivesMac(string name, string key, string data, string mac)
    {
        Assert.AreEqual(mac.ToUpperInvariant(), MacOf(Hex.Bytes(key), Hex.Bytes(data)), name);
    }

    [TestMethod]
    public void Final_Rfc4231Case5TruncatedTo128Bits_GivesMacPrefix()
    {
        string full = MacOf(Hex.Bytes("0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c"), Encoding.ASCII.GetBytes("Test With Truncation"));

        Assert.AreEqual("A3B6167473100EE06E0C796C2955552B", full[..32]);
    }

    [TestMethod]
    [DataRow("case 6", "Test Using Larger Than Block-Size Key - Hash Key First", "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54")]
    [DataRow("case 7", Case7Data, "9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f51535c3a35e2")]
    public void Final_Rfc4231KeyLongerThanBlock_GivesMac(string name, string data, string mac)
    {
        byte[] key = new byte[131];
        Array.Fill(key, (byte)0xaa);

        Assert.AreEqual(mac.ToUpperInvariant(), MacOf(key, Encoding.ASCII.GetBytes(data)), name);
    }

    [TestMethod]
    public void Final_RandomKeysAndMessagesInPieces_MatchesDotNetHmacSha256()
    {
        var random = new Random(2104);
        var hmac = new HmacSha256();
        byte[] output = new byte[HmacSha256.MacSize];
        for (int round = 0; round < 300; round++)
        {
            byte[] key = new byte[random.Next(0, 150)];
            byte[] message = new byte[random.Next(0, 400)];
            random.NextBytes(key);
            random.NextBytes(message);
            hmac.SetKey(key, 0, key.Length);
            int split = random.Next(0, message.Length + 1);

            hmac.Begin();
            hmac.Update(message, 0, split);
            hmac.Update(message, split, message.Length - split);
            hmac.Final(output, 0);

            CollectionAssert.AreEqual(HMACSHA256.HashData(key, message), output, $"key {key.Length} bytes, message {message.Length} bytes");
        }
    }

    [TestMethod]
    public void Final_NoKey_Throws()
    {
        var hmac = new HmacSha256();

        Assert.ThrowsExactly<InvalidOperationException>(() => hmac.Final(new byte[32], 0));
    }

    private static string MacOf(byte[] key, byte[] data)
    {
        var hmac = new HmacSha256();
        byte[] output = new byte[HmacSha256.MacSize];
        hmac.SetKey(key, 0, key.Length);
        hmac.Compute(data, 0, data.Length, output, 0);
        return Hex.Of(output);
    }
}
