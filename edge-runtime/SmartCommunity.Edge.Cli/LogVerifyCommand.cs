namespace SmartCommunity.Edge.Cli;

using System;
using System.ComponentModel;
using System.IO;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Data.Sqlite;
using SmartCommunity.Edge.Storage;
using Spectre.Console;
using Spectre.Console.Cli;

/// <summary>
/// <c>sc-edge log verify</c>: checks the event log's hash chain, read-only, beside a running edge or on a copy.
/// Exit 0: chain intact; 1: the first broken link is printed; 2: no database there, or not an event log.
/// </summary>
public sealed class LogVerifyCommand : AsyncCommand<LogVerifyCommand.Settings>
{
    public sealed class Settings : CommandSettings
    {
        [CommandOption("-d|--data <DIR>")]
        [Description("Folder holding the event log (edge.db), as given to `sc-edge run --data`. Default: ./data")]
        [DefaultValue("data")]
        public string Data { get; init; } = "data";
    }

    public override Task<int> ExecuteAsync(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        string path = Path.Combine(settings.Data, EdgeHost.DatabaseFileName);
        ChainVerification result;
        try
        {
            result = EventChainVerifier.Verify(path);
        }
        catch (FileNotFoundException)
        {
            AnsiConsole.MarkupLineInterpolated($"[red]no event log[/] at {path}: check --data (the folder given to `sc-edge run --data`)");
            return Task.FromResult(2);
        }
        catch (Exception ex) when (ex is InvalidDataException or SqliteException)
        {
            AnsiConsole.MarkupLineInterpolated($"[red]cannot verify[/] {path}: {ex.Message}");
            return Task.FromResult(2);
        }

        AnsiConsole.MarkupLineInterpolated($"event log {path}");
        if (!result.HasChain)
        {
            AnsiConsole.MarkupLineInterpolated($"no hash chain yet: {result.LegacyRows} rows were written by an earlier version; `sc-edge run` adds the chain on its next start");
            AnsiConsole.MarkupLine("[green]chain intact[/] (0 rows verified)");
            return Task.FromResult(0);
        }

        if (result.Anchor is { } anchor)
        {
            AnsiConsole.MarkupLineInterpolated($"from the {anchor.Kind} anchor through row {anchor.LastId} ({anchor.At:u}, hash {anchor.Hash})");
        }
        else
        {
            AnsiConsole.MarkupLine("from genesis");
        }
        if (result.LegacyRows > 0)
        {
            AnsiConsole.MarkupLineInterpolated($"{result.LegacyRows} rows predate the chain and are not covered");
        }

        AnsiConsole.MarkupLineInterpolated($"{result.RowsVerified} rows verified ({result.CompactedRows} compacted: payload dropped by retention, hash kept)");
        if (result.FirstBreak is { } broken)
        {
            AnsiConsole.MarkupLineInterpolated($"[red]broken link[/] at row {broken.RowId}: {Describe(broken.Kind)}");
            AnsiConsole.MarkupLineInterpolated($"  {broken.Detail}");
            return Task.FromResult(1);
        }

        AnsiConsole.MarkupLine("[green]chain intact[/]");
        return Task.FromResult(0);
    }

    private static string Describe(ChainBreakKind kind) => kind switch
    {
        ChainBreakKind.PayloadChanged => "payload changed",
        ChainBreakKind.RowChanged => "row changed",
        ChainBreakKind.RowDeleted => "row deleted",
        ChainBreakKind.RowInserted => "row inserted",
        ChainBreakKind.AnchorMismatch => "anchor mismatch",
        _ => kind.ToString(),
    };
}
