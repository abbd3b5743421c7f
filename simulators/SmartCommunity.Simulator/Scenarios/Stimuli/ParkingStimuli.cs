namespace SmartCommunity.Simulator.Scenarios.Stimuli;

using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Net.Http;
using SmartCommunity.Edge.Layout;
using SmartCommunity.Simulator.Scenarios.Running;

/// <summary>
/// Stimuli of the edge's car parks (hardware-docs/parking.md): an operator's visitor passes, reserved places and
/// counted corrections through the edge's real API, and a driver at the stop line presenting a card again at a
/// barrier's reader. Residents' cards come from the access stimulus <c>card</c> (name the barrier's door group).
/// </summary>
public static class ParkingStimuli
{
    public static void AddTo(StimulusRegistry registry)
    {
        registry.Add(new Stimulus("visitor-pass",
            "visitor-pass: { code, carPark, name?, plate?, validFrom?, validTo, status? } an operator creates a visitor pass: POST /parking/passes; validFrom/validTo are scenario times (e.g. 30s, -1h)",
            BindPass));
        registry.Add(new Stimulus("revoke-pass", "revoke-pass: { code, status? } an operator revokes a visitor pass: DELETE /parking/passes/{code}", a =>
        {
            a.AllowOnly("code", "status");
            string code = Number(a, "code");
            return OperatorStimuli.Call($"operator revokes visitor pass {code}", HttpMethod.Delete, $"/parking/passes/{code}", null, ApiCaller.Operator, OperatorStimuli.Status(a));
        }));
        registry.Add(new Stimulus("reserve-place",
            "reserve-place: { carPark, card, status? } an operator gives a card (or visitor pass) a reserved place: PUT /parking/{carPark}/reservations/{card}", a =>
        {
            a.AllowOnly("carPark", "card", "status");
            string carPark = CarPark(a);
            string card = Number(a, "card");
            return OperatorStimuli.Call($"operator reserves a place in {carPark} for {card}", HttpMethod.Put, $"/parking/{carPark}/reservations/{card}", null,
                ApiCaller.Operator, OperatorStimuli.Status(a));
        }));
        registry.Add(new Stimulus("release-place",
            "release-place: { carPark, card, status? } an operator takes a reserved place away: DELETE /parking/{carPark}/reservations/{card}", a =>
        {
            a.AllowOnly("carPark", "card", "status");
            string carPark = CarPark(a);
            string card = Number(a, "card");
            return OperatorStimuli.Call($"operator releases the reserved place of {card} in {carPark}", HttpMethod.Delete, $"/parking/{carPark}/reservations/{card}", null,
                ApiCaller.Operator, OperatorStimuli.Status(a));
        }));
        registry.Add(new Stimulus("parking-count",
            "parking-count: { carPark, levels: { LEVEL: N, ... }, status? } an operator who counted the vehicles corrects the edge's figure: POST /parking/{carPark}/count",
            BindCount));
        registry.Add(new Stimulus("vehicle-backs-off",
            "vehicle-backs-off: { device } the vehicle waiting at a barrier's stop line gives up and backs off the first loop without reaching the arm (not counted); the next in the queue rolls up",
            BindBackOff));
        registry.Add(new Stimulus("present-card",
            "present-card: { device, card } the driver waiting at a barrier's stop line presents a card at its reader again (e.g. after a refusal)", a =>
        {
            a.AllowOnly("device", "card");
            DeviceDefinition barrier = a.Device("device", d => BarrierStimuli.IsBarrier(d) ?? AccessStimuli.ReaderWired(d));
            long card = a.Integer("card", 0, AccessStimuli.Max34);
            return ScenarioAction.Set($"card {card} presented again at the reader of {barrier.Id}", world => world.Device(barrier.Id).Lane!.PresentCard!(card));
        }));
    }

