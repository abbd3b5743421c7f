namespace SmartCommunity.Firmware.Messaging;

using SmartCommunity.Protocol;

/// <summary>
/// Decodes, checks, de-duplicates and acknowledges commands for one device (hardware-docs/protocol.md §4).
/// Every command gets exactly one ack per delivery; a repeated id gets the first outcome again with
/// <c>"repeat":true</c> and is not executed again. With a command key (<see cref="Keys"/>) every command must be
/// signed, bound to this boot, unexpired and newer than the last one taken (§4.5), all checked before anything runs;
/// without one (development, the simulator by default) commands are taken unsigned as before.
/// </summary>
public sealed class CommandHandler
{
    private readonly Uplink _uplink;
    private readonly ICommandTarget _target;
    private readonly CommandDecoder _decoder = new CommandDecoder();
    private readonly CommandInbox _inbox = new CommandInbox();
    private readonly Command _command = new Command();
    private readonly CommandKeyRing _keys = new CommandKeyRing();
    private long _executed;
    private long _rejected;
    private long _repeats;
    private long _badMacs;
    private long _replays;
    private long _lastCounter;

    public CommandHandler(Uplink uplink, ICommandTarget target)
    {
        _uplink = uplink;
        _target = target;
    }

    public long Executed => _executed;

    public long Rejected => _rejected;

    public long Repeats => _repeats;

    /// <summary>Commands refused as <c>bad-mac</c>: unsigned or signed with a key this device does not hold.</summary>
    public long BadMacs => _badMacs;

    /// <summary>Correctly signed commands refused as <c>replayed</c>: their counter was not above the last one taken.</summary>
    public long Replays => _replays;

    /// <summary>The highest counter ("ctr") of a signed command taken in this boot.</summary>
    public long LastCounter => _lastCounter;

    /// <summary>The command keys; configured at boot from the bundle (protocol.md §7), else commands go unsigned.</summary>
    public CommandKeyRing Keys => _keys;

    public void Handle(byte[] payload, int length, long nowMs)
    {
        CommandRejection outcome = _decoder.Decode(payload, length, _command);
        bool signed = _keys.IsConfigured;

        // The MAC first, before the inbox: a forged command must not even learn or disturb a remembered outcome.
        if (outcome == CommandRejection.None && signed && !_keys.Authenticate(payload, length, _command))
        {
            _badMacs++;
            outcome = CommandRejection.BadMac;
        }

        if (outcome == CommandRejection.None)
        {
            CommandRejection previous;
            if (_inbox.TryGetOutcome(_command, out previous))
            {
                _repeats++;
                Acknowledge(previous, true);
                return;
            }

            outcome = Admit(_command, nowMs, signed);
            if (outcome == CommandRejection.None)
            {
                if (signed)
                {
                    _lastCounter = _command.Counter;
                }

                outcome = _command.Kind == CommandKind.Rekey ? Rekey(_command) : _target.Execute(_command, nowMs);
            }

            // A replay is not remembered: old commands sent again must not push the edge's recent ids out of the inbox.
            if (outcome == CommandRejection.Replayed)
            {
                _replays++;
            }
            else
            {
                _inbox.Remember(_command, outcome);
            }
        }

        if (outcome == CommandRejection.None)
        {
            _executed++;
        }
        else
        {
            _rejected++;
        }

        Acknowledge(outcome, false);
    }

    // Whether a first-seen, well-formed (and, with a key, authentic) command may run at all.
    private CommandRejection Admit(Command command, long nowMs, bool signed)
    {
        if (!signed)
        {
            return IsExpired(command, nowMs) ? CommandRejection.Expired : CommandRejection.None;
        }

        // Signed: the command must name this boot and an expiry. The boot counter is kept in the store and grows at
        // every start, so a command captured in an earlier boot can never run again, although the counter's
        // high-water mark lives in RAM only (protocol.md §4.5).
        if (command.Boot != _uplink.Boot || command.ExpiresAtUptimeMs == 0 || nowMs - command.ExpiresAtUptimeMs > 0)
        {
            return CommandRejection.Expired;
        }

        return command.Counter > _lastCounter ? CommandRejection.None : CommandRejection.Replayed;
    }

    private CommandRejection Rekey(Command command)
    {
        return _keys.IsConfigured ? _keys.Rekey(command) : CommandRejection.NotSupportedByDevice;
    }

    // The expiry is in this device's own uptime for one boot (protocol.md §4.1): a command aimed at another
    // boot, or past its deadline, is stale. Boot 0 means the edge did not know the boot and set no expiry.
    private bool IsExpired(Command command, long nowMs)
    {
        if (command.Boot == 0 || command.ExpiresAtUptimeMs == 0)
        {
            return false;
        }

        return command.Boot != _uplink.Boot || nowMs - command.ExpiresAtUptimeMs > 0;
    }

    /// <summary>
    /// The command counters of the device's state message: <c>rejectedCommands</c>, and <c>badMacs</c> and
    /// <c>replayedCommands</c> once they are not zero (a door's state is close to the 512-byte limit already).
    /// </summary>
    public void WriteCounters(PayloadWriter writer)
    {
        writer.Property("rejectedCommands", _rejected);
        if (_badMacs != 0)
        {
            writer.Property("badMacs", _badMacs);
        }

        if (_replays != 0)
        {
            writer.Property("replayedCommands", _replays);
        }
    }

    private void Acknowledge(CommandRejection outcome, bool repeat)
    {
        PayloadWriter writer = _uplink.Begin();
        writer.Property("id", _command.Id, _command.IdLength);
        writer.Property("cmd", CommandNames.NameOf(_command.Kind));
        writer.Property("result", outcome == CommandRejection.None ? CommandNames.ResultDone : CommandNames.ResultRejected);
        if (outcome != CommandRejection.None)
        {
            writer.Property("reason", CommandNames.ReasonOf(outcome));
        }

        writer.Property("repeat", repeat);
        _uplink.Send(_uplink.Identity.AckTopic, 1);
    }
}
