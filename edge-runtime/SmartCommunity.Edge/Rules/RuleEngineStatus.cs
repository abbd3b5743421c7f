namespace SmartCommunity.Edge.Rules;

using System;
using System.Collections.Generic;

/// <summary>
/// What an operator sees on GET /rules: which file runs since when, how many rules, the last load error with its
/// place in the file, and for each rule how often it fired and what the safety gate refused.
/// </summary>
/// <param name="File">The rules file as given (--rules), or null when the edge runs no rules file.</param>
/// <param name="RunningLastGood">The file on disk did not load at start; the last version that did is running.</param>
/// <param name="ReloadPending">A change of the file was seen and will be read after the debounce.</param>
public sealed record RuleEngineStatus(
    string? File,
    DateTimeOffset? LoadedAt,
    string? Hash,
    bool RunningLastGood,
    int RuleCount,
    RuleLoadError? LastLoadError,
    bool ReloadPending,
    int PendingTimers,
    IReadOnlyList<RuleStatus> Rules)
{
    /// <summary>The built-in fire rule is not in the file and cannot be switched off by it (hardware-docs/rules.md).</summary>
    public string BuiltIn => "fire rule (always on; not part of the rules file)";
}

/// <summary>Why the rules file did not load: <c>file:line:column: reason</c>, and when it was tried.</summary>
public sealed record RuleLoadError(string File, long Line, long Column, string Reason, DateTimeOffset At)
{
    public string Message => $"{File}:{Line}:{Column}: {Reason}";
}

public sealed record RuleStatus(
    string Name,
    string? Description,
    string Trigger,
    string When,
    bool Enabled,
    long Firings,
    DateTimeOffset? LastFiredAt,
    string? LastFiredBy,
    long Suppressed,
    long CommandsSent,
    long CommandsRefused,
    RefusedCommand? LastRefusal,
    long ActionErrors,
    string? LastError,
    int PendingTimers);

/// <summary>A command of a rule that a safety gate refused (e.g. a lock while a fire alarm stands): nothing was sent.</summary>
public sealed record RefusedCommand(DateTimeOffset At, string Device, string Command, string Reason);