    private static IScenarioAction BindBackOff(ScenarioArguments a)
    {
        a.AllowOnly("device");
        DeviceDefinition barrier = a.Device("device", BarrierStimuli.IsBarrier);
        string what = $"the vehicle at the stop line of {barrier.Id} backs off";
        return new ScenarioAction(what, (world, context, _) =>
        {
            bool backed = world.Device(barrier.Id).Lane!.BackOff();
            context.Check(what, backed, backed ? "it left the first loop uncounted" : "no vehicle was waiting at the stop line");
            return System.Threading.Tasks.Task.CompletedTask;
        });
    }

    private static IScenarioAction BindPass(ScenarioArguments a)
    {
        a.AllowOnly("code", "carPark", "name", "plate", "validFrom", "validTo", "status");

        // A scenario names the code: the vehicle that uses the pass presents it as its card.
        string code = Number(a, "code");
        string carPark = CarPark(a);
        TimeSpan? from = a.OptionalDuration("validFrom", allowNegative: true);
        TimeSpan to = a.Duration("validTo", allowNegative: true);
        string? plate = a.OptionalText("plate");
        string? name = a.OptionalText("name") ?? (plate is null ? $"visitor {code}" : null);
        var body = new Dictionary<string, object?>
        {
            ["code"] = code,
            ["carPark"] = carPark,
            ["name"] = name,
            ["plate"] = plate,
            ["validFrom"] = from is { } f ? ScenarioWorld.WallClockIso(f) : null,
            ["validTo"] = ScenarioWorld.WallClockIso(to),
        };
        string window = $"{(from is { } ff ? "from " + ScenarioTime.Format(ff) + " " : "")}until {ScenarioTime.Format(to)}";
        return OperatorStimuli.Call($"operator creates visitor pass {code} for {carPark}, valid {window}", HttpMethod.Post, "/parking/passes", body,
            ApiCaller.Operator, OperatorStimuli.Status(a));
    }

    private static IScenarioAction BindCount(ScenarioArguments a)
    {
        a.AllowOnly("carPark", "levels", "status");
        string carPark = CarPark(a);
        CarParkDefinition definition = a.Layout.CarParks.First(c => c.Id == carPark);
        var levels = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach ((string level, string text) in a.Fields("levels"))
        {
            if (definition.FindLevel(level) is null)
            {
                throw a.Error("levels", $"car park '{carPark}' has no level '{level}'; its levels: {string.Join(", ", definition.Levels.Select(l => l.Id))}");
            }

            levels[level] = long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out long count)
                ? count
                : throw a.Error("levels", $"level '{level}': '{text}' is not a count of vehicles; give a whole number from 0");
        }

        string what = string.Join(", ", levels.Select(l => $"{l.Key} {l.Value}"));
        return OperatorStimuli.Call($"operator corrects the count of {carPark}: {what}", HttpMethod.Post, $"/parking/{carPark}/count",
            new Dictionary<string, object?> { ["levels"] = levels }, ApiCaller.Operator, OperatorStimuli.Status(a));
    }

    /// <summary>A car park of the layout, named by <c>carPark</c>.</summary>
    internal static string CarPark(ScenarioArguments a, string key = "carPark")
    {
        string id = a.Text(key);
        return a.Layout.CarParks.Any(c => c.Id == id) ? id
            : throw a.Error(key, a.Layout.CarParks.Count == 0
                ? $"unknown car park '{id}'; the layout declares no carParks"
                : $"unknown car park '{id}'; the layout's car parks: {string.Join(", ", a.Layout.CarParks.Select(c => c.Id))}");
    }

    /// <summary>A card or pass number as the edge stores it (the credential number the reader sends).</summary>
    internal static string Number(ScenarioArguments a, string key)
    {
        string text = a.Text(key);
        return Edge.Access.CardNumber.TryNormalize(text, out string number)
            ? number
            : throw a.Error(key, $"'{text}' must be 1-{Edge.Access.CardNumber.MaxDigits} decimal digits (the number the reader sends)");
    }
}
