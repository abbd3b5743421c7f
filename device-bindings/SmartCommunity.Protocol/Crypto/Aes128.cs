namespace SmartCommunity.Protocol.Crypto;

using System;

/// <summary>
/// The AES-128 block cipher (FIPS-197), written for nanoFramework: byte arrays only, no allocation after
/// construction, one instance per key. nanoFramework's mscorlib has no System.Security.Cryptography, so the
/// OSDP secure channel (hardware-docs/osdp.md) needs this. Checked against FIPS-197 Appendices A.1, B and C.1
/// and NIST SP 800-38A F.2 in the tests.
/// </summary>
/// <remarks>
/// A straightforward byte-oriented implementation (no T-tables), small enough for a microcontroller. Like most
/// small AES code it indexes the S-box with secret data; an attacker on the RS-485 bus cannot time the
/// controller's memory accesses, so that is accepted here and said in hardware-docs/osdp.md.
/// </remarks>
public sealed class Aes128
{
    public const int BlockSize = 16;
    public const int KeySize = 16;
    public const int Rounds = 10;

    // FIPS-197 §5.1.1 Figure 7 and §5.3.2 Figure 14, generated from the field inverse plus the affine map.
    private static readonly byte[] SBox =
    {
        0x63, 0x7C, 0x77, 0x7B, 0xF2, 0x6B, 0x6F, 0xC5, 0x30, 0x01, 0x67, 0x2B, 0xFE, 0xD7, 0xAB, 0x76,
        0xCA, 0x82, 0xC9, 0x7D, 0xFA, 0x59, 0x47, 0xF0, 0xAD, 0xD4, 0xA2, 0xAF, 0x9C, 0xA4, 0x72, 0xC0,
        0xB7, 0xFD, 0x93, 0x26, 0x36, 0x3F, 0xF7, 0xCC, 0x34, 0xA5, 0xE5, 0xF1, 0x71, 0xD8, 0x31, 0x15,
        0x04, 0xC7, 0x23, 0xC3, 0x18, 0x96, 0x05, 0x9A, 0x07, 0x12, 0x80, 0xE2, 0xEB, 0x27, 0xB2, 0x75,
        0x09, 0x83, 0x2C, 0x1A, 0x1B, 0x6E, 0x5A, 0xA0, 0x52, 0x3B, 0xD6, 0xB3, 0x29, 0xE3, 0x2F, 0x84,
        0x53, 0xD1, 0x00, 0xED, 0x20, 0xFC, 0xB1, 0x5B, 0x6A, 0xCB, 0xBE, 0x39, 0x4A, 0x4C, 0x58, 0xCF,
        0xD0, 0xEF, 0xAA, 0xFB, 0x43, 0x4D, 0x33, 0x85, 0x45, 0xF9, 0x02, 0x7F, 0x50, 0x3C, 0x9F, 0xA8,
        0x51, 0xA3, 0x40, 0x8F, 0x92, 0x9D, 0x38, 0xF5, 0xBC, 0xB6, 0xDA, 0x21, 0x10, 0xFF, 0xF3, 0xD2,
        0xCD, 0x0C, 0x13, 0xEC, 0x5F, 0x97, 0x44, 0x17, 0xC4, 0xA7, 0x7E, 0x3D, 0x64, 0x5D, 0x19, 0x73,
        0x60, 0x81, 0x4F, 0xDC, 0x22, 0x2A, 0x90, 0x88, 0x46, 0xEE, 0xB8, 0x14, 0xDE, 0x5E, 0x0B, 0xDB,
        0xE0, 0x32, 0x3A, 0x0A, 0x49, 0x06, 0x24, 0x5C, 0xC2, 0xD3, 0xAC, 0x62, 0x91, 0x95, 0xE4, 0x79,
        0xE7, 0xC8, 0x37, 0x6D, 0x8D, 0xD5, 0x4E, 0xA9, 0x6C, 0x56, 0xF4, 0xEA, 0x65, 0x7A, 0xAE, 0x08,
        0xBA, 0x78, 0x25, 0x2E, 0x1C, 0xA6, 0xB4, 0xC6, 0xE8, 0xDD, 0x74, 0x1F, 0x4B, 0xBD, 0x8B, 0x8A,
        0x70, 0x3E, 0xB5, 0x66, 0x48, 0x03, 0xF6, 0x0E, 0x61, 0x35, 0x57, 0xB9, 0x86, 0xC1, 0x1D, 0x9E,
        0xE1, 0xF8, 0x98, 0x11, 0x69, 0xD9, 0x8E, 0x94, 0x9B, 0x1E, 0x87, 0xE9, 0xCE, 0x55, 0x28, 0xDF,
        0x8C, 0xA1, 0x89, 0x0D, 0xBF, 0xE6, 0x42, 0x68, 0x41, 0x99, 0x2D, 0x0F, 0xB0, 0x54, 0xBB, 0x16,
    };

