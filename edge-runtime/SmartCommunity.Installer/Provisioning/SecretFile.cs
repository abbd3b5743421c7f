namespace SmartCommunity.Installer.Provisioning;

using System;
using System.IO;

/// <summary>
/// Writes a file that holds secrets (a bundle's MQTT password and command key) readable and writable by its owner
/// only, and atomically: a new file with mode 0600 next to the target, then renamed over it, so nobody ever reads
/// a half-written bundle or one that was briefly world-readable.
/// </summary>
public static class SecretFile
{
    public const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    public static void Write(string path, byte[] contents)
    {
        string temporary = path + ".tmp-" + Environment.ProcessId;
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = OwnerOnly;
        }

        try
        {
            using (var file = new FileStream(temporary, options))
            {
                file.Write(contents);
                file.Flush(flushToDisk: true);
            }

            File.Move(temporary, path, overwrite: true);
            if (!OperatingSystem.IsWindows())
            {
                // Also when an older bundle was there with looser rights: the rename keeps the new file's mode, but say it.
                File.SetUnixFileMode(path, OwnerOnly);
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            File.Delete(temporary);
            throw new InstallerProblem(InstallerExit.CannotWrite, $"cannot write {path} ({ex.Message})",
                "choose a folder you may write to with --out, on a disk with free space");
        }
    }

    /// <summary>Creates <paramref name="folder"/> if needed and proves a file can be written there, before any secret is issued.</summary>
    public static void CheckWritable(string folder)
    {
        try
        {
            Directory.CreateDirectory(folder);
            string probe = Path.Combine(folder, ".sc-installer-probe-" + Environment.ProcessId);
            File.WriteAllBytes(probe, []);
            File.Delete(probe);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new InstallerProblem(InstallerExit.CannotWrite, $"cannot write into {folder} ({ex.Message})",
                "choose a folder you may write to with --out; nothing was changed on the edge");
        }
    }
}
