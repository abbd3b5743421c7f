namespace SmartCommunity.Protocol.Crypto;

using System;

/// <summary>
/// SHA-256 (FIPS 180-4 §6.2), written for nanoFramework like <see cref="Aes128"/>: byte and uint arrays only, no
/// allocation after construction. nanoFramework's mscorlib has no System.Security.Cryptography, and signed commands
/// (hardware-docs/protocol.md §4.5) need it through <see cref="HmacSha256"/>. Checked against the FIPS 180-4 example
/// messages and, with random inputs, against .NET's own SHA-256 in the tests.
/// </summary>
public sealed class Sha256
{
    public const int HashSize = 32;
    public const int BlockSize = 64;

    // FIPS 180-4 §4.2.2: the first 32 bits of the fractional parts of the cube roots of the first 64 primes.
    private static readonly uint[] RoundConstants =
    {
        0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
        0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
        0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
        0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
        0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
        0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
        0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
        0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
    };

    private readonly uint[] _hash = new uint[8];
    private readonly uint[] _schedule = new uint[64];
    private readonly byte[] _block = new byte[BlockSize];
    private int _blockLength;
    private long _totalBytes;

    public Sha256()
    {
        Reset();
    }

    /// <summary>Starts a new message (FIPS 180-4 §5.3.3 initial hash value).</summary>
    public void Reset()
    {
        _hash[0] = 0x6a09e667;
        _hash[1] = 0xbb67ae85;
        _hash[2] = 0x3c6ef372;
        _hash[3] = 0xa54ff53a;
        _hash[4] = 0x510e527f;
        _hash[5] = 0x9b05688c;
        _hash[6] = 0x1f83d9ab;
        _hash[7] = 0x5be0cd19;
        _blockLength = 0;
        _totalBytes = 0;
    }

    public void Update(byte[] data, int offset, int length)
    {
        if (data == null || offset < 0 || length < 0 || offset + length > data.Length)
        {
            throw new ArgumentException("SHA-256: the range is outside the array");
        }

        _totalBytes += length;
        int end = offset + length;
        while (offset < end)
        {
            if (_blockLength == 0 && end - offset >= BlockSize)
            {
                Compress(data, offset);
                offset += BlockSize;
                continue;
            }

            _block[_blockLength++] = data[offset++];
            if (_blockLength == BlockSize)
            {
                Compress(_block, 0);
                _blockLength = 0;
            }
        }
    }

    public void Update(byte value)
    {
        _totalBytes++;
        _block[_blockLength++] = value;
        if (_blockLength == BlockSize)
        {
            Compress(_block, 0);
            _blockLength = 0;
        }
    }

    /// <summary>Pads (FIPS 180-4 §5.1.1), writes the 32-byte digest to <paramref name="output"/> and starts a new message.</summary>
    public void Final(byte[] output, int offset)
    {
        if (output == null || offset < 0 || offset + HashSize > output.Length)
        {
            throw new ArgumentException("SHA-256: the digest needs 32 bytes");
        }

        long bits = _totalBytes * 8;
        _block[_blockLength++] = 0x80;
        if (_blockLength > BlockSize - 8)
        {
            while (_blockLength < BlockSize)
            {
                _block[_blockLength++] = 0;
            }

            Compress(_block, 0);
            _blockLength = 0;
        }

        while (_blockLength < BlockSize - 8)
        {
            _block[_blockLength++] = 0;
        }

        for (int i = 7; i >= 0; i--)
        {
            _block[_blockLength++] = (byte)(bits >> (i * 8));
        }

        Compress(_block, 0);
        for (int i = 0; i < 8; i++)
        {
            uint word = _hash[i];
            output[offset + (i * 4)] = (byte)(word >> 24);
            output[offset + (i * 4) + 1] = (byte)(word >> 16);
            output[offset + (i * 4) + 2] = (byte)(word >> 8);
            output[offset + (i * 4) + 3] = (byte)word;
        }

        Reset();
    }

    private static uint RotateRight(uint value, int count)
    {
        return (value >> count) | (value << (32 - count));
    }

    // FIPS 180-4 §6.2.2: one 512-bit block.
    private void Compress(byte[] block, int offset)
    {
        uint[] w = _schedule;
        for (int t = 0; t < 16; t++)
        {
            int at = offset + (t * 4);
            w[t] = ((uint)block[at] << 24) | ((uint)block[at + 1] << 16) | ((uint)block[at + 2] << 8) | block[at + 3];
        }

        for (int t = 16; t < 64; t++)
        {
            uint s0 = RotateRight(w[t - 15], 7) ^ RotateRight(w[t - 15], 18) ^ (w[t - 15] >> 3);
            uint s1 = RotateRight(w[t - 2], 17) ^ RotateRight(w[t - 2], 19) ^ (w[t - 2] >> 10);
            w[t] = unchecked(w[t - 16] + s0 + w[t - 7] + s1);
        }

        uint a = _hash[0];
        uint b = _hash[1];
        uint c = _hash[2];
        uint d = _hash[3];
        uint e = _hash[4];
        uint f = _hash[5];
        uint g = _hash[6];
        uint h = _hash[7];
        for (int t = 0; t < 64; t++)
        {
            uint sum1 = RotateRight(e, 6) ^ RotateRight(e, 11) ^ RotateRight(e, 25);
            uint choose = (e & f) ^ (~e & g);
            uint t1 = unchecked(h + sum1 + choose + RoundConstants[t] + w[t]);
            uint sum0 = RotateRight(a, 2) ^ RotateRight(a, 13) ^ RotateRight(a, 22);
            uint majority = (a & b) ^ (a & c) ^ (b & c);
            uint t2 = unchecked(sum0 + majority);
            h = g;
            g = f;
            f = e;
            e = unchecked(d + t1);
            d = c;
            c = b;
            b = a;
            a = unchecked(t1 + t2);
        }

        _hash[0] = unchecked(_hash[0] + a);
        _hash[1] = unchecked(_hash[1] + b);
        _hash[2] = unchecked(_hash[2] + c);
        _hash[3] = unchecked(_hash[3] + d);
        _hash[4] = unchecked(_hash[4] + e);
        _hash[5] = unchecked(_hash[5] + f);
        _hash[6] = unchecked(_hash[6] + g);
        _hash[7] = unchecked(_hash[7] + h);
    }
}
