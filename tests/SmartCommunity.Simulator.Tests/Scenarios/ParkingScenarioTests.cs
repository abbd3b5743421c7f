namespace SmartCommunity.Simulator.Tests.Scenarios;

using System;
using System.IO;
using System.Linq;
using System.Threading.Tasks;
using Microsoft.Extensions.Time.Testing;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using SmartCommunity.Simulation.Hardware;
using SmartCommunity.Simulator.Scenarios;
using SmartCommunity.Simulator.Scenarios.Running;

/// <summary>
/// The car-park scenarios of issue 7 (hardware-docs/parking.md) are in the library (their runs are ScenarioRunnerTests'
/// rows); the parking expectations fail when the edge's answer is another; the parking stimuli refuse what the layout
/// does not have; a refused vehicle can back off its lane uncounted.
/// </summary>
[TestClass]
public sealed class ParkingScenarioTests
{
    private readonly TempDirectory _folder = new();

    [TestCleanup]
    public void Cleanup() => _folder.Dispose();

    [TestMethod]
    public void Library_HasTheCarParkScenariosOfIssue7()
    {
        ScenarioFiles.AssertLibraryHas("parking-car-park-full-exit-works.yaml", "parking-entry-decisions.yaml");
    }

    [TestMethod]
    public async Task RunAsync_EntryDecisionWithAnotherWhy_FailsShowingTheEdgesAnswer()
    {
        string path = Write("""
            scenario: wrong-why
            layout: PARKING_LAYOUT
            steps:
              - at: 1s
                do:
                  - vehicle: { device: b1-barrier-in, direction: in, card: 3199999 }
                expect:
                  - entry-decision: { barrier: b1-barrier-in, card: 3199999, decision: deny, why: expired, within: 3s }
                  - entry-decision: { barrier: b1-barrier-in, card: 3199999, decision: deny, why: unknown-card, within: 3s }
            """);

        ScenarioResult result = await new ScenarioRunner().RunAsync(ScenarioLoader.CreateDefault().Load(path));

        ExpectationResult[] decisions = result.Expectations.Where(e => e.Kind == "entry-decision").ToArray();
        Assert.HasCount(2, decisions, ScenarioFiles.Describe(result));
        Assert.IsFalse(decisions[0].Held, ScenarioFiles.Describe(result));
        Assert.Contains("deny unknown-card", decisions[0].Detail);
        Assert.IsTrue(decisions[1].Held, ScenarioFiles.Describe(result));
    }

    [TestMethod]
    public async Task RunAsync_OccupancyOtherThanCounted_Fails()
    {
        string path = Write("""
            scenario: wrong-count
            layout: PARKING_LAYOUT
            steps:
              - at: 0s
                do:
                  - parking-count: { carPark: garage, levels: { p0: 2 } }
                expect:
                  - occupancy: { carPark: garage, occupied: 1, within: 2s }
                  - occupancy: { carPark: garage, level: p0, occupied: 2, full: false, within: 2s }
            """);

        ScenarioResult result = await new ScenarioRunner().RunAsync(ScenarioLoader.CreateDefault().Load(path));

        ExpectationResult[] counts = result.Expectations.Where(e => e.Kind == "occupancy").ToArray();
        Assert.IsFalse(counts[0].Held, ScenarioFiles.Describe(result));
        Assert.Contains("2 of 3 occupied", counts[0].Detail);
        Assert.IsTrue(counts[1].Held, ScenarioFiles.Describe(result));
    }

    [TestMethod]
    public void Load_UnknownCarParkOrLevel_ReportsTheLayoutsOnes()
    {
        ScenarioException carPark = Assert.ThrowsExactly<ScenarioException>(() => ScenarioLoader.CreateDefault().Load(Write("""
            scenario: typo
            layout: PARKING_LAYOUT
            steps:
              - at: 0s
                do:
                  - reserve-place: { carPark: garrage, card: 1 }
            """)));
        ScenarioException level = Assert.ThrowsExactly<ScenarioException>(() => ScenarioLoader.CreateDefault().Load(Write("""
            scenario: typo
            layout: PARKING_LAYOUT
            steps:
              - at: 0s
                do:
                  - parking-count: { carPark: garage, levels: { p1: 2 } }
            """, "level.yaml")));

        Assert.Contains("unknown car park 'garrage'; the layout's car parks: garage", carPark.Message);
        Assert.Contains("car park 'garage' has no level 'p1'; its levels: p0", level.Message);
    }

    [TestMethod]
    public void BackOff_VehicleRefusedAtTheStopLine_LeavesUncountedAndTheNextRollsUp()
    {
        var time = new FakeTimeProvider();
        var lane = new BarrierLane(time, 3000);
        lane.AddVehicle(inbound: true, TimeSpan.Zero);
        lane.AddVehicle(inbound: true, TimeSpan.Zero);
        time.Advance(TimeSpan.FromSeconds(2));
        Assert.IsTrue(lane.ArmingLoop.IsActive(), "the first vehicle waits on the arming loop");

        Assert.IsTrue(lane.BackOff());
        Assert.IsFalse(lane.ArmingLoop.IsActive(), "it left the loop");
        Assert.AreEqual(1, lane.Waiting);
        time.Advance(TimeSpan.FromSeconds(2));

        Assert.IsTrue(lane.ArmingLoop.IsActive(), "the next one rolled up");
        Assert.AreEqual(0, lane.PassedIn);
        Assert.IsTrue(lane.BackOff());
        Assert.IsFalse(lane.BackOff(), "nobody is left at the stop line");
        Assert.IsEmpty(lane.Violations);
    }

    private string Write(string yaml, string name = "test.yaml") =>
        ScenarioFiles.Write(_folder, yaml.Replace("PARKING_LAYOUT", ScenarioFiles.ParkingLayout, StringComparison.Ordinal), name);
}
