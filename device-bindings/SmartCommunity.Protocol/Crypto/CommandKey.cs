namespace SmartCommunity.Protocol.Crypto;

using System;

/// <summary>
/// One command key (hardware-docs/protocol.md §4.5): checks and makes the HMAC-SHA256 of a command payload, and
/// wraps or unwraps the next key for a <c>rekey</c>. The MAC covers every byte of the payload except the characters
/// of the top-level "mac" string, i.e. exactly the payload as it reads with <c>"mac":""</c>; it is sent as 64
/// lowercase hex characters. No allocation after construction on the device's path (<see cref="Verify"/>,
/// <see cref="Unwrap"/>); <see cref="Sign"/> allocates and is for the edge and tests.
/// </summary>
public sealed class CommandKey
{
    public const int KeySize = 32;
    public const int MacHexLength = 64;

    // Domain separation: the key that wraps a new key is never the MAC key itself.
    private const string WrapLabel = "sc/v1 rekey ";

    private readonly HmacSha256 _hmac = new HmacSha256();
    private readonly Aes128 _aes = new Aes128();
    private readonly byte[] _key = new byte[KeySize];
    private readonly byte[] _mac = new byte[HmacSha256.MacSize];
    private readonly byte[] _claimed = new byte[HmacSha256.MacSize];
    private readonly byte[] _wrapKey = new byte[HmacSha256.MacSize];
    private long _id;
    private bool _hasKey;

    public bool HasKey => _hasKey;

    /// <summary>The key's id (1, 2, ... as rotations go); 0 without a key.</summary>
    public long Id => _id;

    public void Set(long id, byte[] key, int offset)
    {
        if (key == null || offset < 0 || offset + KeySize > key.Length)
        {
            throw new ArgumentException("a command key is 32 bytes");
        }

        Array.Copy(key, offset, _key, 0, KeySize);
        _hmac.SetKey(_key, 0, KeySize);
        _id = id;
        _hasKey = true;
    }

    /// <summary>Takes the key (and id) of <paramref name="other"/>.</summary>
    public void CopyFrom(CommandKey other)
    {
        if (!other._hasKey)
        {
            Clear();
            return;
        }

        Set(other._id, other._key, 0);
    }

    public void Clear()
    {
        Array.Clear(_key, 0, KeySize);
        _hmac.ClearKey();
        _aes.ClearKey();
        _id = 0;
        _hasKey = false;
    }

    /// <summary>Copies the raw key, e.g. for the device's key record.</summary>
    public void CopyKeyTo(byte[] destination, int offset)
    {
        Array.Copy(_key, 0, destination, offset, KeySize);
    }

    /// <summary>
    /// True when the 64 characters at <paramref name="macStart"/> are the lowercase hex HMAC of the payload without
    /// them. Compares in fixed time, so a forger learns nothing from how long a refusal takes.
    /// </summary>
    public bool Verify(byte[] payload, int length, int macStart, int macRawLength)
    {
        if (!_hasKey || macStart < 0 || macRawLength != MacHexLength || macStart + macRawLength > length)
        {
            return false;
        }

        if (!TryParseHex(payload, macStart, MacHexLength, _claimed))
        {
            return false;
        }

        ComputeMac(payload, length, macStart, macRawLength, _mac, 0);
        return FixedTime.AreEqual(_mac, 0, _claimed, 0, HmacSha256.MacSize);
    }

    /// <summary>The HMAC of <paramref name="payload"/> with the <paramref name="macRawLength"/> bytes at <paramref name="macStart"/> left out.</summary>
    public void ComputeMac(byte[] payload, int length, int macStart, int macRawLength, byte[] output, int offset)
    {
        _hmac.Begin();
        _hmac.Update(payload, 0, macStart);
        _hmac.Update(payload, macStart + macRawLength, length - macStart - macRawLength);
        _hmac.Final(output, offset);
    }

    /// <summary>
    /// Decrypts a rekey command's "key" (64 hex characters) into the 32-byte new key. The wrapping key is the first
    /// 16 bytes of HMAC(this key, "sc/v1 rekey " + command id), so each rekey command has its own; the two blocks
    /// are AES-128 decrypted one by one. False when the text is not hex.
    /// </summary>
    public bool Unwrap(byte[] commandId, int idLength, byte[] wrappedHex, byte[] newKey)
    {
        if (!_hasKey || !TryParseHex(wrappedHex, 0, MacHexLength, _claimed))
        {
            return false;
        }

        DeriveWrapKey(commandId, idLength);
        _aes.DecryptBlock(_claimed, 0, newKey, 0);
        _aes.DecryptBlock(_claimed, Aes128.BlockSize, newKey, Aes128.BlockSize);
        _aes.ClearKey();
        return true;
    }

