namespace SmartCommunity.Simulator.Scenarios.Expectations;

using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using SmartCommunity.Edge.Layout;
using SmartCommunity.Firmware.Devices.ParkingBarrier;
using SmartCommunity.Protocol;
using SmartCommunity.Simulation.Hardware;
using BarrierLane = SmartCommunity.Simulation.Hardware.BarrierLane;
using SmartCommunity.Simulator.Scenarios.Running;
using SmartCommunity.Simulator.Scenarios.Stimuli;

/// <summary>
/// Expectations of parking barriers (hardware-docs/parking-barrier.md): the controller's state, where the simulated
/// arm is, the totals the barrier reports in its state message, and the vehicles of the simulated lane. The safety
/// record of every lane (never closing on a vehicle) is checked in every scenario without being asked for
/// (<see cref="SafetyResults"/>).
/// </summary>
public static class BarrierExpectations
{
    public const string SafetyKind = "barrier-safety";

    public static void AddTo(ExpectationRegistry registry)
    {
        registry.Add(new ExpectationKind("barrier", "barrier: { devices, is: closed|open|opening|closing|fault } the barrier controller's state",
            ExpectationModes.Both, ["devices", "is"], BindState));
        registry.Add(new ExpectationKind("arm", "arm: { devices, is: up|down|between } where the simulated arm is (the hardware, not what the controller reports)",
            ExpectationModes.Both, ["devices", "is"], BindArm));
        registry.Add(new ExpectationKind("counted", "counted: { devices, in?, out? } the vehicle totals (vehiclesIn, vehiclesOut) of the barrier's last state message",
            ExpectationModes.Both, ["devices", "in", "out"], BindCounted));
        registry.Add(new ExpectationKind("vehicles", "vehicles: { devices, passedIn?, passedOut?, waiting? } the simulated lane's vehicles: how many drove through each way, how many wait",
            ExpectationModes.Both, ["devices", "passedIn", "passedOut", "waiting"], BindVehicles));
    }

    /// <summary>One verdict per barrier of the layout: its lane saw no safety violation during the whole run.</summary>
    public static IEnumerable<ExpectationResult> SafetyResults(ScenarioWorld world)
    {
        foreach (var device in world.Devices)
        {
            if (device.Lane is not { } lane)
            {
                continue;
            }

            IReadOnlyList<BarrierViolation> violations = lane.Violations;
            string detail = violations.Count == 0
                ? "no violation"
                : $"{violations.Count} violation{(violations.Count == 1 ? "" : "s")}: " + string.Join("; ", violations.Take(5).Select(v => $"at {ScenarioTime.Format(v.At - ScenarioWorld.Epoch)}: {v.What}"));
            yield return new ExpectationResult(0, System.TimeSpan.Zero, SafetyKind,
                $"{device.Definition.Id} never drives its arm onto a vehicle, never energises close with the presence loop or photo-eye active, never both drives",
                violations.Count == 0, world.Now, detail);
        }
    }

    private static IExpectationCheck BindState(ScenarioArguments a)
    {
        IReadOnlyList<DeviceDefinition> barriers = a.Devices("devices", BarrierStimuli.IsBarrier);
        string wanted = a.OneOf("is", "closed", "open", "opening", "closing", "fault");
        return ExpectationCheck.Stateless($"{DeviceExpectations.Names(barriers)}: barrier {wanted}", (world, _, _) =>
        {
            string[] wrong = barriers.Select(d => (d.Id, State: BarrierController.StateName(((BarrierController)world.Device(d.Id).Firmware).State)))
                .Where(b => b.State != wanted).Select(b => $"{b.Id} is {b.State}").ToArray();
            return wrong.Length == 0 ? new Observation(true, $"all {wanted}") : new Observation(false, string.Join(", ", wrong));
        });
    }

    private static IExpectationCheck BindArm(ScenarioArguments a)
    {
        IReadOnlyList<DeviceDefinition> barriers = a.Devices("devices", BarrierStimuli.IsBarrier);
        string wanted = a.OneOf("is", "up", "down", "between");
        return ExpectationCheck.Stateless($"{DeviceExpectations.Names(barriers)}: arm {wanted}", (world, _, _) =>
        {
            string[] wrong = barriers.Select(d => (d.Id, Position: Name(world.Device(d.Id).Lane!.Position)))
                .Where(b => b.Position != wanted).Select(b => $"{b.Id} is {b.Position}").ToArray();
            return wrong.Length == 0 ? new Observation(true, $"all {wanted}") : new Observation(false, string.Join(", ", wrong));
        });
    }

