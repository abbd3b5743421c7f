namespace SmartCommunity.Protocol.WirelessMBus;

using System;

/// <summary>
/// One received telegram after <see cref="WirelessMBusDecoder.Decode(byte[], int, int, WirelessMBusFrameFormat, WirelessMBusTelegram)"/>.
/// The caller may reuse one instance for every telegram; every field describes the telegram last decoded into it,
/// and fields past the point where decoding stopped are 0. Field meanings: hardware-docs/wireless-mbus.md §3-5.
/// </summary>
public sealed class WirelessMBusTelegram
{
    private readonly byte[] _data = new byte[WirelessMBusLinkLayer.MaxDataLength];

    public WirelessMBusResult Result { get; private set; }

    /// <summary>Null when decoded; otherwise what is wrong and where, in words an operator can act on.</summary>
    public string Reason { get; private set; }

    public bool IsDecoded => Result == WirelessMBusResult.Decoded;

    public WirelessMBusFrameFormat FrameFormat { get; private set; }

    /// <summary>For <see cref="WirelessMBusResult.CrcError"/>: the 1-based block whose CRC failed; else 0.</summary>
    public int CrcErrorBlock { get; private set; }

    // Data link layer (EN 13757-4): L C M A.
    public int LField { get; private set; }

    public int Control { get; private set; }

    public int ManufacturerCode { get; private set; }

    public string Manufacturer => WirelessMBusAddress.ManufacturerText(ManufacturerCode);

    /// <summary>The 8 BCD digits as a number: meter "12345678" is 0x12345678.</summary>
    public uint Id { get; private set; }

    public string IdText => WirelessMBusAddress.IdText(Id);

    public int Version { get; private set; }

    /// <summary>Device type / medium (EN 13757-7 table), e.g. 0x07 water, 0x04 heat.</summary>
    public int DeviceType { get; private set; }

    /// <summary>True after CI 0x8C: an extended link layer (communication control, access number) came first.</summary>
    public bool HasExtendedLinkLayer { get; private set; }

    public int EllControl { get; private set; }

    public int EllAccessNumber { get; private set; }

    // Transport layer.

    /// <summary>The CI field of the transport layer (after any extended link layer).</summary>
    public int Ci { get; private set; }

    public WirelessMBusTplHeader TplHeader { get; private set; }

    public int AccessNumber { get; private set; }

    public int Status { get; private set; }

    /// <summary>The configuration word, as the number sent little-endian.</summary>
    public int ConfigurationWord { get; private set; }

    /// <summary>Bits 8-12 of the configuration word: 0 none, 5 AES-128-CBC, 7 AES-CBC with derived keys...</summary>
    public int SecurityMode { get; private set; }

    /// <summary>Bits 4-7 of the configuration word in mode 5: how many 16-byte blocks are encrypted.</summary>
    public int EncryptedBlockCount { get; private set; }

    /// <summary>True for CI 0x72: the meter's own address is in the transport header.</summary>
    public bool HasLongAddress { get; private set; }

    public int LongManufacturerCode { get; private set; }

    public uint LongId { get; private set; }

    public int LongVersion { get; private set; }

    public int LongDeviceType { get; private set; }

    /// <summary>The meter this telegram speaks for, whose key applies: the long header's address if any, else the DLL's.</summary>
    public int MeterManufacturerCode => HasLongAddress ? LongManufacturerCode : ManufacturerCode;

    public uint MeterId => HasLongAddress ? LongId : Id;

    public int MeterVersion => HasLongAddress ? LongVersion : Version;

    public int MeterDeviceType => HasLongAddress ? LongDeviceType : DeviceType;

    /// <summary>
    /// The telegram without CRCs, from the L-field on, the first <see cref="DataLength"/> bytes; decrypted in place
    /// when <see cref="IsDecoded"/>, ciphertext otherwise. Reused by the next decode.
    /// </summary>
    public byte[] Data => _data;

    public int DataLength { get; private set; }

    /// <summary>
    /// Where the application data (EN 13757-3 data records) start in <see cref="Data"/>. Only set when decoded. In mode 5
    /// it starts with the verified 2F 2F and may end with 2F padding: idle fillers a record parser skips.
    /// </summary>
    public int PayloadOffset { get; private set; }

    /// <summary>Bytes of application data; 0 unless <see cref="IsDecoded"/>, so sealed data is never mistaken for records.</summary>
    public int PayloadLength { get; private set; }

    /// <summary>A copy of the application data (empty unless decoded); for the edge, which may allocate.</summary>
    public byte[] CopyPayload()
    {
        byte[] copy = new byte[PayloadLength];
        Array.Copy(_data, PayloadOffset, copy, 0, PayloadLength);
        return copy;
    }

    internal void Start(WirelessMBusFrameFormat format)
    {
        Result = WirelessMBusResult.Decoded;
        Reason = null;
        FrameFormat = format;
        CrcErrorBlock = 0;
        LField = 0;
        Control = 0;
        ManufacturerCode = 0;
        Id = 0;
        Version = 0;
        DeviceType = 0;
        HasExtendedLinkLayer = false;
        EllControl = 0;
        EllAccessNumber = 0;
        Ci = 0;
        TplHeader = WirelessMBusTplHeader.None;
        AccessNumber = 0;
        Status = 0;
        ConfigurationWord = 0;
        SecurityMode = 0;
        EncryptedBlockCount = 0;
        HasLongAddress = false;
        LongManufacturerCode = 0;
        LongId = 0;
        LongVersion = 0;
        LongDeviceType = 0;
        DataLength = 0;
        PayloadOffset = 0;
        PayloadLength = 0;
    }

    internal void SetLength(int lField, int dataLength)
    {
        LField = lField;
        DataLength = dataLength;
    }

    internal void SetLinkLayer(int control, int manufacturerCode, uint id, int version, int deviceType)
    {
        Control = control;
        ManufacturerCode = manufacturerCode;
        Id = id;
        Version = version;
        DeviceType = deviceType;
    }

    internal void SetExtendedLinkLayer(int control, int accessNumber)
    {
        HasExtendedLinkLayer = true;
        EllControl = control;
        EllAccessNumber = accessNumber;
    }

    internal void SetCi(int ci) => Ci = ci;

    internal void SetLongAddress(int manufacturerCode, uint id, int version, int deviceType)
    {
        HasLongAddress = true;
        LongManufacturerCode = manufacturerCode;
        LongId = id;
        LongVersion = version;
        LongDeviceType = deviceType;
    }

    internal void SetTransport(WirelessMBusTplHeader header, int accessNumber, int status, int configurationWord)
    {
        TplHeader = header;
        AccessNumber = accessNumber;
        Status = status;
        ConfigurationWord = configurationWord;
        SecurityMode = WirelessMBusCodes.SecurityModeOf(configurationWord);
        EncryptedBlockCount = SecurityMode == WirelessMBusCodes.SecurityAesCbc ? WirelessMBusCodes.EncryptedBlocksOf(configurationWord) : 0;
    }

    internal void SetDecoded(int payloadOffset, int payloadLength)
    {
        Result = WirelessMBusResult.Decoded;
        Reason = null;
        PayloadOffset = payloadOffset;
        PayloadLength = payloadLength;
    }

    internal void SetFailed(WirelessMBusResult result, string reason)
    {
        Result = result;
        Reason = reason;
        PayloadOffset = 0;
        PayloadLength = 0;
    }

    internal void SetCrcError(int block, string reason)
    {
        SetFailed(WirelessMBusResult.CrcError, reason);
        CrcErrorBlock = block;
    }
}
