namespace SmartCommunity.Simulator.Tests.Load;

using System;
using System.Security.Cryptography;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using SmartCommunity.Simulator.Load;

[TestClass]
public sealed class ResourceSamplerTests
{
    [TestMethod]
    public void Window_OwnProcess_EveryFigureMeasured()
    {
        var sampler = new ResourceSampler(Environment.ProcessId);

        sampler.MarkConnected();
        sampler.StartWindow();
        byte[] data = new byte[1 << 20];
        for (int i = 0; i < 20; i++)
        {
            SHA256.HashData(data);
        }

        sampler.EndWindow();
        sampler.MarkEnd();

        Assert.IsNotNull(sampler.Memory.ConnectedMiB);
        Assert.IsNotNull(sampler.Memory.EndMiB);
        Assert.IsGreaterThanOrEqualTo(sampler.Memory.EndMiB!.Value, sampler.Memory.PeakMiB!.Value);
        Assert.IsNotNull(sampler.Cpu.Seconds);
        Assert.IsGreaterThanOrEqualTo(0.0, sampler.Cpu.Seconds!.Value);
    }

    [TestMethod]
    public void Window_NoProcess_NothingMeasuredAndNothingThrown()
    {
        var sampler = new ResourceSampler(null);

        sampler.MarkConnected();
        sampler.StartWindow();
        sampler.EndWindow();
        sampler.MarkEnd();

        Assert.IsFalse(sampler.Sample());
        Assert.AreEqual(new MemoryFigures(null, null, null), sampler.Memory);
        Assert.AreEqual(new CpuFigures(null, null, null, null), sampler.Cpu);
    }
}