    private static readonly byte[] InverseSBox =
    {
        0x52, 0x09, 0x6A, 0xD5, 0x30, 0x36, 0xA5, 0x38, 0xBF, 0x40, 0xA3, 0x9E, 0x81, 0xF3, 0xD7, 0xFB,
        0x7C, 0xE3, 0x39, 0x82, 0x9B, 0x2F, 0xFF, 0x87, 0x34, 0x8E, 0x43, 0x44, 0xC4, 0xDE, 0xE9, 0xCB,
        0x54, 0x7B, 0x94, 0x32, 0xA6, 0xC2, 0x23, 0x3D, 0xEE, 0x4C, 0x95, 0x0B, 0x42, 0xFA, 0xC3, 0x4E,
        0x08, 0x2E, 0xA1, 0x66, 0x28, 0xD9, 0x24, 0xB2, 0x76, 0x5B, 0xA2, 0x49, 0x6D, 0x8B, 0xD1, 0x25,
        0x72, 0xF8, 0xF6, 0x64, 0x86, 0x68, 0x98, 0x16, 0xD4, 0xA4, 0x5C, 0xCC, 0x5D, 0x65, 0xB6, 0x92,
        0x6C, 0x70, 0x48, 0x50, 0xFD, 0xED, 0xB9, 0xDA, 0x5E, 0x15, 0x46, 0x57, 0xA7, 0x8D, 0x9D, 0x84,
        0x90, 0xD8, 0xAB, 0x00, 0x8C, 0xBC, 0xD3, 0x0A, 0xF7, 0xE4, 0x58, 0x05, 0xB8, 0xB3, 0x45, 0x06,
        0xD0, 0x2C, 0x1E, 0x8F, 0xCA, 0x3F, 0x0F, 0x02, 0xC1, 0xAF, 0xBD, 0x03, 0x01, 0x13, 0x8A, 0x6B,
        0x3A, 0x91, 0x11, 0x41, 0x4F, 0x67, 0xDC, 0xEA, 0x97, 0xF2, 0xCF, 0xCE, 0xF0, 0xB4, 0xE6, 0x73,
        0x96, 0xAC, 0x74, 0x22, 0xE7, 0xAD, 0x35, 0x85, 0xE2, 0xF9, 0x37, 0xE8, 0x1C, 0x75, 0xDF, 0x6E,
        0x47, 0xF1, 0x1A, 0x71, 0x1D, 0x29, 0xC5, 0x89, 0x6F, 0xB7, 0x62, 0x0E, 0xAA, 0x18, 0xBE, 0x1B,
        0xFC, 0x56, 0x3E, 0x4B, 0xC6, 0xD2, 0x79, 0x20, 0x9A, 0xDB, 0xC0, 0xFE, 0x78, 0xCD, 0x5A, 0xF4,
        0x1F, 0xDD, 0xA8, 0x33, 0x88, 0x07, 0xC7, 0x31, 0xB1, 0x12, 0x10, 0x59, 0x27, 0x80, 0xEC, 0x5F,
        0x60, 0x51, 0x7F, 0xA9, 0x19, 0xB5, 0x4A, 0x0D, 0x2D, 0xE5, 0x7A, 0x9F, 0x93, 0xC9, 0x9C, 0xEF,
        0xA0, 0xE0, 0x3B, 0x4D, 0xAE, 0x2A, 0xF5, 0xB0, 0xC8, 0xEB, 0xBB, 0x3C, 0x83, 0x53, 0x99, 0x61,
        0x17, 0x2B, 0x04, 0x7E, 0xBA, 0x77, 0xD6, 0x26, 0xE1, 0x69, 0x14, 0x63, 0x55, 0x21, 0x0C, 0x7D,
    };

    // FIPS-197 §5.2: Rcon[i] = x^(i-1) in GF(2^8), only the first byte of the word is non-zero.
    private static readonly byte[] RoundConstants = { 0x01, 0x02, 0x04, 0x08, 0x10, 0x20, 0x40, 0x80, 0x1B, 0x36 };

    private readonly byte[] _roundKeys = new byte[(Rounds + 1) * BlockSize];
    private readonly byte[] _state = new byte[BlockSize];
    private readonly byte[] _chain = new byte[BlockSize];
    private readonly byte[] _cipherBlock = new byte[BlockSize];
    private bool _hasKey;

    public bool HasKey => _hasKey;