    private static string Name(ArmPosition position) => position switch
    {
        ArmPosition.Up => "up",
        ArmPosition.Down => "down",
        _ => "between",
    };

    private static IExpectationCheck BindCounted(ScenarioArguments a)
    {
        IReadOnlyList<DeviceDefinition> barriers = a.Devices("devices", BarrierStimuli.IsBarrier);
        long? countedIn = a.OptionalInteger("in", 0, long.MaxValue);
        long? countedOut = a.OptionalInteger("out", 0, long.MaxValue);
        if (countedIn is null && countedOut is null)
        {
            throw a.Error("say which total: in, out or both");
        }

        string what = string.Join(", ", new[] { countedIn is null ? null : $"{countedIn} in", countedOut is null ? null : $"{countedOut} out" }.Where(p => p is not null));
        return ExpectationCheck.Stateless($"{DeviceExpectations.Names(barriers)} report {what}", (world, _, _) =>
        {
            var wrong = new List<string>();
            foreach (DeviceDefinition barrier in barriers)
            {
                DeviceReport? state = world.Recorder.ReportsFrom(barrier.Id, System.TimeSpan.Zero).LastOrDefault(r => !r.Raw && r.Channel == Channel.State && r.Body is not null);
                string? reportedIn = state?.Body is { } b1 ? ScenarioRecorder.FieldText(b1, "vehiclesIn") : null;
                string? reportedOut = state?.Body is { } b2 ? ScenarioRecorder.FieldText(b2, "vehiclesOut") : null;
                bool fits = (countedIn is null || reportedIn == countedIn.Value.ToString(CultureInfo.InvariantCulture))
                    && (countedOut is null || reportedOut == countedOut.Value.ToString(CultureInfo.InvariantCulture));
                if (!fits)
                {
                    wrong.Add(state is null ? $"{barrier.Id} sent no state" : $"{barrier.Id} reports {reportedIn ?? "?"} in, {reportedOut ?? "?"} out");
                }
            }

            return wrong.Count == 0 ? new Observation(true, what) : new Observation(false, string.Join("; ", wrong));
        });
    }

    private static IExpectationCheck BindVehicles(ScenarioArguments a)
    {
        IReadOnlyList<DeviceDefinition> barriers = a.Devices("devices", BarrierStimuli.IsBarrier);
        long? passedIn = a.OptionalInteger("passedIn", 0, long.MaxValue);
        long? passedOut = a.OptionalInteger("passedOut", 0, long.MaxValue);
        long? waiting = a.OptionalInteger("waiting", 0, long.MaxValue);
        if (passedIn is null && passedOut is null && waiting is null)
        {
            throw a.Error("say what the lane must show: passedIn, passedOut or waiting");
        }

        string what = string.Join(", ", new[]
        {
            passedIn is null ? null : $"{passedIn} through in",
            passedOut is null ? null : $"{passedOut} through out",
            waiting is null ? null : $"{waiting} waiting",
        }.Where(p => p is not null));
        return ExpectationCheck.Stateless($"the lane of {DeviceExpectations.Names(barriers)}: {what}", (world, _, _) =>
        {
            var wrong = new List<string>();
            foreach (DeviceDefinition barrier in barriers)
            {
                BarrierLane lane = world.Device(barrier.Id).Lane!;
                long laneIn = lane.PassedIn, laneOut = lane.PassedOut, laneWaiting = lane.Waiting;
                if ((passedIn is not null && laneIn != passedIn) || (passedOut is not null && laneOut != passedOut) || (waiting is not null && laneWaiting != waiting))
                {
                    wrong.Add($"{barrier.Id}: {laneIn} through in, {laneOut} through out, {laneWaiting} waiting");
                }
            }

            return wrong.Count == 0 ? new Observation(true, what) : new Observation(false, string.Join("; ", wrong));
        });
    }
}
