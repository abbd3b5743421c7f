namespace SmartCommunity.Protocol.Osdp;

/// <summary>Parameters of the CP's link to one reader (hardware-docs/osdp.md §6.1 gives the reasoning for each default).</summary>
public sealed class OsdpControlPanelSettings
{
    /// <summary>The reader's OSDP address, 0..0x7E.</summary>
    public int Address;

    /// <summary>
    /// The reader's secure channel base key (16 bytes), from the controller's provisioning. Never SCBK-D: that
    /// key is refused outside install mode.
    /// </summary>
    public byte[] Scbk;

    /// <summary>
    /// Talk to the reader only over the secure channel (default). Plain mode exists for legacy readers
    /// without one and is then as unauthenticated as Wiegand.
    /// </summary>
    public bool RequireSecureChannel = true;

    /// <summary>CRC-16 (true) or the 8-bit checksum as the check character of the CP's packets.</summary>
    public bool UseCrc = true;

    /// <summary>
    /// Gap between polls. libosdp polls every 50 ms; 200 ms keeps the AES work on an interpreted ESP32 runtime
    /// small while a card read still shows within a fifth of a second.
    /// </summary>
    public long PollIntervalMs = 200;

    /// <summary>How long to wait for a reply before sending the same packet again (same sequence number).</summary>
    public long ReplyTimeoutMs = 200;

    /// <summary>No valid reply for this long, resends included, and the reader is offline.</summary>
    public long OfflineAfterMs = 8000;

    /// <summary>While offline, a new connection attempt starts this often.</summary>
    public long OfflineRetryMs = 1000;

    /// <summary>The reader number used in LED and buzzer commands (0 for a single-head reader).</summary>
    public int ReaderNumber;

    /// <summary>The LED addressed by grant and deny feedback.</summary>
    public int LedNumber;

    /// <summary>How long the LED shows green after a grant.</summary>
    public long GrantFeedbackMs = 3000;

    /// <summary>How long the LED flashes red after a denial.</summary>
    public long DenyFeedbackMs = 2000;
}