    /// <summary>Expands a 16-byte key (FIPS-197 §5.2) into this instance's round keys.</summary>
    public void SetKey(byte[] key, int offset)
    {
        if (key == null || offset < 0 || offset + KeySize > key.Length)
        {
            throw new ArgumentException("an AES-128 key is 16 bytes");
        }

        Array.Copy(key, offset, _roundKeys, 0, KeySize);
        for (int word = 4; word < 4 * (Rounds + 1); word++)
        {
            int at = word * 4;
            byte t0 = _roundKeys[at - 4];
            byte t1 = _roundKeys[at - 3];
            byte t2 = _roundKeys[at - 2];
            byte t3 = _roundKeys[at - 1];
            if (word % 4 == 0)
            {
                // SubWord(RotWord(temp)) xor Rcon[word / 4].
                byte first = t0;
                t0 = (byte)(SBox[t1] ^ RoundConstants[(word / 4) - 1]);
                t1 = SBox[t2];
                t2 = SBox[t3];
                t3 = SBox[first];
            }

            _roundKeys[at] = (byte)(_roundKeys[at - 16] ^ t0);
            _roundKeys[at + 1] = (byte)(_roundKeys[at - 15] ^ t1);
            _roundKeys[at + 2] = (byte)(_roundKeys[at - 14] ^ t2);
            _roundKeys[at + 3] = (byte)(_roundKeys[at - 13] ^ t3);
        }

        _hasKey = true;
    }

    /// <summary>Wipes the key schedule, so a session key does not outlive its session in RAM.</summary>
    public void ClearKey()
    {
        Array.Clear(_roundKeys, 0, _roundKeys.Length);
        Array.Clear(_state, 0, BlockSize);
        Array.Clear(_chain, 0, BlockSize);
        Array.Clear(_cipherBlock, 0, BlockSize);
        _hasKey = false;
    }

    /// <summary>Copies round key <paramref name="round"/> (0..10; 0 is the cipher key itself) for the FIPS-197 A.1 check.</summary>
    public void CopyRoundKey(int round, byte[] destination, int offset)
    {
        if (round < 0 || round > Rounds)
        {
            throw new ArgumentOutOfRangeException(nameof(round));
        }

        Array.Copy(_roundKeys, round * BlockSize, destination, offset, BlockSize);
    }

    /// <summary>Encrypts one 16-byte block (FIPS-197 §5.1). Input and output may be the same array and offset.</summary>
    public void EncryptBlock(byte[] input, int inputOffset, byte[] output, int outputOffset)
    {
        RequireKey();
        byte[] state = _state;
        Array.Copy(input, inputOffset, state, 0, BlockSize);
        AddRoundKey(0);
        for (int round = 1; round < Rounds; round++)
        {
            SubBytesAndShiftRows();
            MixColumns();
            AddRoundKey(round);
        }

        SubBytesAndShiftRows();
        AddRoundKey(Rounds);
        Array.Copy(state, 0, output, outputOffset, BlockSize);
    }

    /// <summary>Decrypts one 16-byte block (FIPS-197 §5.3, the inverse cipher). Input and output may alias.</summary>
    public void DecryptBlock(byte[] input, int inputOffset, byte[] output, int outputOffset)
    {
        RequireKey();
        byte[] state = _state;
        Array.Copy(input, inputOffset, state, 0, BlockSize);
        AddRoundKey(Rounds);
        for (int round = Rounds - 1; round > 0; round--)
        {
            InverseShiftRowsAndSubBytes();
            AddRoundKey(round);
            InverseMixColumns();
        }

        InverseShiftRowsAndSubBytes();
        AddRoundKey(0);
        Array.Copy(state, 0, output, outputOffset, BlockSize);
    }

    /// <summary>
    /// CBC encryption in place (NIST SP 800-38A §6.2). <paramref name="length"/> must be a whole number of blocks;
    /// the caller pads. The IV is read, not changed. Leaves the last ciphertext block at the end of the buffer,
    /// which is what a CBC-MAC needs.
    /// </summary>
    public void EncryptCbc(byte[] iv, int ivOffset, byte[] buffer, int offset, int length)
    {
        RequireBlocks(length);
        byte[] chain = _chain;
        Array.Copy(iv, ivOffset, chain, 0, BlockSize);
        for (int block = offset; block < offset + length; block += BlockSize)
        {
            for (int i = 0; i < BlockSize; i++)
            {
                chain[i] ^= buffer[block + i];
            }

            EncryptBlock(chain, 0, chain, 0);
            Array.Copy(chain, 0, buffer, block, BlockSize);
        }
    }

    /// <summary>CBC decryption in place (NIST SP 800-38A §6.2). The IV is read, not changed.</summary>
    public void DecryptCbc(byte[] iv, int ivOffset, byte[] buffer, int offset, int length)
    {
        RequireBlocks(length);
        byte[] chain = _chain;
        byte[] cipherBlock = _cipherBlock;
        Array.Copy(iv, ivOffset, chain, 0, BlockSize);
        for (int block = offset; block < offset + length; block += BlockSize)
        {
            Array.Copy(buffer, block, cipherBlock, 0, BlockSize);
            DecryptBlock(buffer, block, buffer, block);
            for (int i = 0; i < BlockSize; i++)
            {
                buffer[block + i] ^= chain[i];
            }

            Array.Copy(cipherBlock, 0, chain, 0, BlockSize);
        }
    }

