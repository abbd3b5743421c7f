namespace SmartCommunity.Edge.Calls;

using System;
using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;

/// <summary>
/// The per-call secret a backend presents on the webhook callback: <c>scc_</c> and 256 random bits (base64url).
/// The prefix tells it apart from an operator's token (<c>sce_</c>), so a backend may send it as a bearer token too.
/// </summary>
public static class CallToken
{
    public const string Prefix = "scc_";

    public static string New() => Prefix + Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));

    /// <summary>Compares in constant time, so the answer's timing does not tell how much of a guess was right.</summary>
    public static bool Matches(string expected, string? presented) =>
        presented is not null && CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(expected), Encoding.UTF8.GetBytes(presented));
}
