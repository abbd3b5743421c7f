namespace SmartCommunity.Protocol.WirelessMBus;

using SmartCommunity.Protocol.Crypto;

/// <summary>Field values used by the codec (EN 13757-4 and -7, OMS Vol. 2; hardware-docs/wireless-mbus.md §3-4).</summary>
public static class WirelessMBusCodes
{
    /// <summary>C field: a meter's spontaneous telegram, no reply expected.</summary>
    public const int SendNoReply = 0x44;

    /// <summary>C field: a meter's installation telegram (button press).</summary>
    public const int SendInstallationRequest = 0x46;

    public const int CiLongHeader = 0x72;
    public const int CiNoHeader = 0x78;
    public const int CiShortHeader = 0x7A;

    /// <summary>Extended link layer with communication control and access number only (no ELL encryption).</summary>
    public const int CiExtendedLinkLayerShort = 0x8C;

    /// <summary>Extended link layer with session number and AES-CTR encryption: not supported.</summary>
    public const int CiExtendedLinkLayerEncrypted = 0x8D;

    public const int SecurityNone = 0;
    public const int SecurityAesCbc = 5;
    public const int SecurityAesCbcDerivedKey = 7;

    /// <summary>The first two bytes of every correctly decrypted mode-5 block chain (two idle-filler DIFs).</summary>
    public const int DecryptionCheckByte = 0x2F;

    // OMS configuration word (little-endian on air): bits 8-12 the security mode, bits 4-7 the encrypted block count.
    public const int ConfigurationModeShift = 8;
    public const int ConfigurationModeMask = 0x1F;
    public const int ConfigurationBlocksShift = 4;
    public const int ConfigurationBlocksMask = 0x0F;

    public static int SecurityModeOf(int configurationWord) => (configurationWord >> ConfigurationModeShift) & ConfigurationModeMask;

    public static int EncryptedBlocksOf(int configurationWord) => (configurationWord >> ConfigurationBlocksShift) & ConfigurationBlocksMask;

    /// <summary>
    /// The mode-5 IV (OMS Vol. 2): the meter's M field (2 bytes, little-endian), its A field (id, version, device
    /// type) and the access number eight times; 16 bytes into <paramref name="iv"/>. One writer for encoder and decoder.
    /// </summary>
    internal static void WriteModeFiveIv(byte[] iv, int manufacturer, uint id, int version, int deviceType, int accessNumber)
    {
        iv[0] = (byte)manufacturer;
        iv[1] = (byte)(manufacturer >> 8);
        WirelessMBusAddress.WriteId(id, iv, 2);
        iv[6] = (byte)version;
        iv[7] = (byte)deviceType;
        for (int i = 8; i < Aes128.BlockSize; i++)
        {
            iv[i] = (byte)accessNumber;
        }
    }
}
