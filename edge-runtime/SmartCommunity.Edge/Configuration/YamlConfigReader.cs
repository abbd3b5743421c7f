namespace SmartCommunity.Edge.Configuration;

using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using SmartCommunity.Protocol;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

/// <summary>
/// What the loaders of the edge's YAML files (layout, rules, relays) share: reading the file, parsing it into one
/// root mapping, and node accessors whose every complaint names the file, line and column. Unknown keys are
/// errors everywhere, so a typo never silently turns a setting into its default.
/// </summary>
public abstract class YamlConfigReader(string file)
{
    protected string File => file;

    /// <summary>The file's text, or the loader's error saying which option to check.</summary>
    public static string ReadText(string path, string what, string option, Func<string, long, long, string, ConfigFileException> error)
    {
        try
        {
            return System.IO.File.ReadAllText(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw error(path, 0, 0, $"cannot read the {what} file ({ex.Message}); check the path given with {option}");
        }
    }

    /// <summary>Parses one YAML document whose root is a mapping; <paramref name="shape"/> says what that mapping holds.</summary>
    public static YamlMappingNode ParseRoot(string yaml, string file, string shape, Func<string, long, long, string, ConfigFileException> error)
    {
        var stream = new YamlStream();
        var parser = new PositionTracking(new Parser(new StringReader(yaml)));
        try
        {
            stream.Load(parser);
        }
        catch (YamlException ex)
        {
            throw error(file, ex.Start.Line, ex.Start.Column, "not valid YAML: " + ex.Message);
        }
        catch (InvalidOperationException ex)
        {
            // YamlDotNet reports some unterminated flow collections ('{' or '[' never closed) this way, without a
            // position; find the bracket ourselves so the reader still gets a line.
            (long line, long column, char bracket) = UnclosedBracket(yaml) ?? (0, 0, '{');
            throw error(file, line, column, line == 0
                ? "not valid YAML (is a '{' or '[' never closed?): " + ex.Message
                : $"not valid YAML: this '{bracket}' is never closed with '{(bracket == '{' ? '}' : ']')}'");
        }
        catch (ArgumentException ex)
        {
            // YamlDotNet builds nodes from parser events and throws this, without a position, for an event it cannot
            // place, e.g. "- : value" (a key left empty in a list item); the last event read says where (found by
            // fuzzing, hardware-docs/bad-input.md).
            throw error(file, parser.Line, parser.Column, "not valid YAML here (is a key missing before a ':'?): " + ex.Message);
        }

        return stream.Documents.Count == 1 && stream.Documents[0].RootNode is YamlMappingNode root
            ? root
            : throw error(file, 1, 1, shape);
    }

    protected abstract ConfigFileException Error(long line, long column, string reason);

    protected ConfigFileException Error(YamlNode node, string reason) => Error(node.Start.Line, node.Start.Column, reason);

    protected void Keys(YamlMappingNode node, params string[] allowed)
    {
        foreach (YamlNode key in node.Children.Keys)
        {
            string name = Scalar(key, "key");
            if (!allowed.Contains(name))
            {
                throw Error(key, $"unknown key '{name}'; allowed here: {string.Join(", ", allowed)}");
            }
        }
    }

    protected YamlNode Required(YamlMappingNode node, string key) =>
        node.Children.TryGetValue(new YamlScalarNode(key), out YamlNode? value) ? value : throw Error(node, $"'{key}' is missing");

    protected string? Optional(YamlMappingNode node, string key) =>
        node.Children.TryGetValue(new YamlScalarNode(key), out YamlNode? value) ? Scalar(value, key) : null;

    protected YamlMappingNode Mapping(YamlNode node, string what) =>
        node as YamlMappingNode ?? throw Error(node, $"{what} must be a mapping (key: value lines)");

    protected YamlSequenceNode Sequence(YamlNode node, string what) =>
        node as YamlSequenceNode ?? throw Error(node, $"{what} must be a list (lines starting with '- ', or [] for none)");

    protected string Scalar(YamlNode node, string what) =>
        (node as YamlScalarNode)?.Value ?? throw Error(node, $"{what} must be a single value");

    protected long Integer(YamlNode node, string what)
    {
        string text = Scalar(node, what);
        return long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out long value)
            ? value
            : throw Error(node, $"{what} '{text}' must be a whole number");
    }

    protected bool Boolean(YamlNode node, string what) => Scalar(node, what) switch
    {
        "true" => true,
        "false" => false,
        string other => throw Error(node, $"{what} '{other}' must be true or false"),
    };

    /// <summary>An id that becomes an MQTT topic level (protocol.md §1).</summary>
    protected string Id(YamlNode node, string what)
    {
        string value = Scalar(node, what);
        return Topics.IsValidLevel(value)
            ? value
            : throw Error(node, $"{what} '{value}' must be 1-{MessageLimits.MaxIdLength} characters of a-z, 0-9, '-' or '_' (it becomes an MQTT topic level)");
    }

    // The first '{' or '[' of a flow collection that is never closed, outside quotes and comments; a hint only.
    private static (long Line, long Column, char Bracket)? UnclosedBracket(string yaml)
    {
        var open = new Stack<(long, long, char)>();
        string[] lines = yaml.Split('\n');
        for (int n = 0; n < lines.Length; n++)
        {
            string text = lines[n];
            char quote = '\0';
            for (int i = 0; i < text.Length; i++)
            {
                char c = text[i];
                if (quote != '\0')
                {
                    quote = c == quote ? '\0' : quote;
                    continue;
                }

                bool startsScalar = i == 0 || text[i - 1] is ' ' or '\t' or ':' or ',' or '[' or '{';
                if (c == '#' && (i == 0 || char.IsWhiteSpace(text[i - 1])))
                {
                    break;
                }

                if (c is '"' or '\'' && startsScalar)
                {
                    quote = c;
                }
                else if (c is '{' or '[')
                {
                    open.Push((n + 1, i + 1, c));
                }
                else if (c is '}' or ']' && open.Count > 0)
                {
                    open.Pop();
                }
            }
        }

        return open.Count > 0 ? open.Last() : null;
    }

    /// <summary>A parser that remembers where the last event it handed out started, for errors that carry no position.</summary>
    private sealed class PositionTracking(IParser inner) : IParser
    {
        public long Line { get; private set; }

        public long Column { get; private set; }

        public YamlDotNet.Core.Events.ParsingEvent? Current => inner.Current;

        public bool MoveNext()
        {
            bool moved = inner.MoveNext();
            if (inner.Current is { } current)
            {
                Line = current.Start.Line;
                Column = current.Start.Column;
            }

            return moved;
        }
    }
}
