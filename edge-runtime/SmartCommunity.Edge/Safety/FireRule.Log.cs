namespace SmartCommunity.Edge.Safety;

using System;
using Microsoft.Extensions.Logging;

public sealed partial class FireRule
{
    [LoggerMessage(Level = LogLevel.Critical, Message = "FIRE latched in building {Building} ({By}); releasing its doors")]
    private static partial void LogFireLatched(ILogger logger, string building, string by);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Fire latch of building {Building} reset by {Operator}")]
    private static partial void LogFireReset(ILogger logger, string building, string @operator);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Fire latch of building {Building} reset by admin {Operator}, FORCED past offline devices still in alarm: {Devices}")]
    private static partial void LogForcedReset(ILogger logger, string building, string @operator, string devices);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Fire latch of building {Building} restored from the log ({By}); releasing its doors again")]
    private static partial void LogLatchRestored(ILogger logger, string building, string by);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Fire suspected in building {Building}: {Cause}")]
    private static partial void LogFireSuspected(ILogger logger, string building, string cause);

    [LoggerMessage(Level = LogLevel.Information, Message = "First alarm at {Device} in building {Building} ({Mode}) expired without a second signal; still in alarm: {StillInAlarm}")]
    private static partial void LogSuspicionExpired(ILogger logger, string device, string building, string mode, bool stillInAlarm);

    [LoggerMessage(Level = LogLevel.Information, Message = "Test alarm at {Device} in building {Building}; doors not released for a test")]
    private static partial void LogTestAlarm(ILogger logger, string device, string building);

    [LoggerMessage(Level = LogLevel.Error, Message = "Could not raise or clear the fire rule's alert {Rule} of building {Building}")]
    private static partial void LogAlertFailed(ILogger logger, string rule, string building, Exception exception);

    [LoggerMessage(Level = LogLevel.Error, Message = "The fire rule's expiry pass failed")]
    private static partial void LogExpiryFailed(ILogger logger, Exception exception);
}
