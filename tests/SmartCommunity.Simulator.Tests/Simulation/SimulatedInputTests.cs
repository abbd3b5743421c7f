namespace SmartCommunity.Simulator.Tests.Simulation;

using System;
using Microsoft.Extensions.Time.Testing;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using SmartCommunity.Simulation.Hardware;

[TestClass]
public sealed class SimulatedInputTests
{
    [TestMethod]
    public void Press_DuringHold_ActiveThenLetsGoByItself()
    {
        var time = new FakeTimeProvider();
        var button = new SimulatedInput();

        button.Press(time, TimeSpan.FromMilliseconds(500));
        Assert.IsTrue(button.IsActive());

        time.Advance(TimeSpan.FromMilliseconds(499));
        Assert.IsTrue(button.IsActive());

        time.Advance(TimeSpan.FromMilliseconds(1));
        Assert.IsFalse(button.IsActive());
        Assert.IsFalse(button.Active);
    }

    [TestMethod]
    public void Active_SetDuringPress_EndsThePressAndHoldsTheLevel()
    {
        var time = new FakeTimeProvider();
        var input = new SimulatedInput();

        input.Press(time, TimeSpan.FromSeconds(10));
        input.Active = false;

        Assert.IsFalse(input.IsActive());
        Assert.IsFalse(input.IsPressed);
    }

    [TestMethod]
    public void Press_OnAnActiveLevel_StaysActiveAfterTheHold()
    {
        var time = new FakeTimeProvider();
        var input = new SimulatedInput(active: true);

        input.Press(time, TimeSpan.FromMilliseconds(100));
        time.Advance(TimeSpan.FromSeconds(1));

        Assert.IsTrue(input.IsActive());
    }
}
