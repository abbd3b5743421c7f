namespace SmartCommunity.Edge.Tests.Fuzz;

using Microsoft.VisualStudio.TestTools.UnitTesting;
using SmartCommunity.Edge.Layout;
using SmartCommunity.Edge.Rules;
using SmartCommunity.Edge.Tests.TestSupport;

/// <summary>Inputs the layout and rules fuzzers found bugs with (hardware-docs/bad-input.md).</summary>
[TestClass]
public sealed class ConfigFileFuzzRegressionTests
{
    // CsCheck seed 1PR15Ie-ynL1 on demo.rules.yaml: a mutation deleted "name: smoke-detector-silent" up to its
    // description's ':', leaving "  - : A detector ...". YamlDotNet threw ArgumentException ("The current event is
    // of an unsupported type") out of the loader instead of a RulesException with a line.
    private const string EmptyKeyInListItem = "schema: 1\nrules:\n  - : A detector sends its state every 30 s\n    when: {}\n";

    [TestMethod]
    public void Parse_RulesWithEmptyKeyInListItem_RulesExceptionWithLine()
    {
        RulesException ex = Assert.ThrowsExactly<RulesException>(() => RuleLoader.Parse(EmptyKeyInListItem, "fuzz.yaml", DemoLayout.Load().Devices));

        Assert.IsGreaterThan(0L, ex.Line, ex.Message);
        Assert.StartsWith("fuzz.yaml:" + ex.Line + ":", ex.Message);
        Assert.Contains("not valid YAML", ex.Reason);
    }

    [TestMethod]
    public void Parse_LayoutWithEmptyKeyInListItem_LayoutExceptionWithLine()
    {
        const string Yaml = "schema: 1\nsite: { id: s }\nbuildings:\n  - : b1\n    floors: []\n";

        LayoutException ex = Assert.ThrowsExactly<LayoutException>(() => LayoutLoader.Parse(Yaml, "fuzz.yaml"));

        Assert.IsGreaterThan(0L, ex.Line, ex.Message);
        Assert.Contains("not valid YAML", ex.Reason);
    }
}
