namespace SmartCommunity.Protocol.Osdp;

using System;
using SmartCommunity.Protocol.Crypto;

/// <summary>
/// One OSDP packet's fields, preallocated and reused (hardware-docs/osdp.md §2.1). <see cref="OsdpCodec"/> fills
/// it when decoding and reads it when encoding; nothing here allocates after construction.
/// </summary>
public sealed class OsdpMessage
{
    /// <summary>The most command or reply data bytes (after the code) this implementation sends or accepts.</summary>
    public const int MaxDataLength = 128;

    // Encrypted data is padded up to the next whole AES block, so a decoded packet may carry one block more.
    private readonly byte[] _data = new byte[MaxDataLength + Aes128.BlockSize];

    /// <summary>The PD address, 0..0x7E (0x7F is broadcast), without the reply flag.</summary>
    public int Address;

    /// <summary>True for a PD-to-CP packet: bit 7 of the address byte.</summary>
    public bool IsReply;

    /// <summary>The sequence number, 0..3, from the control byte.</summary>
    public int Sequence;

    /// <summary>CRC-16 (true) or the 8-bit checksum (false) as the check character.</summary>
    public bool UseCrc = true;

    /// <summary>
    /// The security block type (SCS_11..SCS_18, <see cref="OsdpCodes"/>), or 0 when there is none. When
    /// encoding, any MAC type asks the codec to MAC the packet; the codec chooses 15/16 or 17/18 by whether
    /// there is data to encrypt.
    /// </summary>
    public int SecurityBlockType;

    /// <summary>The one data byte of an SCS_11..SCS_14 block (key type or cryptogram status); -1 when absent.</summary>
    public int SecurityBlockValue = -1;

    /// <summary>The command or reply code.</summary>
    public byte Code;

    /// <summary>Data bytes after the code (plain text once decoded and opened).</summary>
    public int DataLength;

    /// <summary>Where the 4 MAC bytes start in the decoded packet, counted from the SOM; -1 when there is no MAC.</summary>
    public int MacOffset = -1;

    public byte[] Data => _data;

    public void Clear()
    {
        Address = 0;
        IsReply = false;
        Sequence = 0;
        UseCrc = true;
        SecurityBlockType = 0;
        SecurityBlockValue = -1;
        Code = 0;
        DataLength = 0;
        MacOffset = -1;
    }

    /// <summary>Sets the code and copies the data; returns false (and sets nothing) when the data is too long.</summary>
    public bool SetPayload(byte code, byte[] data, int offset, int length)
    {
        if (length < 0 || length > MaxDataLength)
        {
            return false;
        }

        Code = code;
        if (length > 0)
        {
            Array.Copy(data, offset, _data, 0, length);
        }

        DataLength = length;
        return true;
    }
}
