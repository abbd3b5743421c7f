namespace SmartCommunity.Firmware.Tests.TestSupport;

using System;

/// <summary>
/// For the allocation tests: the steady-state loop must not allocate (STYLE.md §6), since a nanoFramework heap
/// fragments and its GC pauses the loop. Measured on the net10 build.
/// </summary>
internal static class Allocations
{
    /// <summary>The bytes this thread allocates while <paramref name="action"/> runs.</summary>
    public static long During(Action action)
    {
        long before = GC.GetAllocatedBytesForCurrentThread();
        action();
        return GC.GetAllocatedBytesForCurrentThread() - before;
    }
}
