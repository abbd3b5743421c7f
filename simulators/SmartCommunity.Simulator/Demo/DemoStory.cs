namespace SmartCommunity.Simulator.Demo;

using System.Collections.Generic;
using System;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Threading.Tasks;
using Microsoft.Extensions.Logging;
using SmartCommunity.Edge.Registry;
using SmartCommunity.Edge;
using SmartCommunity.Edge.Storage;
using SmartCommunity.Protocol;
using SmartCommunity.Simulation.Devices;
using Spectre.Console;

/// <summary>
/// The walking skeleton's story, end to end on real parts: the edge with its embedded MQTT server and SQLite log,
/// a virtual community running the real firmware logic, a smoke alarm in building 1, its doors released while
/// building 2 stays locked, then the operator's reset through the HTTP API. Every wait is bounded.
/// </summary>
public sealed class DemoStory(string layoutPath, string dataDirectory, IAnsiConsole console)
{
    public const string AlarmBuilding = "b1";
    public const string QuietBuilding = "b2";
    public const string AlarmDetector = "b1-lobby-smoke";
    public const int SmokeLevel = 800;

    private static readonly TimeSpan StepTimeout = TimeSpan.FromSeconds(15);

    public async Task<bool> RunAsync()
    {
        // A demo starts from a clean log so an alarm latched by an earlier run does not change the story.
        Directory.CreateDirectory(dataDirectory);
        foreach (string file in new[] { "", "-wal", "-shm" }.Select(s => Path.Combine(dataDirectory, EdgeHost.DatabaseFileName + s)))
        {
            File.Delete(file);
        }

        using ILoggerFactory loggers = LoggerFactory.Create(b => b.AddSimpleConsole(o => o.SingleLine = true).SetMinimumLevel(LogLevel.Warning));
        await using EdgeHost edge = await EdgeHost.StartAsync(
            new EdgeOptions { LayoutPath = layoutPath, DataDirectory = dataDirectory, MqttPort = 0, HttpPort = 0 }, loggers, TimeProvider.System);
        Say($"edge started: MQTT on 127.0.0.1:{edge.MqttPort}, API on {edge.HttpAddress}, log {edge.EventLog.Path}");

        // The operator's token, as `sc-edge operator add demo` would print it; every API call below carries it.
        using var http = new HttpClient { BaseAddress = edge.HttpAddress };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", await edge.Operators.IssueAsync("demo"));

        // Every device gets a command key from the registry, as the installer provisions it: the demo's commands go signed.
        var credentials = new Dictionary<string, DeviceSecrets>();
        foreach (var device in edge.Layout.Devices)
        {
            credentials[device.Id] = (await edge.Registry.IssueCredentialsAsync(device.Id, "demo"))!;
        }

        await using var community = new VirtualBuilding(edge.Layout, "127.0.0.1", edge.MqttPort, TimeProvider.System, TimeSpan.FromMilliseconds(5), credentials);
        community.Start();
        Say($"{community.Devices.Count()} virtual devices started, each logging in with its password and holding its command key (commands go signed): they come up released and wait for their building's fire state");

        var doors = community.Devices.Where(d => d.DoorOutput is not null).ToList();
        if (!await Check("every door reads its building's fire state as clear and energises", () => doors.All(d => d.DoorOutput!.Energised)))
        {
            return false;
        }

        ShowDoors(community);
        var clock = Stopwatch.StartNew();
        community[AlarmDetector].SmokeHead!.Value = SmokeLevel;
        Say($"smoke at {AlarmDetector} (level {SmokeLevel}); the detector confirms it before raising the alarm");

        var alarmDoors = community.Doors(AlarmBuilding).ToList();
        var quietDoors = community.Doors(QuietBuilding).ToList();
        if (!await Check($"every door of {AlarmBuilding} is released", () => alarmDoors.All(d => !d.DoorOutput!.Energised)))
        {
            return false;
        }

        Say($"released {clock.ElapsedMilliseconds} ms after the smoke appeared (includes the detector's confirmation time)");
        ShowDoors(community);
        bool quietHeld = quietDoors.All(d => d.DoorOutput!.Energised);
        Report(quietHeld, $"every door of {QuietBuilding} stays energised");

        bool logged = await Check("the event log holds the alarm, a release command per door and each door's ack", () =>
        {
            var recent = edge.EventLog.ReadRecent(1000);
            return recent.Any(e => e.Source == AlarmDetector && e.Name == "alarm")
                && alarmDoors.All(d => recent.Any(e => e.Source == d.Definition.Id && e.Channel == Channel.Command && e.Name == CommandNames.Release)
                    && recent.Any(e => e.Source == d.Definition.Id && e.Channel == Channel.Ack && e.Name == CommandNames.ResultDone));
        });
        if (!logged || !quietHeld)
        {
            return false;
        }

        JsonElement releases = await http.GetFromJsonAsync<JsonElement>("/commands?limit=100");
        bool seenDone = alarmDoors.All(d => releases.EnumerateArray().Any(c => c.GetProperty("device").GetString() == d.Definition.Id
            && c.GetProperty("command").GetString() == CommandNames.Release && c.GetProperty("state").GetString() == "Done"));
        Report(seenDone, $"the API shows each release to {AlarmBuilding} acknowledged by its door (GET /commands: Done)");
        if (!seenDone)
        {
            return false;
        }

        community[AlarmDetector].SmokeHead!.Value = VirtualDevice.CleanAirLevel;
        if (!await Check($"{AlarmDetector} restores once the smoke is gone (the edge refuses a reset while it reports alarm)",
            () => edge.FireRule.DevicesInAlarm(AlarmBuilding).Count == 0))
        {
            return false;
        }

        HttpResponseMessage reset = await http.PostAsync($"/buildings/{AlarmBuilding}/fire/reset", null);
        Report(reset.IsSuccessStatusCode, $"operator 'demo' resets the fire alarm of {AlarmBuilding} through the HTTP API with its token ({(int)reset.StatusCode})");
        if (!reset.IsSuccessStatusCode
            || !await Check($"the doors of {AlarmBuilding} return to normal", () => alarmDoors.All(d => d.DoorOutput!.Energised)))
        {
            return false;
        }

        ShowDoors(community);
        Say($"edge counted {edge.Counters.Accepted} accepted messages, {edge.Counters.Refused} refused, {edge.EventLog.Committed} log records committed");
        Say($"{edge.Commands.SignedSent} commands went signed; devices refused {edge.Commands.SecurityRefusals} as forged or replayed");
        return true;
    }

