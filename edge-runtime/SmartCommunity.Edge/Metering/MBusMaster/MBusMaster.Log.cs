namespace SmartCommunity.Edge.Metering;

using System;
using Microsoft.Extensions.Logging;

public sealed partial class MBusMaster
{
    [LoggerMessage(Level = LogLevel.Information, Message = "M-Bus {Bus} opened on {Port} at {Baud} baud 8E1")]
    private static partial void LogOpened(ILogger logger, string bus, string port, int baud);

    [LoggerMessage(Level = LogLevel.Error, Message = "M-Bus {Bus}: cannot open {Port} ({Failures} tries so far), trying again every {Retry}: {Reason}. Check the level converter is plugged in and the layout's port names it")]
    private static partial void LogOpenFailed(ILogger logger, string bus, string port, long failures, TimeSpan retry, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "M-Bus {Bus} on {Port} failed; closing and opening it again")]
    private static partial void LogLineFailed(ILogger logger, string bus, string port, Exception ex);

    [LoggerMessage(Level = LogLevel.Debug, Message = "M-Bus meter {Meter} on {Bus}: attempt {Attempt} failed: {Problem}")]
    private static partial void LogAttemptFailed(ILogger logger, string meter, string bus, int attempt, string problem);

    [LoggerMessage(Level = LogLevel.Warning, Message = "M-Bus meter {Meter} ({Address}) poll failed ({Failures} in a row): {Problem}")]
    private static partial void LogPollFailed(ILogger logger, string meter, string address, int failures, string problem);

    [LoggerMessage(Level = LogLevel.Information, Message = "M-Bus meter {Meter} ({Address}) answers again")]
    private static partial void LogRecovered(ILogger logger, string meter, string address);

    [LoggerMessage(Level = LogLevel.Warning, Message = "M-Bus meter {Meter} ({Address}) answered but gave no reading: {Problem}")]
    private static partial void LogNoRegister(ILogger logger, string meter, string address, string problem);
}
