namespace SmartCommunity.Firmware.Messaging;

using SmartCommunity.Firmware.Hal;
using SmartCommunity.Protocol;
using SmartCommunity.Protocol.Crypto;

/// <summary>
/// The device's command keys (hardware-docs/protocol.md §4.5): the current key and, during a rotation, the next one.
/// A command signed under the next key makes it current and forgets the old one. Rotations are kept in the
/// non-volatile record <see cref="StoreKey"/> so a reboot does not fall back to the provisioning key; a bundle with
/// another key (the device was provisioned again) discards that record. No allocation after construction.
/// </summary>
public sealed class CommandKeyRing
{
    public const string StoreKey = "cmdkey";

    // version, the bundle key it descends from, current id + key, has-next flag, next id + key.
    private const int RecordVersion = 1;
    private const int OriginAt = 1;
    private const int CurrentIdAt = OriginAt + CommandKey.KeySize;
    private const int CurrentKeyAt = CurrentIdAt + 8;
    private const int HasNextAt = CurrentKeyAt + CommandKey.KeySize;
    private const int NextIdAt = HasNextAt + 1;
    private const int NextKeyAt = NextIdAt + 8;
    private const int RecordLength = NextKeyAt + CommandKey.KeySize;

    private readonly CommandKey _current = new CommandKey();
    private readonly CommandKey _next = new CommandKey();
    private readonly byte[] _newKey = new byte[CommandKey.KeySize];
    private readonly byte[] _record = new byte[RecordLength];
    private readonly byte[] _origin = new byte[CommandKey.KeySize];
    private INonVolatileStore _store;

    /// <summary>Whether the device has a key: then every command must be signed (protocol.md §4.5).</summary>
    public bool IsConfigured => _current.HasKey;

    public long CurrentKeyId => _current.Id;

    /// <summary>The id of the key a rekey delivered and no command has used yet; 0 when none.</summary>
    public long NextKeyId => _next.HasKey ? _next.Id : 0;

    /// <summary>
    /// Sets the provisioning key from the configuration bundle (<c>commandKeyId</c>, <c>commandKey</c>); with a store,
    /// takes the rotations recorded since that same key was provisioned and keeps later ones there. Boot only.
    /// </summary>
    public void Configure(long keyId, byte[] key, int offset, INonVolatileStore store)
    {
        _current.Set(keyId, key, offset);
        _next.Clear();
        System.Array.Copy(key, offset, _origin, 0, CommandKey.KeySize);
        _store = store;
        if (store == null)
        {
            return;
        }

        int length = store.Read(StoreKey, _record);
        if (length != RecordLength || _record[0] != RecordVersion
            || !FixedTime.AreEqual(_record, OriginAt, _origin, 0, CommandKey.KeySize))
        {
            return;
        }

        _current.Set(ReadLong(CurrentIdAt), _record, CurrentKeyAt);
        if (_record[HasNextAt] == 1)
        {
            _next.Set(ReadLong(NextIdAt), _record, NextKeyAt);
        }
    }

    /// <summary>
    /// Checks the command's MAC under the current key, then under the next one; a match under the next key completes
    /// the rotation. False when neither matches (or there is no MAC).
    /// </summary>
    public bool Authenticate(byte[] payload, int length, Command command)
    {
        if (_current.Verify(payload, length, command.MacStart, command.MacRawLength))
        {
            return true;
        }

        if (_next.HasKey && _next.Verify(payload, length, command.MacStart, command.MacRawLength))
        {
            // The edge only signs with the next key after the device acknowledged it: the rotation is complete.
            _current.CopyFrom(_next);
            _next.Clear();
            Save();
            return true;
        }

        return false;
    }

    /// <summary>Takes the key a rekey command carries as the next key (kept until a command is signed with it).</summary>
    public CommandRejection Rekey(Command command)
    {
        if (command.KeyId <= _current.Id)
        {
            return CommandRejection.BadArgument;
        }

        if (!_current.Unwrap(command.Id, command.IdLength, command.WrappedKey, _newKey))
        {
            return CommandRejection.BadArgument;
        }

        _next.Set(command.KeyId, _newKey, 0);
        System.Array.Clear(_newKey, 0, _newKey.Length);
        Save();
        return CommandRejection.None;
    }

    private void Save()
    {
        if (_store == null)
        {
            return;
        }

        System.Array.Clear(_record, 0, RecordLength);
        _record[0] = RecordVersion;
        System.Array.Copy(_origin, 0, _record, OriginAt, CommandKey.KeySize);
        WriteLong(CurrentIdAt, _current.Id);
        _current.CopyKeyTo(_record, CurrentKeyAt);
        if (_next.HasKey)
        {
            _record[HasNextAt] = 1;
            WriteLong(NextIdAt, _next.Id);
            _next.CopyKeyTo(_record, NextKeyAt);
        }

        _store.Write(StoreKey, _record, RecordLength);
    }

    private long ReadLong(int offset)
    {
        long value = 0;
        for (int i = 0; i < 8; i++)
        {
            value = (value << 8) | _record[offset + i];
        }

        return value;
    }

    private void WriteLong(int offset, long value)
    {
        for (int i = 7; i >= 0; i--)
        {
            _record[offset + i] = (byte)value;
            value >>= 8;
        }
    }
}
