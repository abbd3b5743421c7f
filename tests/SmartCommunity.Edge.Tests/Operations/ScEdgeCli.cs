namespace SmartCommunity.Edge.Tests.Operations;

using System.Diagnostics;
using System.Threading.Tasks;
using SmartCommunity.Edge.Tests.TestSupport;

/// <summary>One sc-edge verb run as a process (the built sc-edge.dll), as an installer types it.</summary>
internal static class ScEdgeCli
{
    public static async Task<(int ExitCode, string Output)> RunAsync(params string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(ScEdgeProcess.DllPath);
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        // A wide virtual console, so Spectre does not wrap what the test reads.
        start.Environment["COLUMNS"] = "200";
        using Process process = Process.Start(start)!;
        Task<string> output = process.StandardOutput.ReadToEndAsync();
        Task<string> error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, await output + await error);
    }
}