    /// <summary>The edge's side of <see cref="Unwrap"/>: the 64 lowercase hex characters of <paramref name="newKey"/> wrapped.</summary>
    public string Wrap(byte[] commandId, int idLength, byte[] newKey)
    {
        if (!_hasKey)
        {
            throw new InvalidOperationException("no command key to wrap under");
        }

        DeriveWrapKey(commandId, idLength);
        byte[] wrapped = new byte[KeySize];
        _aes.EncryptBlock(newKey, 0, wrapped, 0);
        _aes.EncryptBlock(newKey, Aes128.BlockSize, wrapped, Aes128.BlockSize);
        _aes.ClearKey();
        return HexOf(wrapped, 0, KeySize);
    }

    /// <summary>
    /// The edge's side: <paramref name="payload"/> must hold a top-level <c>"mac":""</c>; returns a new payload with
    /// the MAC written into it, or null when there is no empty "mac" to fill.
    /// </summary>
    public byte[] Sign(byte[] payload, int length)
    {
        PayloadReader reader = new PayloadReader();
        int start;
        int rawLength;
        JsonKind kind;
        if (!_hasKey || !reader.Load(payload, 0, length) || !reader.TryFind("mac", out start, out rawLength, out kind)
            || kind != JsonKind.String || rawLength != 0)
        {
            return null;
        }

        byte[] mac = new byte[HmacSha256.MacSize];
        ComputeMac(payload, length, start, 0, mac, 0);
        string hex = HexOf(mac, 0, mac.Length);
        byte[] signed = new byte[length + MacHexLength];
        Array.Copy(payload, 0, signed, 0, start);
        for (int i = 0; i < MacHexLength; i++)
        {
            signed[start + i] = (byte)hex[i];
        }

        Array.Copy(payload, start, signed, start + MacHexLength, length - start);
        return signed;
    }

    /// <summary>Lowercase hex of the bytes.</summary>
    public static string HexOf(byte[] bytes, int offset, int length)
    {
        char[] chars = new char[length * 2];
        for (int i = 0; i < length; i++)
        {
            chars[i * 2] = HexDigit(bytes[offset + i] >> 4);
            chars[(i * 2) + 1] = HexDigit(bytes[offset + i] & 0x0F);
        }

        return new string(chars);
    }

    /// <summary>Parses <paramref name="count"/> lowercase hex characters into count/2 bytes; false on anything else.</summary>
    public static bool TryParseHex(byte[] text, int offset, int count, byte[] destination)
    {
        if (text == null || offset < 0 || offset + count > text.Length || count % 2 != 0 || destination.Length < count / 2)
        {
            return false;
        }

        for (int i = 0; i < count / 2; i++)
        {
            int high = HexValue(text[offset + (i * 2)]);
            int low = HexValue(text[offset + (i * 2) + 1]);
            if (high < 0 || low < 0)
            {
                return false;
            }

            destination[i] = (byte)((high << 4) | low);
        }

        return true;
    }

    private void DeriveWrapKey(byte[] commandId, int idLength)
    {
        _hmac.Begin();
        for (int i = 0; i < WrapLabel.Length; i++)
        {
            _hmac.Update((byte)WrapLabel[i]);
        }

        _hmac.Update(commandId, 0, idLength);
        _hmac.Final(_wrapKey, 0);
        _aes.SetKey(_wrapKey, 0);
        Array.Clear(_wrapKey, 0, _wrapKey.Length);
    }

    private static char HexDigit(int value)
    {
        return (char)(value < 10 ? '0' + value : 'a' + value - 10);
    }

    // Lowercase only: one spelling per MAC, so the edge and the device never disagree about an upper-case variant.
    private static int HexValue(byte b)
    {
        if (b >= (byte)'0' && b <= (byte)'9')
        {
            return b - '0';
        }

        if (b >= (byte)'a' && b <= (byte)'f')
        {
            return b - 'a' + 10;
        }

        return -1;
    }
}
