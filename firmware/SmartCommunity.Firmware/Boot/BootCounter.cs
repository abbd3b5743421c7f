namespace SmartCommunity.Firmware.Boot;

using SmartCommunity.Firmware.Hal;

/// <summary>
/// Counts boots in the non-volatile store. The count goes in every message ("boot") so the edge can tell a
/// restarted sequence from lost messages, and scopes command expiry to one boot (hardware-docs/protocol.md §3).
/// </summary>
public static class BootCounter
{
    public const string StoreKey = "boot";

    /// <summary>Reads the previous count, stores and returns the next one (the first boot is 1).</summary>
    public static long Advance(INonVolatileStore store)
    {
        byte[] record = new byte[8];
        long previous = 0;
        if (store.Read(StoreKey, record) == 8)
        {
            for (int i = 7; i >= 0; i--)
            {
                previous = (previous << 8) | record[i];
            }
        }

        long next = previous < 0 ? 1 : previous + 1;
        long value = next;
        for (int i = 0; i < 8; i++)
        {
            record[i] = (byte)(value & 0xFF);
            value >>= 8;
        }

        store.Write(StoreKey, record, 8);
        return next;
    }
}
