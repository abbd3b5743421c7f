namespace SmartCommunity.Edge.Rules;

using System;
using System.Collections.Generic;
using System.Text;

/// <summary>
/// Alert and relay text with placeholders such as <c>{device}</c> and <c>{building}</c>
/// (hardware-docs/rules.md, "Placeholders"); <c>{{</c> and <c>}}</c> stand for braces. Checked when the file loads,
/// so an unknown placeholder is an error with its line, not a blank in an alert at 3 a.m.
/// </summary>
public sealed class TextTemplate
{
    public static readonly IReadOnlyList<string> Placeholders = ["rule", "device", "kind", "role", "site", "building", "floor", "zone", "scope", "event", "count", "for", "trigger"];

    private readonly IReadOnlyList<(bool IsPlaceholder, string Text)> _parts;

    private TextTemplate(string source, IReadOnlyList<(bool, string)> parts)
    {
        Source = source;
        _parts = parts;
    }

    public string Source { get; }

    public static bool TryParse(string text, out TextTemplate? template, out string why)
    {
        template = null;
        why = "";
        var parts = new List<(bool, string)>();
        var literal = new StringBuilder();
        for (int i = 0; i < text.Length; i++)
        {
            char c = text[i];
            if ((c == '{' || c == '}') && i + 1 < text.Length && text[i + 1] == c)
            {
                literal.Append(c);
                i++;
                continue;
            }

            if (c == '}')
            {
                why = $"a '}}' without its '{{' at character {i + 1}; write '}}}}' for a brace";
                return false;
            }

            if (c != '{')
            {
                literal.Append(c);
                continue;
            }

            int end = text.IndexOf('}', i + 1);
            if (end < 0)
            {
                why = $"the placeholder opened at character {i + 1} is never closed with '}}'; write '{{{{' for a brace";
                return false;
            }

            string name = text[(i + 1)..end];
            if (!Contains(Placeholders, name))
            {
                why = $"unknown placeholder '{{{name}}}'; known: {string.Join(", ", Wrap(Placeholders))}";
                return false;
            }

            if (literal.Length > 0)
            {
                parts.Add((false, literal.ToString()));
                literal.Clear();
            }

            parts.Add((true, name));
            i = end;
        }

        if (literal.Length > 0)
        {
            parts.Add((false, literal.ToString()));
        }

        template = new TextTemplate(text, parts);
        return true;
    }

    public string Render(Func<string, string> value)
    {
        var text = new StringBuilder();
        foreach ((bool isPlaceholder, string part) in _parts)
        {
            text.Append(isPlaceholder ? value(part) : part);
        }

        return text.ToString();
    }

    public override string ToString() => Source;

    private static bool Contains(IReadOnlyList<string> names, string name)
    {
        foreach (string known in names)
        {
            if (known == name)
            {
                return true;
            }
        }

        return false;
    }

    private static IEnumerable<string> Wrap(IEnumerable<string> names)
    {
        foreach (string name in names)
        {
            yield return "{" + name + "}";
        }
    }
}
