namespace SmartCommunity.Edge.Rules;

using System;

/// <summary>How often the rule engine looks at its timers, saves them, and looks for a changed rules file.</summary>
public sealed class RuleEngineOptions
{
    /// <summary>How often due timers (held, absence, count windows) are checked: their resolution.</summary>
    public TimeSpan TickInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// How often absence windows that only moved because data arrived are saved. Starts, ends and firings are saved at
    /// once; this bounds how much "last data" a kill -9 can forget (an absence may then fire that much early after it).
    /// </summary>
    public TimeSpan PersistInterval { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Quiet time after a change of the rules file before it is read, so an editor's several writes load once.</summary>
    public TimeSpan ReloadDebounce { get; init; } = TimeSpan.FromMilliseconds(500);

    /// <summary>The fallback to the file watcher: the file's content hash is compared this often.</summary>
    public TimeSpan ChangeCheckInterval { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Use a FileSystemWatcher as well as the periodic hash check.</summary>
    public bool WatchFile { get; init; } = true;
}
