namespace SmartCommunity.Firmware.Messaging;

using SmartCommunity.Protocol;

/// <summary>
/// Remembers the ids of the last few commands and how each ended, so a command the edge retries (same id) is
/// acknowledged again but never executed twice (hardware-docs/protocol.md §4.2). Fixed size, no allocation.
/// </summary>
public sealed class CommandInbox
{
    public const int Capacity = 16;

    private readonly byte[][] _ids = new byte[Capacity][];
    private readonly int[] _lengths = new int[Capacity];
    private readonly CommandRejection[] _outcomes = new CommandRejection[Capacity];
    private int _next;

    public CommandInbox()
    {
        for (int i = 0; i < Capacity; i++)
        {
            _ids[i] = new byte[MessageLimits.MaxIdLength];
        }
    }

    public bool TryGetOutcome(Command command, out CommandRejection outcome)
    {
        for (int i = 0; i < Capacity; i++)
        {
            if (_lengths[i] > 0 && command.HasSameId(_ids[i], _lengths[i]))
            {
                outcome = _outcomes[i];
                return true;
            }
        }

        outcome = CommandRejection.None;
        return false;
    }

    public void Remember(Command command, CommandRejection outcome)
    {
        byte[] slot = _ids[_next];
        for (int i = 0; i < command.IdLength; i++)
        {
            slot[i] = command.Id[i];
        }

        _lengths[_next] = command.IdLength;
        _outcomes[_next] = outcome;
        _next = (_next + 1) % Capacity;
    }
}
