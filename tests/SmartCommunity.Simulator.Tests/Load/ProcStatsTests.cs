namespace SmartCommunity.Simulator.Tests.Load;

using System;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using SmartCommunity.Simulator.Load;

/// <summary>The /proc readers, on the test process itself.</summary>
[TestClass]
public sealed class ProcStatsTests
{
    [TestMethod]
    public void TryReadMemory_OwnProcess_ResidentAndPeakReported()
    {
        Assert.IsTrue(ProcStats.TryReadMemory(Environment.ProcessId, out ProcessMemory memory));

        Assert.IsGreaterThan(0L, memory.ResidentBytes);
        Assert.IsGreaterThanOrEqualTo(memory.ResidentBytes, memory.PeakResidentBytes);
    }

    [TestMethod]
    public void TryReadMemory_NoSuchProcess_False()
    {
        Assert.IsFalse(ProcStats.TryReadMemory(-1, out _));
        Assert.IsFalse(ProcStats.TryReadCpuSeconds(-1, out _));
    }

    [TestMethod]
    public void TryReadCpuSeconds_OwnProcess_PositiveAndNeverGoesBack()
    {
        Assert.IsTrue(ProcStats.TryReadCpuSeconds(Environment.ProcessId, out double before));
        byte[] data = new byte[1 << 20];
        for (int i = 0; i < 50; i++)
        {
            SHA256.HashData(data);
        }

        Assert.IsTrue(ProcStats.TryReadCpuSeconds(Environment.ProcessId, out double after));
        Assert.IsGreaterThan(0.0, before);
        Assert.IsGreaterThanOrEqualTo(before, after);
    }

    [TestMethod]
    public void ClockTicksPerSecond_Positive()
    {
        Assert.IsGreaterThan(0L, ProcStats.ClockTicksPerSecond);
    }

    [TestMethod]
    public void TryFindListeningProcess_OwnLoopbackListener_FindsThisProcess()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        int port = ((IPEndPoint)listener.LocalEndpoint).Port;

        Assert.IsTrue(ProcStats.TryFindListeningProcess(port, out int pid));
        Assert.AreEqual(Environment.ProcessId, pid);
    }

    [TestMethod]
    public void TryFindListeningProcess_PortNobodyListensOn_False()
    {
        int port;
        using (var listener = new TcpListener(IPAddress.Loopback, 0))
        {
            listener.Start();
            port = ((IPEndPoint)listener.LocalEndpoint).Port;
        }

        Assert.IsFalse(ProcStats.TryFindListeningProcess(port, out _));
    }

    [TestMethod]
    public void Machine_DescribesThisMachine()
    {
        MachineFigures machine = ProcStats.Machine();

        Assert.AreEqual(Environment.ProcessorCount, machine.ProcessorCount);
        Assert.IsGreaterThan(0.0, machine.MemoryMiB ?? 0);
        Assert.IsFalse(string.IsNullOrWhiteSpace(machine.Runtime));
    }
}
