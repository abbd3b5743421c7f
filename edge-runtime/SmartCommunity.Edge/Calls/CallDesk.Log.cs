namespace SmartCommunity.Edge.Calls;

using System;
using Microsoft.Extensions.Logging;

public sealed partial class CallDesk
{
    [LoggerMessage(Level = LogLevel.Critical, Message = "Emergency {Kind} {Call} opened at {Device} ({Unit}); held for quiet hours: {Held}")]
    private static partial void LogOpened(ILogger logger, string kind, string call, string device, string unit, bool held);

    [LoggerMessage(Level = LogLevel.Information, Message = "Call {Call} of {Device} came again; call-received sent again")]
    private static partial void LogRepeated(ILogger logger, string call, string device);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Call {Call} of {Device} escalated: {Stage} {Relay} after {ElapsedS} s")]
    private static partial void LogEscalated(ILogger logger, string call, string device, string stage, string relay, long elapsedS);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Welfare call {Call} of {Device}: quiet hours are over; escalation starts")]
    private static partial void LogReleased(ILogger logger, string call, string device);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Call {Call} of {Device} acknowledged by {By} via {Via}")]
    private static partial void LogAcknowledged(ILogger logger, string call, string device, string by, string via);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Call {Call} of {Device} closed at the call point ({Reason})")]
    private static partial void LogClosed(ILogger logger, string call, string device, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Call {Call} of {Device} resumed after a restart: {State}, stage {Stage}")]
    private static partial void LogResumed(ILogger logger, string call, string device, string state, string stage);

    [LoggerMessage(Level = LogLevel.Error, Message = "A {What} from {Device} has no usable call id ({Problem}); an operator alert is raised")]
    private static partial void LogBadCallId(ILogger logger, string what, string device, string problem);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Event} from {Device} names call {Call}, which the edge never had")]
    private static partial void LogCloseUnknown(ILogger logger, string @event, string call, string device);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Event} from {Device} names call {Call}, which is a {Kind}; ignored")]
    private static partial void LogCloseWrongKind(ILogger logger, string @event, string call, string device, string kind);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Acknowledgement via {Via} names call {Call} of {Device}, which the edge does not have")]
    private static partial void LogAckUnknown(ILogger logger, string call, string device, string via);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Callback acknowledgement of call {Call} of {Device} refused: {Why}")]
    private static partial void LogCallbackRefused(ILogger logger, string call, string device, string why);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Acknowledgement message from relay {Relay} refused: {Why}")]
    private static partial void LogBadAckMessage(ILogger logger, string relay, string why);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Quiet hours of {Device} ignored: {Problem}")]
    private static partial void LogBadQuietHours(ILogger logger, string device, string problem);

    [LoggerMessage(Level = LogLevel.Error, Message = "Call {Call}: device {Device} is no longer in the registry; {Command} not sent")]
    private static partial void LogDeviceGone(ILogger logger, string call, string device, string command);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Sending {Command} for call {Call} to {Device} failed; the publisher retries it")]
    private static partial void LogSendFailed(ILogger logger, string command, string call, string device, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Alert {Alert} of call {Call} is gone; nothing to clear")]
    private static partial void LogAlertGone(ILogger logger, long alert, string call);

    [LoggerMessage(Level = LogLevel.Error, Message = "Escalation step of call {Call} of {Device} failed; it is tried again at the next check")]
    private static partial void LogStepFailed(ILogger logger, string call, string device, Exception exception);

    [LoggerMessage(Level = LogLevel.Error, Message = "A pass over the open calls failed")]
    private static partial void LogTickFailed(ILogger logger, Exception exception);
}
