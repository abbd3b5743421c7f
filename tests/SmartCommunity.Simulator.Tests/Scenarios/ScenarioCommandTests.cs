namespace SmartCommunity.Simulator.Tests.Scenarios;

using System.IO;
using System.Linq;
using System.Threading.Tasks;
using System.Xml.Linq;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using SmartCommunity.Simulator.Scenarios;
using Spectre.Console.Cli;

/// <summary><c>sc-sim scenario</c> as CI calls it: exit 0 all held, 1 an expectation failed, 2 a bad file; --junit writes the report.</summary>
[TestClass]
[DoNotParallelize]
public sealed class ScenarioCommandTests
{
    private readonly TempDirectory _folder = new();

    [TestCleanup]
    public void Cleanup() => _folder.Dispose();

    [TestMethod]
    public async Task ExecuteAsync_WrongExpectation_ExitsOneAndWritesTheFailure()
    {
        string junit = Path.Combine(_folder.Path, "results", "scenarios.xml");

        int exit = await Run("scenario", Path.Combine(ScenarioFiles.TestData, "wrong-expectation.yaml"), "--junit", junit);

        Assert.AreEqual(ScenarioCommand.ExitFailed, exit);
        XElement suite = XDocument.Load(junit).Root!.Element("testsuite")!;
        Assert.AreEqual("wrong-expectation", suite.Attribute("name")!.Value);
        Assert.AreEqual("2", suite.Attribute("failures")!.Value);
        Assert.AreEqual("0", suite.Attribute("errors")!.Value);
        XElement failure = suite.Elements("testcase").Select(c => c.Element("failure")).First(f => f is not null)!;
        Assert.AreEqual("output: b2-lobby-entrance, b2-stair-door: output released (by 7s): not met by 7s: b2-lobby-entrance, b2-stair-door are energised",
            failure.Attribute("message")!.Value);
        StringAssert.Contains(failure.Value, "wrong-expectation.yaml:17: step at 2s");
        Assert.AreEqual(suite.Elements("testcase").Count(), int.Parse(suite.Attribute("tests")!.Value, System.Globalization.CultureInfo.InvariantCulture));
    }

    [TestMethod]
    public async Task ExecuteAsync_BadFile_ExitsTwoBeforeAnythingStarts()
    {
        string path = ScenarioFiles.Write(_folder, """
            scenario: bad
            layout: LAYOUT
            steps:
              - at: 1s
                do:
                  - smoke: { device: b9-nowhere, level: 800 }
            """);
        string junit = Path.Combine(_folder.Path, "never.xml");

        int exit = await Run("scenario", path, "--junit", junit);

        Assert.AreEqual(ScenarioCommand.ExitBadFile, exit);
        Assert.IsFalse(File.Exists(junit), "nothing ran, so there is no report");
    }

    private static Task<int> Run(params string[] args)
    {
        var app = new CommandApp();
        app.Configure(c => c.AddCommand<ScenarioCommand>("scenario"));
        return app.RunAsync(args);
    }
}
