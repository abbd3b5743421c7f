namespace SmartCommunity.Firmware.Messaging;

using SmartCommunity.Protocol;

/// <summary>
/// Decodes, checks, de-duplicates and acknowledges commands for one device (hardware-docs/protocol.md §4).
/// Every command gets exactly one ack per delivery; a repeated id gets the first outcome again with
/// <c>"repeat":true</c> and is not executed again.
/// </summary>
public sealed class CommandHandler
{
    private readonly Uplink _uplink;
    private readonly ICommandTarget _target;
    private readonly CommandDecoder _decoder = new CommandDecoder();
    private readonly CommandInbox _inbox = new CommandInbox();
    private readonly Command _command = new Command();
    private long _executed;
    private long _rejected;
    private long _repeats;

    public CommandHandler(Uplink uplink, ICommandTarget target)
    {
        _uplink = uplink;
        _target = target;
    }

    public long Executed => _executed;

    public long Rejected => _rejected;

    public long Repeats => _repeats;

    public void Handle(byte[] payload, int length, long nowMs)
    {
        CommandRejection outcome = _decoder.Decode(payload, length, _command);
        if (outcome == CommandRejection.None)
        {
            CommandRejection previous;
            if (_inbox.TryGetOutcome(_command, out previous))
            {
                _repeats++;
                Acknowledge(previous, true);
                return;
            }

            outcome = IsExpired(_command, nowMs) ? CommandRejection.Expired : _target.Execute(_command, nowMs);
            _inbox.Remember(_command, outcome);
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
