namespace SmartCommunity.Edge.Metering;

using System;
using Microsoft.Extensions.Logging;

public sealed partial class MeterBook
{
    [LoggerMessage(Level = LogLevel.Warning, Message = "Meter reading not stored ({Why}): {Text}")]
    private static partial void LogRefused(ILogger logger, string why, string text);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Meter {Meter} went down from {Before} to {After} without a recorded replacement: a reset; consumption resumes from the new reading")]
    private static partial void LogReset(ILogger logger, string meter, string before, string after);

    [LoggerMessage(Level = LogLevel.Information, Message = "Meter {Meter} rolled over from {Before} to {After}")]
    private static partial void LogRollover(ILogger logger, string meter, string before, string after);

    [LoggerMessage(Level = LogLevel.Information, Message = "Meter {Meter} replaced at {At}: old final {OldFinal}, new start {NewStart}, recorded by {By}")]
    private static partial void LogReplaced(ILogger logger, string meter, DateTimeOffset at, string oldFinal, string newStart, string by);

    [LoggerMessage(Level = LogLevel.Error, Message = "Closing metering intervals failed; the next pass tries again")]
    private static partial void LogCloseFailed(ILogger logger, Exception ex);
}
