namespace SmartCommunity.Edge.Rules;

using System;
using Microsoft.Extensions.Logging;

public sealed partial class RuleEngine
{
    [LoggerMessage(Level = LogLevel.Information, Message = "Rules loaded from {File}: {Count} rules")]
    private static partial void LogRulesLoaded(ILogger logger, string file, int count);

    [LoggerMessage(Level = LogLevel.Error, Message = "Rules file not loaded: {Error}; the {Running} rules loaded before keep running")]
    private static partial void LogRulesRejected(ILogger logger, string error, int running);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Running the last good version of {File} (loaded {LoadedAt:O}, {Count} rules) until the file is fixed")]
    private static partial void LogRunningLastGood(ILogger logger, string file, DateTimeOffset loadedAt, int count);

    [LoggerMessage(Level = LogLevel.Information, Message = "Rule {Rule} fired: {Why}")]
    private static partial void LogRuleFired(ILogger logger, string rule, string why);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Rule {Rule}: '{Command}' found no device around {Scope}")]
    private static partial void LogNoTargets(ILogger logger, string rule, string command, string scope);

    [LoggerMessage(Level = LogLevel.Error, Message = "Rule {Rule} failed")]
    private static partial void LogRuleFailed(ILogger logger, string rule, Exception exception);

    [LoggerMessage(Level = LogLevel.Error, Message = "Rule engine failed while {Doing}")]
    private static partial void LogEngineFailed(ILogger logger, string doing, Exception exception);

    [LoggerMessage(Level = LogLevel.Information, Message = "Resumed {Resumed} of {Saved} saved rule timers (longest downtime {Downtime})")]
    private static partial void LogTimersRestored(ILogger logger, int resumed, int saved, TimeSpan downtime);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Watching the rules file failed; changes are still found by the periodic check")]
    private static partial void LogWatcherFailed(ILogger logger, Exception exception);
}
