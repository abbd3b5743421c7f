namespace SmartCommunity.Edge.Tests.Operations;

using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using SmartCommunity.Edge.Tests.TestSupport;

/// <summary>edge-runtime/deploy/sc-edge.service: what it must declare, and systemd's own check of it.</summary>
[TestClass]
public sealed class SystemdUnitTests
{
    public static string UnitPath => Path.Combine(RepositoryRoot(), "edge-runtime", "deploy", "sc-edge.service");

    [TestMethod]
    public void Unit_Service_NotifyWithWatchdogRestartDedicatedUserAndStateUnderVarLib()
    {
        Dictionary<string, List<string>> service = Section(File.ReadAllLines(UnitPath), "Service");

        Assert.AreEqual("notify", service["Type"].Single());
        Assert.AreEqual("30s", service["WatchdogSec"].Single());
        Assert.AreEqual("on-failure", service["Restart"].Single());
        Assert.AreEqual("sc-edge", service["User"].Single());
        Assert.AreEqual("sc-edge", service["StateDirectory"].Single());
        Assert.AreEqual("sc-edge", service["ConfigurationDirectory"].Single());
        StringAssert.Contains(service["ExecStart"].Single(), "--data %S/sc-edge");
        Assert.IsTrue(service.ContainsKey("TimeoutStopSec") && service.ContainsKey("RestartSec"));
        Assert.AreEqual("yes", service["NoNewPrivileges"].Single());
        Assert.AreEqual("strict", service["ProtectSystem"].Single());
        Assert.IsFalse(service.ContainsKey("MemoryDenyWriteExecute"), "the .NET JIT cannot run under MemoryDenyWriteExecute");
    }

    [TestMethod]
    public void Unit_SystemdAnalyzeVerify_Clean()
    {
        string? analyze = new[] { "/usr/bin/systemd-analyze", "/bin/systemd-analyze", "/usr/local/bin/systemd-analyze" }.FirstOrDefault(File.Exists);
        if (analyze is null)
        {
            const string reason = "systemd-analyze is not installed (apt-get install systemd): the unit file is not checked by systemd";
            if (Environment.GetEnvironmentVariable("SMARTCOMMUNITY_NO_SKIP") == "1")
            {
                Assert.Fail(reason + " and SMARTCOMMUNITY_NO_SKIP=1 forbids skipping");
            }

            Assert.Inconclusive(reason);
        }

        // verify also checks that ExecStart's program exists: point it at a stand-in, the rest of the unit unchanged.
        using var folder = new TempFolder();
        string program = folder.File("sc-edge");
        File.WriteAllText(program, "#!/bin/sh\n");
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(program, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }

        string unit = folder.File("sc-edge.service");
        File.WriteAllText(unit, File.ReadAllText(UnitPath).Replace("/opt/sc-edge/sc-edge ", program + " ", StringComparison.Ordinal));
        var start = new ProcessStartInfo(analyze, ["verify", unit]) { RedirectStandardError = true, RedirectStandardOutput = true };
        start.Environment["SYSTEMD_LOG_COLOR"] = "0";

        using Process verify = Process.Start(start)!;
        string output = verify.StandardOutput.ReadToEnd() + verify.StandardError.ReadToEnd();
        verify.WaitForExit();

        Assert.AreEqual(0, verify.ExitCode, output);
        // verify exits 0 on unknown keys and bad values, which it only prints: any line about our unit is a finding.
        Assert.IsFalse(output.Contains("sc-edge.service", StringComparison.Ordinal), output);
    }

    internal static string RepositoryRoot()
    {
        for (DirectoryInfo? folder = new(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "nano.sln")))
            {
                return folder.FullName;
            }
        }

        throw new InvalidOperationException("the tests run outside the repository: no nano.sln above " + AppContext.BaseDirectory);
    }

    private static Dictionary<string, List<string>> Section(string[] lines, string name)
    {
        var keys = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        string? section = null;
        foreach (string raw in lines)
        {
            string line = raw.Trim();
            if (line.Length == 0 || line.StartsWith('#'))
            {
                continue;
            }

            if (line.StartsWith('['))
            {
                section = line.Trim('[', ']');
                continue;
            }

            int eq = line.IndexOf('=', StringComparison.Ordinal);
            if (section == name && eq > 0)
            {
                string key = line[..eq];
                if (!keys.TryGetValue(key, out List<string>? values))
                {
                    keys[key] = values = [];
                }

                values.Add(line[(eq + 1)..]);
            }
        }

        return keys;
    }
}
