namespace SmartCommunity.Firmware.Tests.NanoBuild;

using System;
using System.Collections.Generic;
using System.IO;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using SmartCommunity.Simulation.Hardware;

[TestClass]
public sealed class NanoGenericsCheckTests
{
    private static readonly string NanoDirectory = Path.Combine(AppContext.BaseDirectory, "nano");

    [TestMethod]
    public void NanoOutput_AfterBuild_HoldsFirmwareAndProtocolAssemblies()
    {
        Assert.IsTrue(Directory.Exists(NanoDirectory), NanoDirectory + " is missing: the nano builds were not copied");

        Assert.IsTrue(File.Exists(Path.Combine(NanoDirectory, "SmartCommunity.Firmware.dll")));
        Assert.IsTrue(File.Exists(Path.Combine(NanoDirectory, "SmartCommunity.Protocol.dll")));
    }

    [TestMethod]
    public void FindGenericUses_EveryNanoBuiltAssembly_FindsNothing()
    {
        string[] assemblies = Directory.GetFiles(NanoDirectory, "*.dll");
        List<string> findings = new List<string>();

        foreach (string assembly in assemblies)
        {
            foreach (string finding in NanoGenericsCheck.FindGenericUses(assembly))
            {
                findings.Add(Path.GetFileName(assembly) + ": " + finding);
            }
        }

        Assert.IsGreaterThanOrEqualTo(2, assemblies.Length);
        Assert.IsEmpty(findings, "generics in the nanoFramework build:" + Environment.NewLine + string.Join(Environment.NewLine, findings));
    }

    [TestMethod]
    public void FindGenericUses_SimulationAssemblyUsingCollections_ReportsDictionaryAndList()
    {
        IReadOnlyList<string> findings = NanoGenericsCheck.FindGenericUses(typeof(MemoryStore).Assembly.Location);

        string all = string.Join(Environment.NewLine, findings);
        Assert.IsTrue(HasFinding(findings, "generic instantiation (TypeSpec) System.Collections.Generic.Dictionary`2<System.String, System.Byte[]>"), all);
        Assert.IsTrue(HasFinding(findings, "generic instantiation (TypeSpec) System.Collections.Generic.List`1<SmartCommunity.Simulation.Hardware.PublishedMessage>"), all);
        Assert.IsTrue(HasFinding(findings, "member of a generic instantiation (MemberRef) System.Collections.Generic.List`1<SmartCommunity.Simulation.Hardware.PublishedMessage>::Add"), all);
        Assert.IsTrue(HasFinding(findings, "field SmartCommunity.Simulation.Hardware.MemoryStore::_records of type System.Collections.Generic.Dictionary`2<"), all);
    }

    [TestMethod]
    public void FindGenericUses_GenericDefinitionsAndInstantiations_ReportsEachKind()
    {
        Assert.AreEqual("x", Echo(new Box<string>("x")).Value);

        IReadOnlyList<string> findings = NanoGenericsCheck.FindGenericUses(typeof(NanoGenericsCheckTests).Assembly.Location);

        string all = string.Join(Environment.NewLine, findings);
        Assert.IsTrue(HasFinding(findings, "generic type definition SmartCommunity.Firmware.Tests.NanoBuild.NanoGenericsCheckTests/Box`1<T>"), all);
        Assert.IsTrue(HasFinding(findings, "generic method definition SmartCommunity.Firmware.Tests.NanoBuild.NanoGenericsCheckTests::Echo<T>"), all);
        Assert.IsTrue(HasFinding(findings, "generic method instantiation (MethodSpec) SmartCommunity.Firmware.Tests.NanoBuild.NanoGenericsCheckTests::Echo<SmartCommunity.Firmware.Tests.NanoBuild.NanoGenericsCheckTests/Box`1<System.String>>"), all);
        Assert.IsTrue(HasFinding(findings, "local variable in SmartCommunity.Firmware.Tests.NanoBuild.NanoGenericsCheckTests::FindGenericUses_EveryNanoBuiltAssembly_FindsNothing of type System.Collections.Generic.List`1<System.String>"), all);
    }

    [TestMethod]
    public void FindGenericUses_NonGenericArraysOnly_FindsNothing()
    {
        // The net10 protocol build uses byte[] and string[] but no generics, so array TypeSpecs must not count.
        IReadOnlyList<string> findings = NanoGenericsCheck.FindGenericUses(typeof(SmartCommunity.Protocol.PayloadReader).Assembly.Location);

        Assert.IsEmpty(findings, string.Join(Environment.NewLine, findings));
    }

    [TestMethod]
    public void FindGenericUses_NotAnAssembly_ThrowsBadImageFormat()
    {
        using MemoryStream notAnAssembly = new MemoryStream(new byte[] { 1, 2, 3, 4, 5, 6, 7, 8 });

        Assert.ThrowsExactly<BadImageFormatException>(() => NanoGenericsCheck.FindGenericUses(notAnAssembly));
    }

    private static bool HasFinding(IReadOnlyList<string> findings, string start)
    {
        foreach (string finding in findings)
        {
            if (finding.StartsWith(start, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }

    private static T Echo<T>(T value) => value;

    private sealed class Box<T>
    {
        public Box(T value)
        {
            Value = value;
        }

        public T Value { get; }
    }
}
