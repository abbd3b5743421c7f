namespace SmartCommunity.Edge.Tests.Rules;

using Microsoft.VisualStudio.TestTools.UnitTesting;
using SmartCommunity.Edge.Rules;

[TestClass]
public sealed class TextTemplateTests
{
    [TestMethod]
    public void Render_Placeholders_ReplacedByTheirValues()
    {
        Assert.IsTrue(TextTemplate.TryParse("{device} in {building} ({count}x)", out TextTemplate? template, out string why), why);

        string text = template!.Render(name => name switch { "device" => "d1", "building" => "b1", _ => "2" });

        Assert.AreEqual("d1 in b1 (2x)", text);
    }

    [TestMethod]
    public void Render_DoubledBraces_AreLiteralBraces()
    {
        Assert.IsTrue(TextTemplate.TryParse("{{device}} is {device}", out TextTemplate? template, out _));

        Assert.AreEqual("{device} is d1", template!.Render(_ => "d1"));
    }

    [TestMethod]
    [DataRow("{devise} open", "unknown placeholder '{devise}'")]
    [DataRow("{device open", "never closed")]
    [DataRow("device} open", "without its '{'")]
    public void TryParse_BadPlaceholder_SaysWhat(string text, string expected)
    {
        Assert.IsFalse(TextTemplate.TryParse(text, out _, out string why));
        StringAssert.Contains(why, expected);
    }
}
