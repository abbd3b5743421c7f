namespace SmartCommunity.Protocol.Osdp;

using System;
using SmartCommunity.Protocol.Crypto;

/// <summary>
/// The OSDP secure channel's cryptography for one PD (hardware-docs/osdp.md §4): session keys from the secure
/// channel base key (SCBK), the two cryptograms and the initial reply MAC of the handshake, the CBC-MAC chain
/// that signs every packet, and AES-CBC of the data. It holds no protocol state beyond the keys and the chain;
/// <see cref="OsdpControlPanel"/> decides when to use it. Either side of the link can use it: pass
/// <c>command: true</c> for a CP-to-PD packet and <c>false</c> for a reply.
/// </summary>
public sealed class OsdpSecureChannel
{
    public const int KeyLength = 16;
    public const int RandomLength = 8;
    public const int CryptogramLength = 16;
    public const int MacLength = 16;

    /// <summary>Only the first 4 bytes of each 16-byte MAC travel on the wire.</summary>
    public const int WireMacLength = 4;

    /// <summary>Encrypted data ends with this byte, then zeros up to the block boundary.</summary>
    public const byte EndOfMessageMarker = 0x80;

    // SCBK-D, the install-mode key every OSDP device knows: usable for provisioning only (hardware-docs/osdp.md §4.3).
    private static readonly byte[] DefaultKey =
    {
        0x30, 0x31, 0x32, 0x33, 0x34, 0x35, 0x36, 0x37, 0x38, 0x39, 0x3A, 0x3B, 0x3C, 0x3D, 0x3E, 0x3F,
    };

    private readonly Aes128 _baseKey = new Aes128();
    private readonly Aes128 _encryption = new Aes128();
    private readonly Aes128 _mac1 = new Aes128();
    private readonly Aes128 _mac2 = new Aes128();
    private readonly byte[] _cpRandom = new byte[RandomLength];
    private readonly byte[] _pdRandom = new byte[RandomLength];
    private readonly byte[] _commandMac = new byte[MacLength];
    private readonly byte[] _replyMac = new byte[MacLength];
    private readonly byte[] _block = new byte[Aes128.BlockSize];
    private readonly byte[] _iv = new byte[Aes128.BlockSize];
    private bool _hasSessionKeys;
    private bool _active;
    private bool _defaultKeySession;

    /// <summary>True once the handshake completed: packets are MACed (and data encrypted) from here on.</summary>
    public bool IsActive => _active;

    public bool HasSessionKeys => _hasSessionKeys;

    /// <summary>True when the session keys came from SCBK-D (install mode).</summary>
    public bool IsDefaultKeySession => _defaultKeySession;

    public static void CopyDefaultKey(byte[] destination, int offset)
    {
        Array.Copy(DefaultKey, 0, destination, offset, KeyLength);
    }

    public static bool IsDefaultKey(byte[] key, int offset)
    {
        return FixedTime.AreEqual(key, offset, DefaultKey, 0, KeyLength);
    }

    /// <summary>Forgets the keys and the MAC chain (a new handshake starts from scratch).</summary>
    public void Reset()
    {
        _baseKey.ClearKey();
        _encryption.ClearKey();
        _mac1.ClearKey();
        _mac2.ClearKey();
        Array.Clear(_cpRandom, 0, RandomLength);
        Array.Clear(_pdRandom, 0, RandomLength);
        Array.Clear(_commandMac, 0, MacLength);
        Array.Clear(_replyMac, 0, MacLength);
        Array.Clear(_block, 0, _block.Length);
        Array.Clear(_iv, 0, _iv.Length);
        _hasSessionKeys = false;
        _active = false;
        _defaultKeySession = false;
    }

    /// <summary>
    /// Starts a handshake: S-ENC, S-MAC1 and S-MAC2 are AES(SCBK, 01 82 | 01 01 | 01 02, then the first six
    /// bytes of the CP random, then eight zero bytes). The CP random is kept for the cryptograms.
    /// </summary>
    public void DeriveSessionKeys(byte[] scbk, int scbkOffset, byte[] cpRandom, int cpRandomOffset)
    {
        Reset();
        _baseKey.SetKey(scbk, scbkOffset);
        Array.Copy(cpRandom, cpRandomOffset, _cpRandom, 0, RandomLength);
        DeriveKey(0x82, _encryption);
        DeriveKey(0x01, _mac1);
        DeriveKey(0x02, _mac2);
        _baseKey.ClearKey();
        _defaultKeySession = IsDefaultKey(scbk, scbkOffset);
        _hasSessionKeys = true;
    }

