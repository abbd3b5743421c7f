namespace SmartCommunity.Protocol.Tests.Crypto;

using System;
using System.Security.Cryptography;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using SmartCommunity.Protocol.Crypto;

[TestClass]
public sealed class Aes128Tests
{
    // FIPS-197 Appendix B (the worked example) and Appendix A.1 (its key expansion).
    private const string AppendixBKey = "2b7e151628aed2a6abf7158809cf4f3c";
    private const string AppendixBPlain = "3243f6a8885a308d313198a2e0370734";
    private const string AppendixBCipher = "3925841d02dc09fbdc118597196a0b32";

    // FIPS-197 Appendix C.1 (AES-128 example vector).
    private const string C1Key = "000102030405060708090a0b0c0d0e0f";
    private const string C1Plain = "00112233445566778899aabbccddeeff";
    private const string C1Cipher = "69c4e0d86a7b0430d8cdb78070b4c55a";

    // NIST SP 800-38A F.2.1 / F.2.2 (CBC-AES128), whose key is the Appendix B key.
    private const string CbcIv = "000102030405060708090a0b0c0d0e0f";
    private const string CbcPlain =
        "6bc1bee22e409f96e93d7e117393172a" + "ae2d8a571e03ac9c9eb76fac45af8e51" +
        "30c81c46a35ce411e5fbc1191a0a52ef" + "f69f2445df4f9b17ad2b417be66c3710";
    private const string CbcCipher =
        "7649abac8119b246cee98e9b12e9197d" + "5086cb9b507219ee95db113a917678b2" +
        "73bed6b8e3c1743b7116e69e22229516" + "3ff1caa1681fac09120eca307586e1a7";

    [TestMethod]
    [DataRow(C1Key, C1Plain, C1Cipher)]
    [DataRow(AppendixBKey, AppendixBPlain, AppendixBCipher)]
    public void EncryptBlock_Fips197Vectors_GivesCipherText(string key, string plain, string cipher)
    {
        Aes128 aes = KeyedWith(key);
        byte[] output = new byte[16];

        aes.EncryptBlock(Hex.Bytes(plain), 0, output, 0);

        Assert.AreEqual(cipher.ToUpperInvariant(), Hex.Of(output));
    }

    [TestMethod]
    [DataRow(C1Key, C1Plain, C1Cipher)]
    [DataRow(AppendixBKey, AppendixBPlain, AppendixBCipher)]
    public void DecryptBlock_Fips197Vectors_GivesPlainText(string key, string plain, string cipher)
    {
        Aes128 aes = KeyedWith(key);
        byte[] output = new byte[16];

        aes.DecryptBlock(Hex.Bytes(cipher), 0, output, 0);

        Assert.AreEqual(plain.ToUpperInvariant(), Hex.Of(output));
    }

    [TestMethod]
    [DataRow(AppendixBKey, 0, "2b7e151628aed2a6abf7158809cf4f3c")]
    [DataRow(AppendixBKey, 1, "a0fafe1788542cb123a339392a6c7605")]
    [DataRow(AppendixBKey, 10, "d014f9a8c9ee2589e13f0cc8b6630ca6")]
    [DataRow(C1Key, 1, "d6aa74fdd2af72fadaa678f1d6ab76fe")]
    [DataRow(C1Key, 10, "13111d7fe3944a17f307a78b4d2b30c5")]
    public void SetKey_Fips197KeyExpansion_GivesRoundKeys(string key, int round, string expected)
    {
        Aes128 aes = KeyedWith(key);
        byte[] roundKey = new byte[16];

        aes.CopyRoundKey(round, roundKey, 0);

        Assert.AreEqual(expected.ToUpperInvariant(), Hex.Of(roundKey));
    }

    [TestMethod]
    public void EncryptBlock_InPlaceAtOffset_SameAsSeparateBuffers()
    {
        Aes128 aes = KeyedWith(C1Key);
        byte[] buffer = new byte[20];
        Array.Copy(Hex.Bytes(C1Plain), 0, buffer, 3, 16);

        aes.EncryptBlock(buffer, 3, buffer, 3);

        Assert.AreEqual(C1Cipher.ToUpperInvariant(), Hex.Of(buffer, 3, 16));
        Assert.AreEqual(0, buffer[0]);
        Assert.AreEqual(0, buffer[19]);
    }

