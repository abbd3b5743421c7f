namespace SmartCommunity.Protocol.Tests.Crypto;

using System;
using System.Security.Cryptography;
using System.Text;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using SmartCommunity.Protocol.Crypto;

[TestClass]
public sealed class Sha256Tests
{
    // FIPS 180-4 example messages (NIST's "SHA256.pdf" examples: one block, two blocks) and the empty message.
    [TestMethod]
    [DataRow("abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")]
    [DataRow("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq", "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")]
    [DataRow("", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")]
    public void Final_Fips180ExampleMessages_GivesDigest(string message, string digest)
    {
        var sha = new Sha256();
        byte[] data = Encoding.ASCII.GetBytes(message);
        byte[] output = new byte[Sha256.HashSize];

        sha.Update(data, 0, data.Length);
        sha.Final(output, 0);

        Assert.AreEqual(digest.ToUpperInvariant(), Hex.Of(output));
    }

    [TestMethod]
    public void Final_OneMillionLetterA_GivesDigest()
    {
        var sha = new Sha256();
        byte[] thousand = new byte[1000];
        Array.Fill(thousand, (byte)'a');
        byte[] output = new byte[Sha256.HashSize];

        for (int i = 0; i < 1000; i++)
        {
            sha.Update(thousand, 0, thousand.Length);
        }

        sha.Final(output, 0);

        Assert.AreEqual("CDC76E5C9914FB9281A1C7E284D73E67F1809A48A497200E046D39CCC7112CD0", Hex.Of(output));
    }

    [TestMethod]
    public void Final_RandomMessagesInRandomPieces_MatchesDotNetSha256()
    {
        var random = new Random(4231);
        var sha = new Sha256();
        byte[] output = new byte[Sha256.HashSize];
        for (int round = 0; round < 300; round++)
        {
            // Lengths around the 55/56/64-byte padding edges come up often in 0..300.
            byte[] message = new byte[random.Next(0, 300)];
            random.NextBytes(message);
            int at = 0;
            while (at < message.Length)
            {
                int piece = Math.Min(message.Length - at, random.Next(0, 80));
                if (piece == 1)
                {
                    sha.Update(message[at]);
                }
                else
                {
                    sha.Update(message, at, piece);
                }

                at += piece;
            }

            sha.Final(output, 0);

            CollectionAssert.AreEqual(SHA256.HashData(message), output, $"message of {message.Length} bytes");
        }
    }

    [TestMethod]
    public void Final_AfterFinal_StartsANewMessage()
    {
        var sha = new Sha256();
        byte[] abc = Encoding.ASCII.GetBytes("abc");
        byte[] first = new byte[32];
        byte[] second = new byte[32];

        sha.Update(abc, 0, 3);
        sha.Final(first, 0);
        sha.Update(abc, 0, 3);
        sha.Final(second, 0);

        CollectionAssert.AreEqual(first, second);
    }

    [TestMethod]
    public void Update_RangeOutsideArray_Throws()
    {
        var sha = new Sha256();

        Assert.ThrowsExactly<ArgumentException>(() => sha.Update(new byte[4], 2, 3));
    }
}
