namespace SmartCommunity.Simulator.Scenarios.Expectations;

using System.Collections.Generic;
using System.Linq;
using SmartCommunity.Edge.Layout;
using SmartCommunity.Edge.Parking;
using SmartCommunity.Simulator.Scenarios.Running;
using SmartCommunity.Simulator.Scenarios.Stimuli;

/// <summary>
/// Expectations of the edge's car parks (hardware-docs/parking.md): the occupancy it counts for a car park or one of
/// its levels (what GET /parking shows), and its entry decisions at a barrier (what GET /parking/decisions shows).
/// While a scenario has the edge stopped, these do not hold (and say so).
/// </summary>
public static class ParkingExpectations
{
    private const string EdgeStopped = EdgeLogEvaluator.EdgeStopped;

    public static void AddTo(ExpectationRegistry registry)
    {
        registry.Add(new ExpectationKind("occupancy",
            "occupancy: { carPark, level?, occupied?, full? } the edge's count of the car park (or of one level) and whether it is full (GET /parking)",
            ExpectationModes.Both, ["carPark", "level", "occupied", "full"], BindOccupancy));
        registry.Add(new ExpectationKind("entry-decision",
            "entry-decision: { barrier, card?, decision?: open|deny, why?, atLeast?: 1 } the edge answered an entry request at the barrier so since the step (GET /parking/decisions); card matches a resident's card or a visitor pass",
            ExpectationModes.Eventually, ["barrier", "card", "decision", "why", "atLeast"], BindDecision));
    }

    private static IExpectationCheck BindOccupancy(ScenarioArguments a)
    {
        string carPark = ParkingStimuli.CarPark(a);
        string? level = a.OptionalText("level");
        if (level is not null && a.Layout.CarParks.First(c => c.Id == carPark).FindLevel(level) is null)
        {
            throw a.Error("level", $"car park '{carPark}' has no level '{level}'; its levels: {string.Join(", ", a.Layout.CarParks.First(c => c.Id == carPark).Levels.Select(l => l.Id))}");
        }

        long? occupied = a.OptionalInteger("occupied", 0, 100_000);
        bool? full = a.OptionalBoolean("full");
        if (occupied is null && full is null)
        {
            throw a.Error("say what the count must show: occupied, full or both");
        }

        string where = level is null ? carPark : $"{carPark} level {level}";
        string what = string.Join(", ", new[] { occupied is null ? null : $"{occupied} occupied", full is null ? null : full.Value ? "full" : "not full" }.Where(p => p is not null));
        return ExpectationCheck.Stateless($"the edge counts {where}: {what}", (world, _, _) =>
        {
            if (world.Edge is not { } edge)
            {
                return new Observation(false, EdgeStopped);
            }

            CarParkOccupancy count = edge.Parking.Occupancy(carPark)!;
            (long n, int capacity, bool isFull) = level is null
                ? (count.Occupied, count.Capacity, count.Full)
                : count.Levels.First(l => l.Level == level) is var l ? (l.Occupied, l.Capacity, l.Full) : default;
            bool holds = (occupied is null || n == occupied) && (full is null || isFull == full);
            return new Observation(holds, $"{n} of {capacity} occupied{(isFull ? ", full" : "")}");
        });
    }

    private static IExpectationCheck BindDecision(ScenarioArguments a)
    {
        string barrier = a.Device("barrier", BarrierStimuli.IsBarrier).Id;
        string? card = a.Has("card") ? ParkingStimuli.Number(a, "card") : null;
        string? decision = a.OptionalOneOf("decision", ParkingControl.Opened, ParkingControl.Denied);
        string? why = a.OptionalText("why");
        int atLeast = (int)(a.OptionalInteger("atLeast", 1, 10_000) ?? 1);
        string what = string.Join(" ", new[]
        {
            atLeast == 1 ? "a decision" : $"{atLeast} decisions",
            $"at {barrier}",
            card is null ? null : $"for {card}",
            decision is null ? null : decision,
            why is null ? null : $"why {why}",
        }.Where(p => p is not null));
        // The decision is stored before its event-log record commits; look again only when something was committed.
        return new ExpectationCheck($"the edge's parking trail holds {what}", (_, window) => EdgeLogEvaluator.WhenCommitted(edge =>
        {
            IReadOnlyList<ParkingDecision> since = edge.Parking.Decisions(10_000, barrier).Where(d => d.At >= window.StartWall).ToList();
            int count = since.Count(d => (card is null || d.Card == card || d.Pass == card) && (decision is null || d.Decision == decision) && (why is null || d.Why == why));
            return count >= atLeast
                ? new Observation(true, $"{count} found")
                : new Observation(false, since.Count == 0
                    ? "no decision at the barrier since the step"
                    : $"{count} matching; since the step: {string.Join("; ", since.Take(5).Select(Describe))}");
        }));
    }

    private static string Describe(ParkingDecision d) => string.Join(" ", new[] { d.Card ?? (d.Pass is null ? "?" : $"pass {d.Pass}"), d.Decision, d.Why });
}
