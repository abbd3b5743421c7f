namespace SmartCommunity.Simulator.Tests.Scenarios;

using System;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using SmartCommunity.Simulator.Scenarios;
using SmartCommunity.Simulator.Scenarios.Expectations;
using SmartCommunity.Simulator.Scenarios.Running;

/// <summary>
/// The barrier scenarios of issue 7 are in the library, and the always-on barrier safety check really fails a run
/// whose lane saw a violation (the library runs themselves are ScenarioRunnerTests' rows).
/// </summary>
[TestClass]
public sealed class BarrierScenarioTests
{
    [TestMethod]
    public void Library_HasTheBarrierScenariosOfIssue7()
    {
        ScenarioFiles.AssertLibraryHas(
            "barrier-rush-hour.yaml", "barrier-car-stops-under.yaml", "barrier-photo-eye-blocked-while-closing.yaml",
            "barrier-safety-sensor-failed.yaml", "barrier-motor-timeout.yaml", "barrier-fire-evacuation.yaml");
    }

    [TestMethod]
    public async Task RunAsync_RushHourTwice_SameVirtualTimes()
    {
        Scenario scenario = ScenarioLoader.CreateDefault().Load(Path.Combine(ScenarioFiles.Library, "barrier-rush-hour.yaml"));

        ScenarioResult first = await new ScenarioRunner().RunAsync(scenario);
        ScenarioResult second = await new ScenarioRunner().RunAsync(scenario);

        Assert.IsTrue(first.Passed, ScenarioFiles.Describe(first));
        CollectionAssert.AreEqual(ScenarioFiles.DecisionTimes(first), ScenarioFiles.DecisionTimes(second));
        Assert.AreEqual(first.Ticks, second.Ticks);
    }

    [TestMethod]
    public async Task SafetyResults_CloseEnergisedIntoABrokenBeam_FailsNamingTheBarrier()
    {
        Scenario scenario = ScenarioLoader.CreateDefault().Load(Path.Combine(ScenarioFiles.Library, "barrier-rush-hour.yaml"));
        await using ScenarioWorld world = await ScenarioWorld.StartAsync(scenario, new ScenarioRunOptions(), CancellationToken.None);
        var lane = world.Device("b1-barrier-out").Lane!;
        Assert.IsTrue(BarrierExpectations.SafetyResults(world).All(r => r.Held), "nothing happened yet");

        // What the firmware never does: energise close while something is in the beam.
        lane.BeamBlocked = true;
        lane.DriveClose.Write(true);

        ExpectationResult[] results = BarrierExpectations.SafetyResults(world).ToArray();
        Assert.HasCount(2, results);
        ExpectationResult failed = results.Single(r => !r.Held);
        Assert.AreEqual(BarrierExpectations.SafetyKind, failed.Kind);
        StringAssert.StartsWith(failed.Description, "b1-barrier-out");
        StringAssert.Contains(failed.Detail, "photo-eye");
    }
}
