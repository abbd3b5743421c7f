namespace SmartCommunity.DoorNode;

using System.IO;
using SmartCommunity.Firmware.Hal;

/// <summary>
/// <see cref="INonVolatileStore"/> as one file per key on the internal flash drive (<c>I:\</c> on ESP32 targets).
/// A record is replaced through two renames so that a power cut at any point leaves either the old or the new
/// record readable, never a torn one:
/// <list type="number">
/// <item>write <c>key.new</c> completely (a cut here leaves <c>key</c> untouched; <c>.new</c> is never read);</item>
/// <item>rename it to <c>key.ok</c> (only complete records ever carry that name);</item>
/// <item>delete <c>key</c>, then rename <c>key.ok</c> to <c>key</c>.</item>
/// </list>
/// <see cref="Read"/> takes <c>key</c>, or <c>key.ok</c> when a cut fell between the last two steps.
/// This relies on the file system's rename being atomic, as it is on the littlefs/SPIFFS volumes nanoFramework
/// mounts as <c>I:</c> (an assumption not tested here: see README.md). The installer writes the configuration
/// bundle as the plain file <c>I:\config</c>, which this store reads as the record "config".
/// </summary>
internal sealed class FlashStore : INonVolatileStore
{
    public const string InternalDrive = "I:\\";

    private const string CommittedSuffix = ".ok";
    private const string PartialSuffix = ".new";

    private readonly string _root;

    public FlashStore(string root)
    {
        _root = root;
    }

    public int Read(string key, byte[] buffer)
    {
        string path = _root + key;
        string committed = path + CommittedSuffix;
        string source = File.Exists(path) ? path : (File.Exists(committed) ? committed : null);
        if (source == null)
        {
            return -1;
        }

        using (FileStream stream = new FileStream(source, FileMode.Open, FileAccess.Read))
        {
            long length = stream.Length;
            if (length > buffer.Length)
            {
                return -1;
            }

            int total = 0;
            while (total < length)
            {
                int read = stream.Read(buffer, total, (int)length - total);
                if (read <= 0)
                {
                    return -1;
                }

                total += read;
            }

            return total;
        }
    }

    public void Write(string key, byte[] data, int length)
    {
        string path = _root + key;
        string committed = path + CommittedSuffix;
        string partial = path + PartialSuffix;

        // A cut after the delete below left only the committed copy: put it back in place before touching it.
        if (!File.Exists(path) && File.Exists(committed))
        {
            File.Move(committed, path);
        }

        using (FileStream stream = new FileStream(partial, FileMode.Create, FileAccess.Write))
        {
            stream.Write(data, 0, length);
            stream.Flush();
        }

        File.Delete(committed);
        File.Move(partial, committed);
        File.Delete(path);
        File.Move(committed, path);
    }
}
