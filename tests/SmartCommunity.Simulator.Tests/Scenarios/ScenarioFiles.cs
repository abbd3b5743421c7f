namespace SmartCommunity.Simulator.Tests.Scenarios;

using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Text;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using SmartCommunity.Simulator.Scenarios.Running;

/// <summary>
/// Where the scenario files are: the library (simulators/scenarios) and the tests' own, in the source tree (paths
/// written into the assembly at build time), plus temporary scenario files for the loader's error tests.
/// </summary>
internal static class ScenarioFiles
{
    public static string Library => Metadata("ScenarioLibrary");

    public static string TestData => Metadata("ScenarioTestData");

    public static string DemoLayout => Path.GetFullPath(Path.Combine(Library, "..", "layouts", "demo.yaml"));

    public static string DemoRules => Path.GetFullPath(Path.Combine(Library, "..", "layouts", "demo.rules.yaml"));

    /// <summary>The life-safety site of issue 5: every device kind, two fire confirmation modes.</summary>
    public static string LifeSafetyLayout => Path.GetFullPath(Path.Combine(Library, "..", "layouts", "life-safety.yaml"));

    public static string LifeSafetyRules => Path.GetFullPath(Path.Combine(Library, "..", "layouts", "life-safety.rules.yaml"));

    /// <summary>The access-control site of issue 6: doors with card readers, door groups with anti-passback.</summary>
    public static string AccessLayout => Path.GetFullPath(Path.Combine(Library, "..", "layouts", "access.yaml"));

    /// <summary>The parking site of issue 7: an entry barrier with a card reader, an exit barrier, a smoke detector.</summary>
    public static string ParkingLayout => Path.GetFullPath(Path.Combine(Library, "..", "layouts", "parking.yaml"));

    /// <summary>The metering site of issue 8: two flats' pulse meter devices and the building's supply meter.</summary>
    public static string MeteringLayout => Path.GetFullPath(Path.Combine(Library, "..", "layouts", "metering.yaml"));

    /// <summary>The library's scenario files, one test row each.</summary>
    public static IEnumerable<object[]> LibraryRows =>
        Directory.GetFiles(Library, "*.yaml").Order(StringComparer.Ordinal).Select(f => new object[] { Path.GetFileName(f) });

    /// <summary>Asserts the library holds each of these scenario files (an issue's scenarios, none left out).</summary>
    public static void AssertLibraryHas(params string[] expected)
    {
        string[] files = LibraryRows.Select(row => (string)row[0]).ToArray();
        foreach (string file in expected)
        {
            CollectionAssert.Contains(files, file, $"simulators/scenarios has {string.Join(", ", files)}");
        }
    }

    /// <summary>
    /// Writes a scenario into a fresh folder; LAYOUT and RULES point at the demo layout and its rules, LIFE_LAYOUT and
    /// LIFE_RULES at the life-safety site's, ACCESS_LAYOUT at the access-control site.
    /// </summary>
    public static string Write(TempDirectory folder, string yaml, string name = "test.yaml")
    {
        string path = Path.Combine(folder.Path, name);
        File.WriteAllText(path, yaml
            .Replace("ACCESS_LAYOUT", AccessLayout, StringComparison.Ordinal)
            .Replace("LIFE_LAYOUT", LifeSafetyLayout, StringComparison.Ordinal).Replace("LIFE_RULES", LifeSafetyRules, StringComparison.Ordinal)
            .Replace("LAYOUT", DemoLayout, StringComparison.Ordinal).Replace("RULES", DemoRules, StringComparison.Ordinal));
        return path;
    }

    /// <summary>When each expectation of a run was decided and how: two runs of one scenario must agree exactly.</summary>
    public static string[] DecisionTimes(ScenarioResult result) =>
        result.Expectations.Select(e => $"line {e.Line} {e.Description}: {(e.Held ? "held" : "failed")} at {e.DecidedAt}").ToArray();

    /// <summary>The result for a failure message: every expectation that did not hold, with its reason.</summary>
    public static string Describe(ScenarioResult result)
    {
        var text = new StringBuilder($"{result.Name}: {result.Failures} failed of {result.Expectations.Count}; error: {result.Error ?? "none"}\n");
        foreach (ExpectationResult e in result.Expectations.Where(e => !e.Held))
        {
            text.Append($"  line {e.Line}: {e.Description}: {e.Detail}\n");
        }

        foreach (string timeout in result.SettleTimeouts)
        {
            text.Append($"  settle: {timeout}\n");
        }

        return text.ToString();
    }

    private static string Metadata(string key) =>
        Path.GetFullPath(typeof(ScenarioFiles).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == key).Value!);
}

/// <summary>A fresh folder per test, deleted afterwards.</summary>
internal sealed class TempDirectory : IDisposable
{
    public string Path { get; } = Directory.CreateTempSubdirectory("sc-sim-scenario-tests-").FullName;

    public void Dispose() => Directory.Delete(Path, recursive: true);
}