    private void RequireKey()
    {
        if (!_hasKey)
        {
            throw new InvalidOperationException("no AES key set");
        }
    }

    private static void RequireBlocks(int length)
    {
        if (length < 0 || length % BlockSize != 0)
        {
            throw new ArgumentException("CBC needs whole 16-byte blocks");
        }
    }

    private void AddRoundKey(int round)
    {
        byte[] state = _state;
        byte[] keys = _roundKeys;
        int at = round * BlockSize;
        for (int i = 0; i < BlockSize; i++)
        {
            state[i] ^= keys[at + i];
        }
    }

    // The state is column-major as in FIPS-197 §3.4: byte (row r, column c) is state[r + 4c].
    private void SubBytesAndShiftRows()
    {
        byte[] s = _state;

        // Row 0 does not move.
        s[0] = SBox[s[0]];
        s[4] = SBox[s[4]];
        s[8] = SBox[s[8]];
        s[12] = SBox[s[12]];

        // Row 1 rotates left by one column.
        byte t = s[1];
        s[1] = SBox[s[5]];
        s[5] = SBox[s[9]];
        s[9] = SBox[s[13]];
        s[13] = SBox[t];

        // Row 2 by two.
        t = s[2];
        s[2] = SBox[s[10]];
        s[10] = SBox[t];
        t = s[6];
        s[6] = SBox[s[14]];
        s[14] = SBox[t];

        // Row 3 by three, i.e. right by one.
        t = s[15];
        s[15] = SBox[s[11]];
        s[11] = SBox[s[7]];
        s[7] = SBox[s[3]];
        s[3] = SBox[t];
    }

    private void InverseShiftRowsAndSubBytes()
    {
        byte[] s = _state;

        s[0] = InverseSBox[s[0]];
        s[4] = InverseSBox[s[4]];
        s[8] = InverseSBox[s[8]];
        s[12] = InverseSBox[s[12]];

        // Row 1 rotates right by one column.
        byte t = s[13];
        s[13] = InverseSBox[s[9]];
        s[9] = InverseSBox[s[5]];
        s[5] = InverseSBox[s[1]];
        s[1] = InverseSBox[t];

        t = s[2];
        s[2] = InverseSBox[s[10]];
        s[10] = InverseSBox[t];
        t = s[6];
        s[6] = InverseSBox[s[14]];
        s[14] = InverseSBox[t];

        // Row 3 rotates right by three, i.e. left by one.
        t = s[3];
        s[3] = InverseSBox[s[7]];
        s[7] = InverseSBox[s[11]];
        s[11] = InverseSBox[s[15]];
        s[15] = InverseSBox[t];
    }

    // FIPS-197 §5.1.3: each column times {03}x^3 + {01}x^2 + {01}x + {02}, written as a + t + 2(a + next).
    private void MixColumns()
    {
        byte[] s = _state;
        for (int c = 0; c < BlockSize; c += 4)
        {
            int a0 = s[c];
            int a1 = s[c + 1];
            int a2 = s[c + 2];
            int a3 = s[c + 3];
            int all = a0 ^ a1 ^ a2 ^ a3;
            s[c] = (byte)(a0 ^ all ^ Double(a0 ^ a1));
            s[c + 1] = (byte)(a1 ^ all ^ Double(a1 ^ a2));
            s[c + 2] = (byte)(a2 ^ all ^ Double(a2 ^ a3));
            s[c + 3] = (byte)(a3 ^ all ^ Double(a3 ^ a0));
        }
    }

    // FIPS-197 §5.3.3. The inverse matrix factors as MixColumns times {04}x^2 + {05}, so pre-multiply and reuse it.
    private void InverseMixColumns()
    {
        byte[] s = _state;
        for (int c = 0; c < BlockSize; c += 4)
        {
            int u = Double(Double(s[c] ^ s[c + 2]));
            int v = Double(Double(s[c + 1] ^ s[c + 3]));
            s[c] = (byte)(s[c] ^ u);
            s[c + 1] = (byte)(s[c + 1] ^ v);
            s[c + 2] = (byte)(s[c + 2] ^ u);
            s[c + 3] = (byte)(s[c + 3] ^ v);
        }

        MixColumns();
    }

    // xtime (FIPS-197 §4.2.1): multiply by x modulo x^8 + x^4 + x^3 + x + 1.
    private static int Double(int value)
    {
        value <<= 1;
        return (value & 0x100) != 0 ? (value ^ 0x11B) & 0xFF : value;
    }
}
