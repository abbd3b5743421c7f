namespace SmartCommunity.Firmware.Messaging;

using SmartCommunity.Protocol;

/// <summary>The device-specific half of command handling: act on a validated, first-seen command.</summary>
public interface ICommandTarget
{
    /// <summary>Returns <see cref="CommandRejection.None"/> when the command was carried out.</summary>
    CommandRejection Execute(Command command, long nowMs);
}
