namespace SmartCommunity.Edge.Registry;

using System;
using System.IO;
using System.Security.Cryptography;

/// <summary>
/// The building key: 32 random bytes in a file only the service user can read (mode 0600), created at first start.
/// Device command-signing keys are stored encrypted under it (AES-256-GCM), so a copy of the database alone does
/// not give them away. Losing the file means re-provisioning the devices' keys; back it up with the data folder's
/// owner-only permissions (edge-runtime/README.md, "Device registry").
/// </summary>
public sealed class BuildingKey
{
    public const string FileName = "building.key";
    private const int NonceSize = 12;
    private const int TagSize = 16;

    private readonly byte[] _key;

    private BuildingKey(byte[] key)
    {
        _key = key;
    }

    /// <summary>Reads the key file, creating it (owner read/write only) when it does not exist.</summary>
    public static BuildingKey LoadOrCreate(string path)
    {
        if (!File.Exists(path))
        {
            byte[] fresh = RandomNumberGenerator.GetBytes(32);
            var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
            if (!OperatingSystem.IsWindows())
            {
                options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
            }

            using (var file = new FileStream(path, options))
            {
                file.Write(fresh);
            }

            return new BuildingKey(fresh);
        }

        if (!OperatingSystem.IsWindows() && (File.GetUnixFileMode(path) & (UnixFileMode.GroupRead | UnixFileMode.OtherRead | UnixFileMode.GroupWrite | UnixFileMode.OtherWrite)) != 0)
        {
            throw new InvalidOperationException($"{path} is readable by other users; run `chmod 600 {path}` (owner: the service user)");
        }

        byte[] key = File.ReadAllBytes(path);
        if (key.Length != 32)
        {
            throw new InvalidOperationException($"{path} holds {key.Length} bytes, not a 32-byte key; restore it from the backup or delete it to make a new one (devices must then be given new keys)");
        }

        return new BuildingKey(key);
    }

    /// <summary>nonce (12) | ciphertext | tag (16); the device id is bound as associated data so a blob cannot be moved to another device.</summary>
    public byte[] Seal(ReadOnlySpan<byte> secret, string deviceId)
    {
        byte[] sealedBlob = new byte[NonceSize + secret.Length + TagSize];
        Span<byte> nonce = sealedBlob.AsSpan(0, NonceSize);
        RandomNumberGenerator.Fill(nonce);
        using var aes = new AesGcm(_key, TagSize);
        aes.Encrypt(nonce, secret, sealedBlob.AsSpan(NonceSize, secret.Length), sealedBlob.AsSpan(NonceSize + secret.Length), System.Text.Encoding.UTF8.GetBytes(deviceId));
        return sealedBlob;
    }

    public byte[] Open(byte[] sealedBlob, string deviceId)
    {
        int length = sealedBlob.Length - NonceSize - TagSize;
        byte[] secret = new byte[length];
        using var aes = new AesGcm(_key, TagSize);
        aes.Decrypt(sealedBlob.AsSpan(0, NonceSize), sealedBlob.AsSpan(NonceSize, length), sealedBlob.AsSpan(NonceSize + length), secret, System.Text.Encoding.UTF8.GetBytes(deviceId));
        return secret;
    }
}
