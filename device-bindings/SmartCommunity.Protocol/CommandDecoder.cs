namespace SmartCommunity.Protocol;

/// <summary>Decodes a command payload (hardware-docs/protocol.md §4.1) into a preallocated <see cref="Command"/>.</summary>
public sealed class CommandDecoder
{
    private readonly PayloadReader _reader = new PayloadReader();

    /// <summary>
    /// Returns <see cref="CommandRejection.None"/> when <paramref name="command"/> holds a well-formed command.
    /// When the id could be read it is kept in <paramref name="command"/> even on rejection, so the ack can name it.
    /// </summary>
    public CommandRejection Decode(byte[] payload, int length, Command command)
    {
        command.Clear();
        if (length > MessageLimits.MaxDownlinkBytes)
        {
            return CommandRejection.Oversized;
        }

        if (!_reader.Load(payload, 0, length))
        {
            return CommandRejection.Malformed;
        }

        int idLength = _reader.CopyString("id", command.Id);
        if (idLength <= 0)
        {
            return CommandRejection.MissingId;
        }

        command.IdLength = idLength;

        long version;
        if (!_reader.TryGetInt64("v", out version) || version != ProtocolVersion.Current)
        {
            return CommandRejection.UnsupportedVersion;
        }

        command.Kind = KindOf(_reader);
        if (command.Kind == CommandKind.Unknown)
        {
            return CommandRejection.UnknownCommand;
        }

        long number;
        if (_reader.TryGetInt64("ctr", out number))
        {
            command.Counter = number;
        }

        if (_reader.TryGetInt64("boot", out number))
        {
            command.Boot = number;
        }

        if (_reader.TryGetInt64("exp", out number))
        {
            command.ExpiresAtUptimeMs = number;
        }

        if (_reader.TryGetInt64("ms", out number))
        {
            if (number < 0)
            {
                return CommandRejection.BadArgument;
            }

            command.DurationMs = number;
        }

        // Call commands name the call they answer; without it the point could not tell which call is meant.
        int callLength = _reader.CopyString("call", command.CallId);
        command.CallIdLength = callLength < 0 ? 0 : callLength;
        if (command.CallIdLength == 0
            && (command.Kind == CommandKind.CallReceived || command.Kind == CommandKind.CallHandled || command.Kind == CommandKind.Sound))
        {
            return CommandRejection.BadArgument;
        }

        int macLength = _reader.CopyString("mac", command.Mac);
        command.MacLength = macLength < 0 ? 0 : macLength;

        // Where the MAC's characters sit in the payload: a keyed device authenticates every other byte (protocol.md §4.5).
        int macStart;
        int macRawLength;
        JsonKind macKind;
        if (_reader.TryFind("mac", out macStart, out macRawLength, out macKind) && macKind == JsonKind.String)
        {
            command.MacStart = macStart;
            command.MacRawLength = macRawLength;
        }

        if (command.Kind == CommandKind.Rekey)
        {
            // The new key's id and the key itself, wrapped: 32 bytes as 64 hex characters (protocol.md §4.5).
            if (!_reader.TryGetInt64("kid", out number) || number < 1)
            {
                return CommandRejection.BadArgument;
            }

            command.KeyId = number;
            int keyLength = _reader.CopyString("key", command.WrappedKey);
            if (keyLength != Command.WrappedKeyLength)
            {
                return CommandRejection.BadArgument;
            }
        }

        if (command.Kind == CommandKind.AllowList)
        {
            return DecodeAllowList(command);
        }

        if (command.Kind == CommandKind.Grant || command.Kind == CommandKind.Deny)
        {
            // An answer must say which request it answers (hardware-docs/protocol.md §4.4).
            if (!_reader.TryGetInt64("req", out number) || number < 1)
            {
                return CommandRejection.BadArgument;
            }

            command.Request = number;
        }
        else if (command.Kind == CommandKind.Open && _reader.TryGetInt64("req", out number))
        {
            // A barrier's open may answer an entry request, or be an operator's open without one (parking-barrier.md).
            if (number < 1)
            {
                return CommandRejection.BadArgument;
            }

            command.Request = number;
        }

        return CommandRejection.None;
    }

    // The fields of an allow-list command (hardware-docs/protocol.md §4.4); what the entries say is checked by the door.
    private CommandRejection DecodeAllowList(Command command)
    {
        if (_reader.StringEquals("op", CommandNames.ListOpFull))
        {
            command.FullList = true;
        }
        else if (!_reader.StringEquals("op", CommandNames.ListOpDelta))
        {
            return CommandRejection.BadArgument;
        }

        long number;
        if (!_reader.TryGetInt64("ver", out number) || number < 1)
        {
            return CommandRejection.BadArgument;
        }

        command.ListVersion = number;
        if (!_reader.TryGetInt64("now", out number) || number < 1)
        {
            return CommandRejection.BadArgument;
        }

        command.NowUnixSeconds = number;
        if (command.FullList)
        {
            long parts;
            if (!_reader.TryGetInt64("part", out number) || !_reader.TryGetInt64("parts", out parts)
                || number < 1 || parts < 1 || number > parts)
            {
                return CommandRejection.BadArgument;
            }

            command.Part = number;
            command.Parts = parts;
        }
        else
        {
            if (!_reader.TryGetInt64("base", out number) || number < 0)
            {
                return CommandRejection.BadArgument;
            }

            command.BaseVersion = number;
        }

        int length;
        if (!TryCopyOptionalString("add", command.Add, out length))
        {
            return CommandRejection.BadArgument;
        }

        command.AddLength = length;
        if (!TryCopyOptionalString("remove", command.Remove, out length))
        {
            return CommandRejection.BadArgument;
        }

        command.RemoveLength = length;
        return CommandRejection.None;
    }

    // Absent is an empty string; present but not a string is an error.
    private bool TryCopyOptionalString(string key, byte[] destination, out int length)
    {
        length = 0;
        int start;
        int rawLength;
        JsonKind kind;
        if (!_reader.TryFind(key, out start, out rawLength, out kind))
        {
            return true;
        }

        if (kind != JsonKind.String)
        {
            return false;
        }

        length = _reader.CopyString(key, destination);
        return length >= 0;
    }

    // Every command kind after Unknown, by its wire name (CommandNames.NameOf is the one table of names).
    private static CommandKind KindOf(PayloadReader reader)
    {
        for (int kind = (int)CommandKind.Unknown + 1; kind <= (int)CommandKind.Rekey; kind++)
        {
            if (reader.StringEquals("cmd", CommandNames.NameOf((CommandKind)kind)))
            {
                return (CommandKind)kind;
            }
        }

        return CommandKind.Unknown;
    }
}
