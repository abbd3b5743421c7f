namespace SmartCommunity.Firmware.Hal;

/// <summary>Small named records that survive a power cut (flash or FRAM on the device).</summary>
public interface INonVolatileStore
{
    /// <summary>Copies the record into <paramref name="buffer"/>; returns its length, or -1 when absent or too large.</summary>
    int Read(string key, byte[] buffer);

    /// <summary>Replaces the record as a whole; a power cut leaves either the old or the new record.</summary>
    void Write(string key, byte[] data, int length);
}