    public void SetPdRandom(byte[] source, int offset)
    {
        Array.Copy(source, offset, _pdRandom, 0, RandomLength);
    }

    public void CopyEncryptionKey(byte[] destination, int offset) => _encryption.CopyRoundKey(0, destination, offset);

    public void CopyMacKey1(byte[] destination, int offset) => _mac1.CopyRoundKey(0, destination, offset);

    public void CopyMacKey2(byte[] destination, int offset) => _mac2.CopyRoundKey(0, destination, offset);

    /// <summary>The PD's ("client") cryptogram: AES(S-ENC, CP random then PD random). The PD sends it in osdp_CCRYPT.</summary>
    public void ComputePdCryptogram(byte[] destination, int offset)
    {
        Array.Copy(_cpRandom, 0, destination, offset, RandomLength);
        Array.Copy(_pdRandom, 0, destination, offset + RandomLength, RandomLength);
        _encryption.EncryptBlock(destination, offset, destination, offset);
    }

    /// <summary>Checks a PD cryptogram in constant time: the PD holds the same base key only if it matches.</summary>
    public bool VerifyPdCryptogram(byte[] source, int offset)
    {
        if (!_hasSessionKeys)
        {
            return false;
        }

        ComputePdCryptogram(_block, 0);
        bool same = FixedTime.AreEqual(_block, 0, source, offset, CryptogramLength);
        Array.Clear(_block, 0, _block.Length);
        return same;
    }

    /// <summary>The CP's ("server") cryptogram: AES(S-ENC, PD random then CP random). The CP sends it in osdp_SCRYPT.</summary>
    public void ComputeCpCryptogram(byte[] destination, int offset)
    {
        Array.Copy(_pdRandom, 0, destination, offset, RandomLength);
        Array.Copy(_cpRandom, 0, destination, offset + RandomLength, RandomLength);
        _encryption.EncryptBlock(destination, offset, destination, offset);
    }

    /// <summary>R-MAC-I: AES(S-MAC2, AES(S-MAC1, CP cryptogram)), the first link of the MAC chain.</summary>
    public void ComputeInitialReplyMac(byte[] destination, int offset)
    {
        ComputeCpCryptogram(destination, offset);
        _mac1.EncryptBlock(destination, offset, destination, offset);
        _mac2.EncryptBlock(destination, offset, destination, offset);
    }

    /// <summary>
    /// Ends the handshake: checks the PD's R-MAC-I (osdp_RMAC_I) and, when it matches, makes it the first link
    /// of the MAC chain and activates the channel. Returns false, leaving the channel inactive, otherwise.
    /// </summary>
    public bool Activate(byte[] initialReplyMac, int offset)
    {
        if (!_hasSessionKeys)
        {
            return false;
        }

        ComputeInitialReplyMac(_block, 0);
        if (!FixedTime.AreEqual(_block, 0, initialReplyMac, offset, MacLength))
        {
            return false;
        }

        Array.Copy(_block, 0, _replyMac, 0, MacLength);
        _active = true;
        return true;
    }

    /// <summary>
    /// MACs <paramref name="length"/> bytes of a packet (from its SOM to the end of its data) and writes the
    /// 4 wire bytes right after them. The full 16-byte MAC becomes the chain value for the next packet.
    /// </summary>
    public void Sign(bool command, byte[] packet, int offset, int length)
    {
        ComputeMac(command, packet, offset, length);
        Array.Copy(_block, 0, command ? _commandMac : _replyMac, 0, MacLength);
        Array.Copy(_block, 0, packet, offset + length, WireMacLength);
    }

    /// <summary>
    /// Checks the 4 MAC bytes that follow <paramref name="length"/> bytes of a received packet. The chain
    /// advances only when they match, so a forged packet cannot move it.
    /// </summary>
    public bool Verify(bool command, byte[] packet, int offset, int length)
    {
        ComputeMac(command, packet, offset, length);
        if (!FixedTime.AreEqual(_block, 0, packet, offset + length, WireMacLength))
        {
            return false;
        }

        Array.Copy(_block, 0, command ? _commandMac : _replyMac, 0, MacLength);
        return true;
    }

