namespace SmartCommunity.Protocol.Crypto;

using System;

/// <summary>
/// HMAC-SHA256 (RFC 2104 with FIPS 180-4 SHA-256), for signed commands (hardware-docs/protocol.md §4.5). One instance
/// per key, no allocation after construction: <see cref="SetKey"/> once, then <see cref="Begin"/>, any number of
/// <see cref="Update"/> calls and <see cref="Final"/> per message. Checked against every RFC 4231 test case and, with
/// random keys and messages, against .NET's HMACSHA256 in the tests.
/// </summary>
public sealed class HmacSha256
{
    public const int MacSize = Sha256.HashSize;

    private readonly Sha256 _sha = new Sha256();
    private readonly byte[] _innerPad = new byte[Sha256.BlockSize];
    private readonly byte[] _outerPad = new byte[Sha256.BlockSize];
    private readonly byte[] _innerDigest = new byte[Sha256.HashSize];
    private bool _hasKey;

    public bool HasKey => _hasKey;

    /// <summary>Sets the key; a key longer than the 64-byte block is hashed first (RFC 2104 §2).</summary>
    public void SetKey(byte[] key, int offset, int length)
    {
        if (key == null || offset < 0 || length < 0 || offset + length > key.Length)
        {
            throw new ArgumentException("HMAC-SHA256: the key range is outside the array");
        }

        Array.Clear(_innerPad, 0, Sha256.BlockSize);
        if (length > Sha256.BlockSize)
        {
            _sha.Reset();
            _sha.Update(key, offset, length);
            _sha.Final(_innerPad, 0);
        }
        else
        {
            Array.Copy(key, offset, _innerPad, 0, length);
        }

        for (int i = 0; i < Sha256.BlockSize; i++)
        {
            byte k = _innerPad[i];
            _innerPad[i] = (byte)(k ^ 0x36);
            _outerPad[i] = (byte)(k ^ 0x5c);
        }

        _hasKey = true;
        Begin();
    }

    /// <summary>Forgets the key, so it does not stay in RAM after a rotation.</summary>
    public void ClearKey()
    {
        Array.Clear(_innerPad, 0, Sha256.BlockSize);
        Array.Clear(_outerPad, 0, Sha256.BlockSize);
        Array.Clear(_innerDigest, 0, Sha256.HashSize);
        _sha.Reset();
        _hasKey = false;
    }

    /// <summary>Starts a new message under the key.</summary>
    public void Begin()
    {
        _sha.Reset();
        _sha.Update(_innerPad, 0, Sha256.BlockSize);
    }

    public void Update(byte[] data, int offset, int length)
    {
        _sha.Update(data, offset, length);
    }

    public void Update(byte value)
    {
        _sha.Update(value);
    }

    /// <summary>Writes the 32-byte MAC of the message since <see cref="Begin"/> and starts a new one.</summary>
    public void Final(byte[] output, int offset)
    {
        if (!_hasKey)
        {
            throw new InvalidOperationException("HMAC-SHA256: no key set");
        }

        _sha.Final(_innerDigest, 0);
        _sha.Update(_outerPad, 0, Sha256.BlockSize);
        _sha.Update(_innerDigest, 0, Sha256.HashSize);
        _sha.Final(output, offset);
        Begin();
    }

    /// <summary>The MAC of one contiguous message.</summary>
    public void Compute(byte[] data, int offset, int length, byte[] output, int outputOffset)
    {
        Begin();
        Update(data, offset, length);
        Final(output, outputOffset);
    }
}
