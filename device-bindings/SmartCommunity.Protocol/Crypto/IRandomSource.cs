namespace SmartCommunity.Protocol.Crypto;

/// <summary>
/// Unpredictable bytes for challenges (the OSDP CP random, hardware-docs/osdp.md). On an ESP32 the board app
/// backs it with the hardware RNG (radio on, or the bootloader's entropy source); System.Random is not good
/// enough because an attacker who predicts the challenge can replay a recorded session.
/// </summary>
public interface IRandomSource
{
    void Fill(byte[] buffer, int offset, int count);
}
