namespace SmartCommunity.Edge.Access;

using System;
using Microsoft.Extensions.Logging;

public sealed partial class AccessControl
{
    [LoggerMessage(Level = LogLevel.Information, Message = "Card {Card} saved by {Operator}")]
    private static partial void LogCardSaved(ILogger logger, string card, string @operator);

    [LoggerMessage(Level = LogLevel.Information, Message = "Card {Card} deleted by {Operator}")]
    private static partial void LogCardDeleted(ILogger logger, string card, string @operator);

    [LoggerMessage(Level = LogLevel.Information, Message = "Door {Door}: allow-list v{Version} with {Entries} cards ({Why})")]
    private static partial void LogNewVersion(ILogger logger, string door, long version, int entries, string why);

    [LoggerMessage(Level = LogLevel.Information, Message = "Door {Door} holds allow-list v{Version} ({Op})")]
    private static partial void LogSynced(ILogger logger, string door, long version, string op);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Door {Door} refused allow-list v{Version}: {Reason}")]
    private static partial void LogSyncRejected(ILogger logger, string door, long version, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Allow-list command to door {Door} could not be sent")]
    private static partial void LogSendFailed(ILogger logger, string door, Exception exception);

    [LoggerMessage(Level = LogLevel.Information, Message = "Door {Door}: card {Card} {Decision} ({Why})")]
    private static partial void LogDecision(ILogger logger, string door, string card, string decision, string why);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Door {Door} sent an unusable {Event}: {Problem}")]
    private static partial void LogBadAccessMessage(ILogger logger, string door, string @event, string problem);

    [LoggerMessage(Level = LogLevel.Error, Message = "Access control could not handle {What} from {Door}")]
    private static partial void LogHandlerFailed(ILogger logger, string what, string door, Exception exception);

    [LoggerMessage(Level = LogLevel.Error, Message = "Access refresh failed")]
    private static partial void LogRefreshFailed(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Information, Message = "Dropped {Count} access audit entries past their retention")]
    private static partial void LogAuditPruned(ILogger logger, int count);
}
