namespace SmartCommunity.Edge.Parking;

using System;
using Microsoft.Extensions.Logging;

public sealed partial class ParkingControl
{
    [LoggerMessage(Level = LogLevel.Information, Message = "Barrier {Barrier}: {Card} {Decision} ({Why})")]
    private static partial void LogDecision(ILogger logger, string barrier, string card, string decision, string why);

    [LoggerMessage(Level = LogLevel.Information, Message = "Car park {CarPark}: count set by {By}")]
    private static partial void LogCorrected(ILogger logger, string carPark, string by);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Car park {CarPark}: a vehicle left level {Level} at barrier {Barrier} while the count was 0; kept at 0")]
    private static partial void LogBelowZero(ILogger logger, string carPark, string level, string barrier);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Barrier {Barrier} sent an unusable {Event}: {Problem}")]
    private static partial void LogBadMessage(ILogger logger, string barrier, string @event, string problem);

    [LoggerMessage(Level = LogLevel.Error, Message = "Parking could not handle {What} from {Barrier}")]
    private static partial void LogHandlerFailed(ILogger logger, string what, string barrier, Exception exception);

    [LoggerMessage(Level = LogLevel.Error, Message = "Daily recount of car park {CarPark} failed")]
    private static partial void LogRecountFailed(ILogger logger, string carPark, Exception exception);
}
