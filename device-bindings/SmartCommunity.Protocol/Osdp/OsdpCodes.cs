namespace SmartCommunity.Protocol.Osdp;

/// <summary>The OSDP v2 command and reply codes, security block types and NAK reasons this CP uses (hardware-docs/osdp.md §2).</summary>
public static class OsdpCodes
{
    public const byte StartOfMessage = 0x53;

    /// <summary>Bit 7 of the address byte marks a reply from a PD.</summary>
    public const int ReplyFlag = 0x80;

    public const int BroadcastAddress = 0x7F;

    public const int MaxAddress = 0x7E;

    // Control byte (hardware-docs/osdp.md §2.1).
    public const int ControlSequenceMask = 0x03;
    public const int ControlCrc = 0x04;
    public const int ControlSecurityBlock = 0x08;

    // Commands, CP to PD.
    public const byte Poll = 0x60;
    public const byte Id = 0x61;
    public const byte Capabilities = 0x62;
    public const byte Led = 0x69;
    public const byte Buzzer = 0x6A;
    public const byte CommunicationSet = 0x6E;
    public const byte KeySet = 0x75;
    public const byte Challenge = 0x76;
    public const byte ServerCryptogram = 0x77;

    // Replies, PD to CP.
    public const byte Ack = 0x40;
    public const byte Nak = 0x41;
    public const byte RawCard = 0x50;
    public const byte ClientCryptogram = 0x76;
    public const byte InitialReplyMac = 0x78;
    public const byte Busy = 0x79;

    // Security block types (SCS_11 .. SCS_18).
    public const int ScsChallenge = 0x11;
    public const int ScsClientCryptogram = 0x12;
    public const int ScsServerCryptogram = 0x13;
    public const int ScsInitialReplyMac = 0x14;
    public const int ScsCommandMac = 0x15;
    public const int ScsReplyMac = 0x16;
    public const int ScsCommandMacEncrypted = 0x17;
    public const int ScsReplyMacEncrypted = 0x18;

    // The key-type byte of SCS_11/SCS_13 blocks: which secure channel base key the session is built on.
    public const int KeyDefault = 0x00;
    public const int KeyProvisioned = 0x01;

    // The status byte of SCS_14: did the PD accept the CP's cryptogram.
    public const int CryptogramAccepted = 0x01;

    // NAK reasons (the single data byte of osdp_NAK).
    public const int NakCheckCharacter = 0x01;
    public const int NakCommandLength = 0x02;
    public const int NakUnknownCommand = 0x03;
    public const int NakSequence = 0x04;
    public const int NakSecurityBlockUnsupported = 0x05;
    public const int NakSecurityConditions = 0x06;

    /// <summary>True for the security block types that carry a MAC (SCS_15 .. SCS_18).</summary>
    public static bool HasMac(int securityBlockType) => securityBlockType >= ScsCommandMac && securityBlockType <= ScsReplyMacEncrypted;

    /// <summary>True for the security block types whose data is AES-CBC encrypted (SCS_17, SCS_18).</summary>
    public static bool IsEncrypted(int securityBlockType) => securityBlockType == ScsCommandMacEncrypted || securityBlockType == ScsReplyMacEncrypted;
}
