namespace SmartCommunity.Edge.Storage;

using System;
using System.Buffers;
using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

/// <summary>
/// The hash chain of the event log (edge-runtime/README.md, "Event log"). Each row stores
/// <c>payload_hash</c> = SHA-256(UTF-8 payload) and <c>hash</c> = SHA-256 over the previous row's hash followed by
/// a length-prefixed encoding of the row's stored columns, so no two different rows encode alike (a field cannot
/// bleed into its neighbour the way a joined string could):
/// <code>
/// "sc-edge/event-chain/v1"  previous hash (32 bytes)  id (int64 BE)
/// at  site  building  source  channel  name (string or null)
/// seq (int64 BE)  boot (int64 BE)  lane (int64 BE)  payload_hash (32 bytes)
/// string = 0x01, byte length (int32 BE), UTF-8 bytes; null = 0x00
/// </code>
/// The payload itself is covered through its hash only, which is what lets retention empty an old telemetry payload
/// and keep the chain verifiable. The first row ever chains from <see cref="Genesis"/>. Not thread-safe: one per
/// writer or verifier.
/// </summary>
public sealed class EventChain
{
    public const int HashLength = 32;

    private static readonly byte[] Tag = "sc-edge/event-chain/v1"u8.ToArray();

    private readonly ArrayBufferWriter<byte> _buffer = new(512);

    /// <summary>The fixed value the first row chains from: SHA-256 of "SmartCommunity sc-edge event log genesis".</summary>
    public static string Genesis { get; } = Convert.ToHexStringLower(SHA256.HashData("SmartCommunity sc-edge event log genesis"u8));

    public static string PayloadHash(string payload)
    {
        // Called for every append, on the caller's thread: small payloads are encoded on the stack.
        int most = Encoding.UTF8.GetMaxByteCount(payload.Length);
        byte[]? rented = most > 1024 ? ArrayPool<byte>.Shared.Rent(most) : null;
        Span<byte> bytes = rented ?? stackalloc byte[1024];
        try
        {
            int length = Encoding.UTF8.GetBytes(payload, bytes);
            Span<byte> hash = stackalloc byte[HashLength];
            SHA256.HashData(bytes[..length], hash);
            return Convert.ToHexStringLower(hash);
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }

    /// <summary>The SHA-256 of an empty payload: what a row whose payload really was empty carries.</summary>
    public static string EmptyPayloadHash { get; } = PayloadHash("");

    /// <summary>The hash of one row given the hash of the row before it; both hashes in lower-case hex.</summary>
    public string RowHash(string previousHash, long id, string at, string site, string building, string source, string channel,
        string? name, long sequence, long boot, long lane, string payloadHash)
    {
        _buffer.ResetWrittenCount();
        _buffer.Write(Tag);
        WriteHash(previousHash);
        WriteInt64(id);
        WriteString(at);
        WriteString(site);
        WriteString(building);
        WriteString(source);
        WriteString(channel);
        WriteString(name);
        WriteInt64(sequence);
        WriteInt64(boot);
        WriteInt64(lane);
        WriteHash(payloadHash);
        return Convert.ToHexStringLower(SHA256.HashData(_buffer.WrittenSpan));
    }

    /// <summary>True when <paramref name="value"/> is a SHA-256 in hex, as every stored hash must be.</summary>
    public static bool IsHash(string? value)
    {
        if (value is null || value.Length != HashLength * 2)
        {
            return false;
        }

        foreach (char c in value)
        {
            if (!char.IsAsciiHexDigit(c))
            {
                return false;
            }
        }

        return true;
    }

    private void WriteHash(string hex)
    {
        if (!IsHash(hex))
        {
            throw new FormatException($"'{hex}' is not a SHA-256 in hex");
        }

        Span<byte> span = _buffer.GetSpan(HashLength);
        Convert.FromHexString(hex, span[..HashLength], out _, out _);
        _buffer.Advance(HashLength);
    }

    private void WriteInt64(long value)
    {
        BinaryPrimitives.WriteInt64BigEndian(_buffer.GetSpan(8), value);
        _buffer.Advance(8);
    }

    private void WriteString(string? value)
    {
        if (value is null)
        {
            _buffer.GetSpan(1)[0] = 0;
            _buffer.Advance(1);
            return;
        }

        int length = Encoding.UTF8.GetByteCount(value);
        Span<byte> span = _buffer.GetSpan(5 + length);
        span[0] = 1;
        BinaryPrimitives.WriteInt32BigEndian(span[1..], length);
        Encoding.UTF8.GetBytes(value, span[5..]);
        _buffer.Advance(5 + length);
    }
}
