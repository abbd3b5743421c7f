namespace SmartCommunity.Simulator.Tests.Load;

using System.IO;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using SmartCommunity.Simulator.Load;
using Spectre.Console;

/// <summary>Argument validation of <c>sc-sim load</c>: everything is refused before anything starts.</summary>
[TestClass]
public sealed class LoadCommandTests
{
    private static readonly string DemoLayout = Path.Combine(System.AppContext.BaseDirectory, "layouts", "demo.yaml");

    [TestMethod]
    public void Validate_Defaults_Succeed()
    {
        ValidationResult result = new LoadCommand.Settings().Validate();

        Assert.IsTrue(result.Successful, result.Message);
        Assert.AreEqual(LoadCommand.Settings.DefaultDevices, new LoadCommand.Settings().EffectiveDevices);
    }

    [TestMethod]
    [DataRow("--devices", 0)]
    [DataRow("--devices", 9)]
    [DataRow("--devices", -100)]
    [DataRow("--devices", 20001)]
    [DataRow("--rate", 0)]
    [DataRow("--rate", -1)]
    [DataRow("--rate", 200001)]
    [DataRow("--duration", 0)]
    [DataRow("--duration", 3601)]
    [DataRow("--drain", 0)]
    [DataRow("--warmup", -1)]
    [DataRow("--warmup", 601)]
    public void Validate_NumberOutOfRange_RefusedNamingTheOption(string option, int value)
    {
        var settings = option switch
        {
            "--devices" => new LoadCommand.Settings { Devices = value },
            "--rate" => new LoadCommand.Settings { Rate = value },
            "--duration" => new LoadCommand.Settings { Duration = value },
            "--warmup" => new LoadCommand.Settings { Warmup = value },
            _ => new LoadCommand.Settings { Drain = value },
        };

        ValidationResult result = settings.Validate();

        Assert.IsFalse(result.Successful);
        StringAssert.Contains(result.Message, option);
    }

    [TestMethod]
    [DataRow(-1.0)]
    [DataRow(0.05)]
    [DataRow(3601.0)]
    [DataRow(double.NaN)]
    public void Validate_BadAlarmInterval_Refused(double seconds)
    {
        ValidationResult result = new LoadCommand.Settings { AlarmEvery = seconds }.Validate();

        Assert.IsFalse(result.Successful);
        StringAssert.Contains(result.Message, "--alarm-every");
    }

    [TestMethod]
    public void Validate_NoAlarms_Succeed()
    {
        Assert.IsTrue(new LoadCommand.Settings { AlarmEvery = 0 }.Validate().Successful);
    }

    [TestMethod]
    public void Validate_RateTooHighForTheDevices_RefusedAskingForMoreDevices()
    {
        ValidationResult result = new LoadCommand.Settings { Devices = 10, Rate = 10_000 }.Validate();

        Assert.IsFalse(result.Successful);
        StringAssert.Contains(result.Message, "use more --devices");
    }

    [TestMethod]
    [DataRow("10.0.0.5:1883")]
    [DataRow("192.168.1.20:1883,8080")]
    [DataRow("edge.example.net:1883")]
    public void Validate_NonLoopbackEdge_Refused(string edge)
    {
        ValidationResult result = new LoadCommand.Settings { Edge = edge, Layout = DemoLayout, Token = "sce_x" }.Validate();

        Assert.IsFalse(result.Successful);
        StringAssert.Contains(result.Message, "not a loopback address");
    }

    [TestMethod]
    public void Validate_LoopbackEdgeWithLayoutAndToken_Succeed()
    {
        Assert.IsTrue(new LoadCommand.Settings { Edge = "127.0.0.1:1883,8080", Layout = DemoLayout, Token = "sce_x" }.Validate().Successful);
    }

    [TestMethod]
    public void Validate_EdgeWithoutLayout_RefusedAskingForTheEdgesLayout()
    {
        ValidationResult result = new LoadCommand.Settings { Edge = "127.0.0.1:1883", Token = "sce_x" }.Validate();

        Assert.IsFalse(result.Successful);
        StringAssert.Contains(result.Message, "--edge needs --layout");
    }

    [TestMethod]
    public void Validate_EdgeWithAlarmsButNoToken_RefusedNamingTokenAndVariable()
    {
        if (System.Environment.GetEnvironmentVariable(LoadCommand.TokenVariable) is not null)
        {
            Assert.Inconclusive($"{LoadCommand.TokenVariable} is set in this environment");
        }

        ValidationResult result = new LoadCommand.Settings { Edge = "127.0.0.1:1883", Layout = DemoLayout }.Validate();

        Assert.IsFalse(result.Successful);
        StringAssert.Contains(result.Message, "--token");
        StringAssert.Contains(result.Message, LoadCommand.TokenVariable);
    }

    [TestMethod]
    public void Validate_DevicesWithLayout_RefusedAsExclusive()
    {
        ValidationResult result = new LoadCommand.Settings { Devices = 100, Layout = DemoLayout }.Validate();

        Assert.IsFalse(result.Successful);
        StringAssert.Contains(result.Message, "exclude each other");
    }

    [TestMethod]
    public void Validate_MissingLayoutFile_Refused()
    {
        ValidationResult result = new LoadCommand.Settings { Layout = "no/such/layout.yaml" }.Validate();

        Assert.IsFalse(result.Successful);
        StringAssert.Contains(result.Message, "does not exist");
    }

    [TestMethod]
    public void Validate_TokenWithoutEdge_Refused()
    {
        ValidationResult result = new LoadCommand.Settings { Token = "sce_x" }.Validate();

        Assert.IsFalse(result.Successful);
        StringAssert.Contains(result.Message, "--token is for an edge given with --edge");
    }

    [TestMethod]
    public void Validate_EdgeEnvironmentNotNameValue_Refused()
    {
        ValidationResult result = new LoadCommand.Settings { EdgeEnvironment = ["DOTNET_GCgen0size"] }.Validate();

        Assert.IsFalse(result.Successful);
        StringAssert.Contains(result.Message, "NAME=VALUE");
    }

    [TestMethod]
    public void ToPlan_EdgeEnvironment_SplitAtTheFirstEquals()
    {
        LoadPlan plan = new LoadCommand.Settings { EdgeEnvironment = ["DOTNET_GCgen0size=0x400000", "A=b=c"] }.ToPlan();

        Assert.AreEqual("0x400000", plan.EdgeEnvironment["DOTNET_GCgen0size"]);
        Assert.AreEqual("b=c", plan.EdgeEnvironment["A"]);
        Assert.IsNull(plan.Edge);
        Assert.AreEqual(LoadCommand.Settings.DefaultDevices, plan.Devices);
    }
}
