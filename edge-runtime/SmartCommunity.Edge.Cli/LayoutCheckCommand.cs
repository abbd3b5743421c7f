namespace SmartCommunity.Edge.Cli;

using System.ComponentModel;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using SmartCommunity.Edge.Layout;
using Spectre.Console;
using Spectre.Console.Cli;

/// <summary><c>sc-edge layout check FILE</c>: validates a layout and lists what it declares, for installers.</summary>
public sealed class LayoutCheckCommand : AsyncCommand<LayoutCheckCommand.Settings>
{
    public sealed class Settings : CommandSettings
    {
        [CommandArgument(0, "<FILE>")]
        [Description("The building layout YAML to check.")]
        public string File { get; init; } = "";
    }

    public override Task<int> ExecuteAsync(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        try
        {
            BuildingLayout layout = LayoutLoader.Load(settings.File);
            var table = new Table().AddColumns("building", "floor", "zone", "device", "kind", "role");
            foreach (var d in layout.Devices.OrderBy(d => d.Building).ThenBy(d => d.Id))
            {
                table.AddRow(d.Building, d.Floor, d.Zone, d.Id, d.Kind, d.Role);
            }

            AnsiConsole.Write(table);
            AnsiConsole.MarkupLineInterpolated($"[green]ok[/] {settings.File}: site {layout.Site}, {layout.Buildings.Count} buildings, {layout.Devices.Count} devices");
            return Task.FromResult(0);
        }
        catch (LayoutException ex)
        {
            AnsiConsole.MarkupLineInterpolated($"[red]layout error[/] {ex.Message}");
            return Task.FromResult(2);
        }
    }
}
