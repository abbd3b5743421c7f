namespace SmartCommunity.Protocol.Tests.Crypto;

using System;

/// <summary>Hex text to bytes and back, for test vectors written as in their sources.</summary>
internal static class Hex
{
    public static byte[] Bytes(string hex) => Convert.FromHexString(hex.Replace(" ", string.Empty, StringComparison.Ordinal));

    public static string Of(byte[] bytes, int offset, int length) => Convert.ToHexString(bytes, offset, length);

    public static string Of(byte[] bytes) => Convert.ToHexString(bytes);
}
