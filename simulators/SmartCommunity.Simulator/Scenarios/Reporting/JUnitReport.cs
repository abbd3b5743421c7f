namespace SmartCommunity.Simulator.Scenarios.Reporting;

using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Xml.Linq;
using SmartCommunity.Simulator.Scenarios.Running;

/// <summary>
/// JUnit XML for CI: one testsuite per scenario, one testcase per expectation (and per checked stimulus), a failure
/// element whose message says what was expected, by when, and what was seen instead, with the file and line.
/// </summary>
public static class JUnitReport
{
    public static XDocument Build(IReadOnlyList<ScenarioResult> results, DateTimeOffset startedAt)
    {
        var suites = new XElement("testsuites",
            new XAttribute("name", "sc-sim scenarios"),
            new XAttribute("tests", results.Sum(r => Cases(r))),
            new XAttribute("failures", results.Sum(r => r.Failures)),
            new XAttribute("errors", results.Count(r => r.Error is not null)),
            new XAttribute("time", Seconds(TimeSpan.FromTicks(results.Sum(r => r.RealDuration.Ticks)))));
        foreach (ScenarioResult result in results)
        {
            suites.Add(Suite(result, startedAt));
        }

        return new XDocument(new XDeclaration("1.0", "utf-8", null), suites);
    }

    public static void Write(string path, IReadOnlyList<ScenarioResult> results, DateTimeOffset startedAt)
    {
        string? folder = Path.GetDirectoryName(Path.GetFullPath(path));
        if (folder is not null)
        {
            Directory.CreateDirectory(folder);
        }

        // UTF-8 without a byte-order mark: some CI parsers choke on one.
        using var writer = System.Xml.XmlWriter.Create(path, new System.Xml.XmlWriterSettings { Encoding = new System.Text.UTF8Encoding(false), Indent = true });
        Build(results, startedAt).Save(writer);
    }

    private static int Cases(ScenarioResult result) => result.Expectations.Count + (result.Error is null ? 0 : 1);

    private static XElement Suite(ScenarioResult result, DateTimeOffset startedAt)
    {
        string className = "scenarios." + result.Name;
        var suite = new XElement("testsuite",
            new XAttribute("name", result.Name),
            new XAttribute("tests", Cases(result)),
            new XAttribute("failures", result.Failures),
            new XAttribute("errors", result.Error is null ? 0 : 1),
            new XAttribute("skipped", 0),
            new XAttribute("time", Seconds(result.RealDuration)),
            new XAttribute("timestamp", startedAt.ToString("yyyy-MM-ddTHH:mm:ss", CultureInfo.InvariantCulture)),
            new XAttribute("file", result.File),
            new XElement("properties",
                Property("file", result.File),
                Property("virtualDuration", ScenarioTime.Format(result.VirtualDuration)),
                Property("ticks", result.Ticks.ToString(CultureInfo.InvariantCulture)),
                Property("settleTimeouts", result.SettleTimeouts.Count.ToString(CultureInfo.InvariantCulture))));
        foreach (ExpectationResult e in result.Expectations)
        {
            var testCase = new XElement("testcase",
                new XAttribute("classname", className),
                new XAttribute("name", $"line {e.Line} at {ScenarioTime.Format(e.StepAt)}: {e.Description}"),
                new XAttribute("file", result.File),
                new XAttribute("line", e.Line),
                new XAttribute("time", Seconds(e.RealTime ?? TimeSpan.Zero)));
            string where = $"{result.File}:{e.Line}";
            if (e.Held)
            {
                testCase.Add(new XElement("system-out", $"{e.Detail}"));
            }
            else
            {
                testCase.Add(new XElement("failure",
                    new XAttribute("type", "ExpectationFailed"),
                    new XAttribute("message", $"{e.Description}: {e.Detail}"),
                    $"{where}: step at {ScenarioTime.Format(e.StepAt)}\nexpected: {e.Description}\nresult:   {e.Detail}"));
            }

            suite.Add(testCase);
        }

        if (result.Error is { } error)
        {
            suite.Add(new XElement("testcase",
                new XAttribute("classname", className),
                new XAttribute("name", "run"),
                new XAttribute("time", Seconds(result.RealDuration)),
                new XElement("error", new XAttribute("type", "RunStopped"), new XAttribute("message", error), error)));
        }

        if (result.SettleTimeouts.Count > 0)
        {
            suite.Add(new XElement("system-err", string.Join("\n", result.SettleTimeouts)));
        }

        return suite;
    }

    private static XElement Property(string name, string value) => new("property", new XAttribute("name", name), new XAttribute("value", value));

    private static string Seconds(TimeSpan time) => time.TotalSeconds.ToString("0.000", CultureInfo.InvariantCulture);
}
