namespace SmartCommunity.Edge.Tests.TestSupport;

using System;
using System.Diagnostics;
using System.Threading.Tasks;
using Microsoft.VisualStudio.TestTools.UnitTesting;

/// <summary>
/// Waits for a condition that another thread or process makes true (STYLE.md §4): polls every 10 ms and fails
/// the test after a bounded time. The stopwatch only bounds the wait; no test asserts how long anything took.
/// </summary>
internal static class Eventually
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(15);

    public static Task WaitUntilAsync(Func<bool> condition, string what) => WaitUntilAsync(condition, what, null);

    /// <param name="seen">On failure, what the test's parts saw, appended to the message.</param>
    public static async Task WaitUntilAsync(Func<bool> condition, string what, Func<string>? seen)
    {
        var waited = Stopwatch.StartNew();
        while (!condition())
        {
            if (waited.Elapsed > Timeout)
            {
                Assert.Fail($"gave up after {Timeout.TotalSeconds:F0} s waiting until {what}" + (seen is null ? "" : "; " + seen()));
            }

            await Task.Delay(10);
        }
    }
}
