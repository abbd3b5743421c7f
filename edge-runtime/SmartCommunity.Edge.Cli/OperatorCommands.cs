namespace SmartCommunity.Edge.Cli;

using System;
using System.Collections.Generic;
using System.ComponentModel;
using System.IO;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Data.Sqlite;
using SmartCommunity.Edge.Operators;
using Spectre.Console;
using Spectre.Console.Cli;

/// <summary>
/// <c>sc-edge operator add|list|revoke</c>: who may use the HTTP API, and with which role (<c>--role admin</c> may
/// force a fire reset past an offline detector; hardware-docs/safety.md). Run on the edge box as the service user
/// (<c>sudo -u sc-edge sc-edge operator add alice --data /var/lib/sc-edge</c>) while the edge runs or not; the
/// edge writes each change to its event log (<see cref="OperatorStore.AuditPendingAsync"/>).
/// </summary>
public static class OperatorCommands
{
    public class DataSettings : CommandSettings
    {
        [CommandOption("-d|--data <DIR>")]
        [Description("The edge's data folder (holding edge.db). Default: ./data; the service uses /var/lib/sc-edge.")]
        [DefaultValue("data")]
        public string Data { get; init; } = "data";
    }

    public class NameSettings : DataSettings
    {
        [CommandArgument(0, "<NAME>")]
        [Description("The operator's name, as the audit trail shows it: letters, digits, '.', '_', '-', '@'.")]
        public string Name { get; init; } = "";
    }

    public sealed class AddSettings : NameSettings
    {
        [CommandOption("-r|--role <ROLE>")]
        [Description("viewer (reads only), operator (default: acknowledge, reset, command), installer (also the device registry and credentials) or admin (also a forced fire reset past an offline detector).")]
        [DefaultValue(OperatorRoles.Operator)]
        public string Role { get; init; } = OperatorRoles.Operator;

        public override ValidationResult Validate() =>
            OperatorRoles.WhyInvalid(Role) is { } why ? ValidationResult.Error(why) : ValidationResult.Success();
    }

    /// <summary>Who ran the command, for the audit trail: the person behind sudo if there is one.</summary>
    internal static string InvokedBy() =>
        "cli:" + (Environment.GetEnvironmentVariable("SUDO_USER") is { Length: > 0 } sudoUser ? sudoUser : Environment.UserName);

    internal static async Task<int> WithStoreAsync(string data, Func<OperatorStore, Task<int>> action)
    {
        try
        {
            await using OperatorStore store = OperatorStore.Open(Path.Combine(data, EdgeHost.DatabaseFileName), TimeProvider.System, mustExist: true);
            return await action(store);
        }
        catch (OperatorException ex)
        {
            AnsiConsole.MarkupLineInterpolated($"[red]operator error[/] {ex.Message}");
            return 1;
        }
        catch (SqliteException ex)
        {
            AnsiConsole.MarkupLineInterpolated(
                $"[red]cannot use the edge database[/] in {data} ({ex.Message}); run as the service user, e.g. sudo -u sc-edge sc-edge operator ... --data /var/lib/sc-edge");
            return 1;
        }
    }
}

/// <summary><c>sc-edge operator add NAME [--role admin]</c>: issues a token and prints it, once.</summary>
public sealed class OperatorAddCommand : AsyncCommand<OperatorCommands.AddSettings>
{
    public override Task<int> ExecuteAsync(CommandContext context, OperatorCommands.AddSettings settings, CancellationToken cancellationToken) =>
        OperatorCommands.WithStoreAsync(settings.Data, async store =>
        {
            string token = await store.IssueAsync(settings.Name, OperatorCommands.InvokedBy(), settings.Role);
            AnsiConsole.MarkupLineInterpolated($"[green]ok[/] operator {settings.Name} added with role {settings.Role}. Their token, shown only this once (the edge keeps only its hash):");
            Console.WriteLine(token);
            AnsiConsole.MarkupLineInterpolated($"Use it as 'Authorization: Bearer TOKEN'. Lost it? sc-edge operator revoke {settings.Name}, then add again.");
            return 0;
        });
}

/// <summary><c>sc-edge operator list</c>: every token issued, live and revoked.</summary>
public sealed class OperatorListCommand : AsyncCommand<OperatorCommands.DataSettings>
{
    public override Task<int> ExecuteAsync(CommandContext context, OperatorCommands.DataSettings settings, CancellationToken cancellationToken) =>
        OperatorCommands.WithStoreAsync(settings.Data, async store =>
        {
            IReadOnlyList<OperatorInfo> operators = await store.ListAsync();
            var table = new Table().AddColumns("operator", "role", "state", "added", "added by", "revoked", "revoked by");
            foreach (OperatorInfo op in operators)
            {
                table.AddRow(
                    Markup.Escape(op.Name),
                    op.Role == OperatorRoles.Admin ? "[yellow]admin[/]" : Markup.Escape(op.Role),
                    op.Revoked ? "[grey]revoked[/]" : "[green]live[/]",
                    op.CreatedAt.ToString("u", System.Globalization.CultureInfo.InvariantCulture),
                    Markup.Escape(op.CreatedBy),
                    op.RevokedAt?.ToString("u", System.Globalization.CultureInfo.InvariantCulture) ?? "",
                    Markup.Escape(op.RevokedBy ?? ""));
            }

            AnsiConsole.Write(table);
            AnsiConsole.MarkupLineInterpolated($"{operators.Count} tokens issued");
            return 0;
        });
}

/// <summary><c>sc-edge operator revoke NAME</c>: the token stops working at the edge's next request.</summary>
public sealed class OperatorRevokeCommand : AsyncCommand<OperatorCommands.NameSettings>
{
    public override Task<int> ExecuteAsync(CommandContext context, OperatorCommands.NameSettings settings, CancellationToken cancellationToken) =>
        OperatorCommands.WithStoreAsync(settings.Data, async store =>
        {
            if (!await store.RevokeAsync(settings.Name, OperatorCommands.InvokedBy()))
            {
                AnsiConsole.MarkupLineInterpolated($"[red]operator error[/] {settings.Name} has no live token; sc-edge operator list shows who has one");
                return 1;
            }

            AnsiConsole.MarkupLineInterpolated($"[green]ok[/] the token of {settings.Name} is revoked");
            return 0;
        });
}