    /// <summary>
    /// Appends the 0x80 marker and zeros to whole blocks, then AES-CBC encrypts the data in place with S-ENC.
    /// The buffer needs room for up to 16 more bytes. Returns the encrypted length.
    /// </summary>
    public int EncryptData(bool command, byte[] buffer, int offset, int length)
    {
        int padded = ((length / Aes128.BlockSize) + 1) * Aes128.BlockSize;
        buffer[offset + length] = EndOfMessageMarker;
        for (int i = offset + length + 1; i < offset + padded; i++)
        {
            buffer[i] = 0;
        }

        LoadDataIv(command);
        _encryption.EncryptCbc(_iv, 0, buffer, offset, padded);
        return padded;
    }

    /// <summary>
    /// Decrypts in place and strips the padding. Returns the plain length, or -1 when the length is not whole
    /// blocks or the 0x80 marker is missing from the last block.
    /// </summary>
    public int DecryptData(bool command, byte[] buffer, int offset, int length)
    {
        if (length == 0)
        {
            // Some PDs send an empty encrypted block instead of using SCS_16; there is nothing to decrypt.
            return 0;
        }

        if (length < 0 || length % Aes128.BlockSize != 0 || !_hasSessionKeys)
        {
            return -1;
        }

        LoadDataIv(command);
        _encryption.DecryptCbc(_iv, 0, buffer, offset, length);
        int end = offset + length - 1;
        int lastBlock = offset + length - Aes128.BlockSize;
        while (end > lastBlock && buffer[end] == 0)
        {
            end--;
        }

        if (buffer[end] != EndOfMessageMarker)
        {
            return -1;
        }

        buffer[end] = 0;
        return end - offset;
    }

    /// <summary>The current 16-byte chain values, for tests and diagnostics.</summary>
    public void CopyChain(bool command, byte[] destination, int offset)
    {
        Array.Copy(command ? _commandMac : _replyMac, 0, destination, offset, MacLength);
    }

    private void DeriveKey(byte selector, Aes128 into)
    {
        byte[] block = _block;
        Array.Clear(block, 0, block.Length);
        block[0] = 0x01;
        block[1] = selector;
        Array.Copy(_cpRandom, 0, block, 2, 6);
        _baseKey.EncryptBlock(block, 0, block, 0);
        into.SetKey(block, 0);
        Array.Clear(block, 0, block.Length);
    }

    // A command's data is encrypted with the complement of the last reply MAC as IV, a reply's with the
    // complement of the MAC of the command it answers.
    private void LoadDataIv(bool command)
    {
        byte[] source = command ? _replyMac : _commandMac;
        for (int i = 0; i < Aes128.BlockSize; i++)
        {
            _iv[i] = (byte)~source[i];
        }
    }

    // CBC-MAC over the packet padded with 0x80 and zeros when not whole blocks: S-MAC1 for every block but the
    // last, S-MAC2 for the last. A command chains on the last reply MAC (R-MAC-I at first), a reply on the MAC
    // of the command it answers. The result is left in _block.
    private void ComputeMac(bool command, byte[] data, int offset, int length)
    {
        byte[] chain = _block;
        Array.Copy(command ? _replyMac : _commandMac, 0, chain, 0, MacLength);
        int blocks = (length + Aes128.BlockSize - 1) / Aes128.BlockSize;
        int end = offset + length;
        for (int block = 0; block < blocks; block++)
        {
            int start = offset + (block * Aes128.BlockSize);
            int take = end - start;
            if (take > Aes128.BlockSize)
            {
                take = Aes128.BlockSize;
            }

            for (int i = 0; i < take; i++)
            {
                chain[i] ^= data[start + i];
            }

            if (take < Aes128.BlockSize)
            {
                chain[take] ^= EndOfMessageMarker;
            }

            if (block == blocks - 1)
            {
                _mac2.EncryptBlock(chain, 0, chain, 0);
            }
            else
            {
                _mac1.EncryptBlock(chain, 0, chain, 0);
            }
        }
    }
}