    [TestMethod]
    public void EncryptCbc_Sp80038aF21_GivesCipherText()
    {
        Aes128 aes = KeyedWith(AppendixBKey);
        byte[] buffer = Hex.Bytes(CbcPlain);
        byte[] iv = Hex.Bytes(CbcIv);

        aes.EncryptCbc(iv, 0, buffer, 0, buffer.Length);

        Assert.AreEqual(CbcCipher.ToUpperInvariant(), Hex.Of(buffer));
        Assert.AreEqual(CbcIv.ToUpperInvariant(), Hex.Of(iv), "the IV is read, not changed");
    }

    [TestMethod]
    public void DecryptCbc_Sp80038aF22_GivesPlainText()
    {
        Aes128 aes = KeyedWith(AppendixBKey);
        byte[] buffer = Hex.Bytes(CbcCipher);

        aes.DecryptCbc(Hex.Bytes(CbcIv), 0, buffer, 0, buffer.Length);

        Assert.AreEqual(CbcPlain.ToUpperInvariant(), Hex.Of(buffer));
    }

    [TestMethod]
    public void EncryptAndDecrypt_RandomKeysAndBlocks_MatchSystemCryptography()
    {
        Random random = new Random(1197);
        Aes128 aes = new Aes128();
        using Aes oracle = Aes.Create();
        for (int round = 0; round < 200; round++)
        {
            byte[] key = new byte[16];
            byte[] iv = new byte[16];
            byte[] data = new byte[16 * (1 + (round % 5))];
            random.NextBytes(key);
            random.NextBytes(iv);
            random.NextBytes(data);
            oracle.Key = key;
            aes.SetKey(key, 0);

            byte[] block = new byte[16];
            aes.EncryptBlock(data, 0, block, 0);
            Assert.AreEqual(Hex.Of(oracle.EncryptEcb(data.AsSpan(0, 16), PaddingMode.None)), Hex.Of(block), "ECB round " + round);

            byte[] buffer = (byte[])data.Clone();
            aes.EncryptCbc(iv, 0, buffer, 0, buffer.Length);
            Assert.AreEqual(Hex.Of(oracle.EncryptCbc(data, iv, PaddingMode.None)), Hex.Of(buffer), "CBC round " + round);

            aes.DecryptCbc(iv, 0, buffer, 0, buffer.Length);
            Assert.AreEqual(Hex.Of(data), Hex.Of(buffer), "CBC decrypt round " + round);
        }
    }

    [TestMethod]
    public void EncryptBlock_NoKey_Throws()
    {
        Aes128 aes = new Aes128();

        Assert.ThrowsExactly<InvalidOperationException>(() => aes.EncryptBlock(new byte[16], 0, new byte[16], 0));
    }

    [TestMethod]
    public void ClearKey_AfterUse_WipesRoundKeysAndRefusesToEncrypt()
    {
        Aes128 aes = KeyedWith(C1Key);
        byte[] roundKey = new byte[16];

        aes.ClearKey();
        aes.CopyRoundKey(10, roundKey, 0);

        Assert.IsFalse(aes.HasKey);
        Assert.AreEqual(new string('0', 32), Hex.Of(roundKey));
        Assert.ThrowsExactly<InvalidOperationException>(() => aes.EncryptBlock(new byte[16], 0, new byte[16], 0));
    }

    [TestMethod]
    public void SetKey_ShortKey_Throws()
    {
        Aes128 aes = new Aes128();

        Assert.ThrowsExactly<ArgumentException>(() => aes.SetKey(new byte[15], 0));
    }

    [TestMethod]
    public void EncryptCbc_PartialBlock_Throws()
    {
        Aes128 aes = KeyedWith(C1Key);

        Assert.ThrowsExactly<ArgumentException>(() => aes.EncryptCbc(new byte[16], 0, new byte[20], 0, 20));
    }

    [TestMethod]
    public void FixedTimeAreEqual_OneDifferentByte_ReturnsFalse()
    {
        byte[] left = Hex.Bytes(C1Plain);
        byte[] right = Hex.Bytes(C1Plain);

        Assert.IsTrue(FixedTime.AreEqual(left, 0, right, 0, 16));
        right[15] ^= 1;
        Assert.IsFalse(FixedTime.AreEqual(left, 0, right, 0, 16));
        Assert.IsTrue(FixedTime.AreEqual(left, 0, right, 0, 15));
    }

    private static Aes128 KeyedWith(string hexKey)
    {
        Aes128 aes = new Aes128();
        aes.SetKey(Hex.Bytes(hexKey), 0);
        return aes;
    }
}