    private async Task<bool> Check(string what, Func<bool> condition)
    {
        bool held = await WaitUntil(condition, StepTimeout);
        Report(held, what);
        return held;
    }

    private static async Task<bool> WaitUntil(Func<bool> condition, TimeSpan timeout)
    {
        var deadline = Stopwatch.StartNew();
        while (!condition())
        {
            if (deadline.Elapsed > timeout)
            {
                return false;
            }

            await Task.Delay(10);
        }

        return true;
    }

    private void Report(bool held, string what) =>
        console.MarkupLine((held ? "[green]  ok[/] " : "[red]FAIL[/] ") + Markup.Escape(what));

    private void Say(string text) => console.MarkupLineInterpolated($"[grey]...[/] {text}");

    private void ShowDoors(VirtualBuilding community)
    {
        var table = new Table().AddColumns("building", "door", "role", "output");
        foreach (var door in community.Devices.Where(d => d.DoorOutput is not null).OrderBy(d => d.Definition.Id))
        {
            bool energised = door.DoorOutput!.Energised;
            string meaning = door.Definition.Role == "hold-open"
                ? (energised ? "held open" : "released: closes and latches")
                : (energised ? "locked" : "released: unlocked");
            table.AddRow(door.Definition.Building, door.Definition.Id, door.Definition.Role, (energised ? "[yellow]" : "[green]") + meaning + "[/]");
        }

        console.Write(table);
    }
}
