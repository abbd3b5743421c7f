namespace SmartCommunity.Edge.Tests.Fuzz;

using System;
using System.IO;
using System.Linq;
using System.Text;
using CsCheck;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using SmartCommunity.Edge.Configuration;
using SmartCommunity.Edge.Layout;
using SmartCommunity.Edge.Metering;
using SmartCommunity.Edge.Rules;
using SmartCommunity.Protocol.MBus;
using SmartCommunity.Tests.Fuzz;

/// <summary>
/// The layout and rules loaders and the M-Bus hex reader under bad input (hardware-docs/bad-input.md): a file that
/// cannot be used is a LayoutException or RulesException naming file:line:column, never any other exception.
/// </summary>
[TestClass]
public sealed class ConfigFileFuzzTests
{
    private const string FuzzFile = "fuzz.yaml";

    private static readonly string LayoutsFolder = FindLayouts();

    private static readonly string[] Layouts = Directory.GetFiles(LayoutsFolder, "*.yaml")
        .Where(f => !f.EndsWith(".rules.yaml", StringComparison.Ordinal)).Order(StringComparer.Ordinal).Select(File.ReadAllText).ToArray();

    [TestMethod]
    public void Parse_MutatedRealLayouts_LayoutOrLayoutExceptionWithPlace()
    {
        Assert.IsGreaterThanOrEqualTo(4, Layouts.Length, "the real layouts in simulators/layouts are the seeds");
        Gen.Frequency((6, FuzzInputs.MutatedText(Layouts)), (1, Gen.String)).Sample(
            yaml =>
            {
                try
                {
                    BuildingLayout layout = LayoutLoader.Parse(yaml, FuzzFile);
                    Assert.IsNotEmpty(layout.Buildings);
                }
                catch (LayoutException ex)
                {
                    AssertNamesThePlace(ex);
                }
            },
            iter: FuzzInputs.Iterations(1_500),
            print: Quoted);
    }

    [TestMethod]
    public void Parse_MutatedRealRules_RulesOrRulesExceptionWithPlace()
    {
        (string Rules, BuildingLayout Layout)[] pairs = Directory.GetFiles(LayoutsFolder, "*.rules.yaml").Order(StringComparer.Ordinal)
            .Select(f => (File.ReadAllText(f), LayoutLoader.Load(f.Replace(".rules.yaml", ".yaml", StringComparison.Ordinal)))).ToArray();
        Assert.IsNotEmpty(pairs);
        Gen.Select(Gen.Int[0, pairs.Length - 1], Gen.Frequency((6, FuzzInputs.MutatedText(pairs.Select(p => p.Rules).ToArray())), (1, Gen.String))).Sample(
            (layout, yaml) =>
            {
                try
                {
                    RuleSet rules = RuleLoader.Parse(yaml, FuzzFile, pairs[layout].Layout.Devices);
                    Assert.IsNotNull(rules);
                }
                catch (RulesException ex)
                {
                    AssertNamesThePlace(ex);
                }
            },
            iter: FuzzInputs.Iterations(1_500),
            print: t => t.Item1 + " " + Quoted(t.Item2));
    }

    [TestMethod]
    public void Parse_AnyHexText_BytesOrBadHexErrorNeverThrows()
    {
        Gen.Frequency((1, Gen.String), (2, Gen.Char["0123456789abcdefABCDEF \t\r\nxg"].Array[0, 80].Select(c => new string(c)))).Sample(
            text =>
            {
                byte[]? bytes = MBusHexText.Parse(text, out MBusError? error);

                Assert.AreEqual(bytes is null, error is not null);
                if (error is not null)
                {
                    Assert.AreEqual(MBusErrorCodes.BadHex, error.Code);
                    Assert.IsTrue(error.Offset >= 0 && error.Offset <= text.Length / 2, error.ToString());
                }
                else
                {
                    Assert.AreEqual(text.Count(c => !char.IsWhiteSpace(c)) / 2, bytes!.Length);
                }
            },
            iter: FuzzInputs.Iterations(10_000),
            print: Quoted);
    }

    [TestMethod]
    public void Parse_BytesWrittenAsSpacedHex_GivesTheSameBytes()
    {
        Gen.Select(Gen.Byte.Array[0, 300], Gen.OneOf(" ", "", "\n", "\t ", "\r\n")).Sample(
            (bytes, separator) =>
            {
                string text = string.Join(separator, bytes.Select(b => b.ToString(b % 2 == 0 ? "X2" : "x2")));

                CollectionAssert.AreEqual(bytes, MBusHexText.Parse(text, out MBusError? error), error?.ToString());
            },
            iter: FuzzInputs.Iterations(2_000));
    }

    private static void AssertNamesThePlace(ConfigFileException ex)
    {
        Assert.AreEqual(FuzzFile, ex.File);
        Assert.IsTrue(ex.Line >= 0 && ex.Column >= 0, ex.Message);
        Assert.StartsWith(FuzzFile + ":" + ex.Line + ":", ex.Message);
        Assert.IsFalse(string.IsNullOrWhiteSpace(ex.Reason));
    }

    private static string Quoted(string text) => "\"" + text.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"";

    private static string FindLayouts()
    {
        for (DirectoryInfo? folder = new(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            string candidate = Path.Combine(folder.FullName, "simulators", "layouts");
            if (Directory.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new DirectoryNotFoundException("simulators/layouts not found above " + AppContext.BaseDirectory);
    }
}
