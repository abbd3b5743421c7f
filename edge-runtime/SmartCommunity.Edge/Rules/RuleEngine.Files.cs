namespace SmartCommunity.Edge.Rules;

using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;

/// <summary>
/// The rules file: loading, keeping the last good version, and reloading on change. A file that does not load
/// changes nothing that runs; the error (file:line:column: reason) is kept for the status page and logged. The
/// FileSystemWatcher gives quick reloads; a periodic content-hash check catches what it misses (network and
/// overlay file systems, editors that replace the folder entry, inotify limits).
/// </summary>
public sealed partial class RuleEngine
{
    private const string MissingFile = "missing";

    private async Task<bool> LoadFileAsync(bool startup, bool onlyIfChanged)
    {
        string path = _path!;
        await _reloadGate.WaitAsync().ConfigureAwait(false);
        try
        {
            if (_disposed)
            {
                return false;
            }

            string text;
            try
            {
                text = await File.ReadAllTextAsync(path).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
            {
                if (onlyIfChanged && _lastSeenHash == MissingFile)
                {
                    return false;
                }

                _lastSeenHash = MissingFile;
                await RejectAsync(new RulesException(path, 0, 0,
                    "the rules file is missing; the rules loaded before keep running (to run no rules, leave 'rules: []' in the file)"), startup).ConfigureAwait(false);
                return false;
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                // Perhaps half-written or locked: not remembered as seen, so the next check reads it again.
                await RejectAsync(new RulesException(path, 0, 0, $"cannot read the rules file ({ex.Message}); the rules loaded before keep running"), startup).ConfigureAwait(false);
                return false;
            }

            string hash = RuleLoader.HashOf(text);
            if (onlyIfChanged && hash == _lastSeenHash)
            {
                return false;
            }

            _lastSeenHash = hash;
            RuleSet set;
            try
            {
                set = RuleLoader.Parse(text, path, _devices());
            }
            catch (RulesException ex)
            {
                await RejectAsync(ex, startup).ConfigureAwait(false);
                return false;
            }

            DateTimeOffset now = _time.GetUtcNow();
            Apply(set);
            _file = new FileState(now, hash, false, null);
            _store.SaveLastGood(Path.GetFullPath(path), new StoredRules(text, hash, now));
            LogRulesLoaded(_logger, path, set.Rules.Count);
            await _log.AppendAsync(Record("", "rules-loaded", new { file = path, hash, rules = set.Rules.Select(r => r.Name).ToList() })).ConfigureAwait(false);
            await FlushAsync().ConfigureAwait(false);
            return true;
        }
        finally
        {
            Volatile.Write(ref _reloadPending, 0);
            _reloadGate.Release();
        }
    }

    private async Task RejectAsync(RulesException error, bool startup)
    {
        DateTimeOffset now = _time.GetUtcNow();
        _file = _file with { LastError = new RuleLoadError(error.File, error.Line, error.Column, error.Reason, now) };
        LogRulesRejected(_logger, error.Message, _current.Rules.Count);
        await _log.AppendAsync(Record("", "rules-rejected", new { file = error.File, line = error.Line, column = error.Column, reason = error.Reason })).ConfigureAwait(false);

        // At boot nothing runs yet: the last version that loaded (from the database) runs until the file is fixed.
        if (startup && _current.Rules.Count == 0 && _store.ReadLastGood(Path.GetFullPath(error.File)) is { } lastGood)
        {
            try
            {
                RuleSet set = RuleLoader.Parse(lastGood.Content, error.File, _devices());
                Apply(set);
                _file = _file with { LoadedAt = now, Hash = lastGood.Hash, RunningLastGood = true };
                LogRunningLastGood(_logger, error.File, lastGood.LoadedAt, set.Rules.Count);
            }
            catch (RulesException ex)
            {
                // The layout changed since, so the old version does not fit either: run no user rules.
                LogRulesRejected(_logger, "last good version: " + ex.Message, 0);
            }
        }
    }

    /// <summary>
    /// Puts <paramref name="set"/> in force. A rule whose trigger is unchanged keeps its timers and memory (only its
    /// actions or texts changed); a changed, disabled or removed rule drops them. Counters stay with the name.
    /// </summary>
    private void Apply(RuleSet set)
    {
        lock (_applyGate)
        {
            RuntimeSet old = _current;
            var runtimes = new List<RuleRuntime>();
            foreach (RuleDefinition definition in set.Rules)
            {
                RuleStats stats = _stats.GetOrAdd(definition.Name, _ => new RuleStats());
                old.ByName.TryGetValue(definition.Name, out RuleRuntime? before);
                bool keep = before is not null && before.Definition.Fingerprint == definition.Fingerprint && before.Definition.Enabled && definition.Enabled;
                if (before is not null && !keep)
                {
                    DeleteRule(definition.Name);
                }

                runtimes.Add(new RuleRuntime(definition, stats, keep ? before!.State : new RuleState()));
            }

            var names = new HashSet<string>(set.Rules.Select(r => r.Name), StringComparer.Ordinal);
            foreach (string removed in old.ByName.Keys.Where(n => !names.Contains(n)))
            {
                DeleteRule(removed);
                _stats.TryRemove(removed, out _);
            }

            var next = new RuntimeSet(set, runtimes);
            _current = next;
            Reconcile(next);
        }
    }

    private void Watch(string path)
    {
        if (!_options.WatchFile)
        {
            return;
        }

        string full = Path.GetFullPath(path);
        string? folder = Path.GetDirectoryName(full);
        if (folder is null || !Directory.Exists(folder))
        {
            return;
        }

        try
        {
            var watcher = new FileSystemWatcher(folder, Path.GetFileName(full))
            {
                NotifyFilter = NotifyFilters.LastWrite | NotifyFilters.FileName | NotifyFilters.Size | NotifyFilters.CreationTime,
            };
            watcher.Changed += (_, _) => FileTouched();
            watcher.Created += (_, _) => FileTouched();
            watcher.Deleted += (_, _) => FileTouched();
            watcher.Renamed += (_, _) => FileTouched();
            watcher.Error += (_, e) => LogWatcherFailed(_logger, e.GetException());
            watcher.EnableRaisingEvents = true;
            _watcher = watcher;
        }
        catch (Exception ex) when (ex is IOException or ArgumentException or PlatformNotSupportedException)
        {
            // E.g. the inotify watch limit: the periodic hash check still finds every change, only later.
            LogWatcherFailed(_logger, ex);
        }
    }

    private void FileTouched()
    {
        Volatile.Write(ref _reloadPending, 1);
        try
        {
            _debounce?.Change(_options.ReloadDebounce, Timeout.InfiniteTimeSpan);
        }
        catch (ObjectDisposedException)
        {
            // Stopping.
        }
    }

    private async Task DebouncedReloadAsync()
    {
        if (!_disposed)
        {
            await CheckForChangesAsync().ConfigureAwait(false);
        }
    }
}
