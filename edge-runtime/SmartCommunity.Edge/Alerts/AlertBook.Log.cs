namespace SmartCommunity.Edge.Alerts;

using Microsoft.Extensions.Logging;

public sealed partial class AlertBook
{
    [LoggerMessage(Level = LogLevel.Warning, Message = "Alert {Id} raised ({Severity}) by {Rule}: {Text}")]
    private static partial void LogRaised(ILogger logger, long id, AlertSeverity severity, string rule, string text);

    [LoggerMessage(Level = LogLevel.Information, Message = "Alert {Id} acknowledged by {Operator}")]
    private static partial void LogAcknowledged(ILogger logger, long id, string @operator);

    [LoggerMessage(Level = LogLevel.Information, Message = "Alert {Id} cleared by {Operator}")]
    private static partial void LogCleared(ILogger logger, long id, string @operator);
}
