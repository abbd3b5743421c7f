namespace SmartCommunity.Protocol.Osdp;

/// <summary>Where the CP stands with one PD (hardware-docs/osdp.md §6).</summary>
public enum OsdpLinkState
{
    /// <summary>No valid reply for the offline time, a handshake failed, or not started yet; retried periodically.</summary>
    Offline = 0,

    /// <summary>Plain mode only: the first osdp_POLL (sequence 0) is out.</summary>
    Connecting,

    /// <summary>osdp_CHLNG sent, waiting for osdp_CCRYPT.</summary>
    SecureChallenge,

    /// <summary>osdp_SCRYPT sent, waiting for osdp_RMAC_I.</summary>
    SecureCryptogram,

    /// <summary>Install mode: osdp_KEYSET sent under the SCBK-D session, waiting for the ACK.</summary>
    SettingKey,

    /// <summary>Polling; card reads, LED and buzzer commands flow.</summary>
    Online,
}
