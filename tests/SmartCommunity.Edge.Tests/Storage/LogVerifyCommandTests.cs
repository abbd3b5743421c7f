namespace SmartCommunity.Edge.Tests.Storage;

using System;
using Process = System.Diagnostics.Process;
using ProcessStartInfo = System.Diagnostics.ProcessStartInfo;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using SmartCommunity.Edge.Storage;
using SmartCommunity.Edge.Tests.TestSupport;

/// <summary><c>sc-edge log verify</c> run as a process, as an installer would run it: exit codes and what it prints.</summary>
[TestClass]
public sealed class LogVerifyCommandTests
{
    [TestMethod]
    public async Task LogVerify_IntactLog_ExitsZeroAndSaysChainIntact()
    {
        using var data = new TempFolder();
        await WriteAsync(data);

        (int exitCode, string output) = await RunAsync("log", "verify", "--data", data.Path);

        Assert.AreEqual(0, exitCode, output);
        StringAssert.Contains(output, "10 rows verified");
        StringAssert.Contains(output, "chain intact");
    }

    [TestMethod]
    public async Task LogVerify_PayloadEdited_ExitsOneAndNamesTheFirstBrokenLink()
    {
        using var data = new TempFolder();
        await WriteAsync(data);
        LogFixture.Sql(data.File("edge.db"), "UPDATE events SET payload = '{}' WHERE id = 4");
        LogFixture.Sql(data.File("edge.db"), "DELETE FROM events WHERE id = 8");

        (int exitCode, string output) = await RunAsync("log", "verify", "--data", data.Path);

        Assert.AreEqual(1, exitCode, output);
        StringAssert.Contains(output, "3 rows verified");
        StringAssert.Contains(output, "broken link at row 4: payload changed");
        Assert.DoesNotContain("chain intact", output);
    }

    [TestMethod]
    public async Task LogVerify_NoDatabaseInTheFolder_ExitsTwoWithAClearMessage()
    {
        using var data = new TempFolder();

        (int exitCode, string output) = await RunAsync("log", "verify", "--data", data.Path);

        Assert.AreEqual(2, exitCode, output);
        StringAssert.Contains(output, "no event log");
        Assert.IsFalse(File.Exists(data.File("edge.db")), "verifying never creates a database");
    }

    private static async Task WriteAsync(TempFolder data)
    {
        await using EventLog log = LogFixture.Open(data);
        await LogFixture.AppendAllAsync(log, Enumerable.Range(1, 10).Select(i => LogFixture.Alarm("b1-lobby-smoke", i)));
    }

    /// <summary>Runs the sc-edge the test project builds; waits at most a minute.</summary>
    private static async Task<(int ExitCode, string Output)> RunAsync(params string[] arguments)
    {
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(ScEdgeProcess.DllPath);
        start.Environment["COLUMNS"] = "200"; // so Spectre does not wrap what the test reads
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using Process process = Process.Start(start)!;
        Task<string> output = process.StandardOutput.ReadToEndAsync();
        Task<string> errors = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await output + await errors);
    }
}
