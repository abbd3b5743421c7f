namespace SmartCommunity.Protocol.Osdp;

/// <summary>
/// The transmit half of the RS-485 line to the readers. The UART adapter implements it (driving the
/// transceiver's DE/RE pin around the write, hardware-docs/osdp.md §7) and feeds received bytes to
/// <see cref="OsdpControlPanel.Receive"/>; the protocol code never touches the UART.
/// </summary>
public interface IOsdpLine
{
    /// <summary>Sends <paramref name="length"/> bytes from the start of <paramref name="buffer"/>; the buffer is reused afterwards.</summary>
    void Write(byte[] buffer, int length);
}
