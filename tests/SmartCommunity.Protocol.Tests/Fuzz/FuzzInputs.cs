namespace SmartCommunity.Tests.Fuzz;

using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using CsCheck;

/// <summary>
/// Shared by the fuzz tests of every test project (linked into Edge.Tests and Firmware.Tests): how many
/// iterations a property runs, and generators of random and structure-aware bad input (hardware-docs/bad-input.md).
/// </summary>
internal static class FuzzInputs
{
    /// <summary>Set to run every property this many times instead of its CI count (a long local campaign).</summary>
    public const string IterationsVariable = "SMARTCOMMUNITY_FUZZ_ITERATIONS";

    /// <summary>Interesting single bytes: JSON structure, escapes, control characters, UTF-8 lead/continuation bytes.</summary>
    private static readonly byte[] InterestingBytes =
        [0x00, 0x01, 0x0A, 0x16, 0x1F, 0x20, 0x22, 0x2C, 0x2D, 0x30, 0x3A, 0x5B, 0x5C, 0x5D, 0x68, 0x7B, 0x7D, 0x7F, 0x80, 0xBF, 0xC0, 0xE5, 0xED, 0xF0, 0xFE, 0xFF];

    /// <summary>Fragments spliced into text: huge numbers, NaN/Infinity, deep nesting, broken escapes, non-UTF-8, YAML syntax.</summary>
    private static readonly byte[][] Tokens = BuildTokens();

    /// <summary>The CI count, or <see cref="IterationsVariable"/> when it is set to a positive number.</summary>
    public static long Iterations(long ci)
    {
        string? text = Environment.GetEnvironmentVariable(IterationsVariable);
        return long.TryParse(text, out long value) && value > 0 ? value : ci;
    }

    /// <summary>Uniformly random bytes, from empty to <paramref name="maxLength"/>.</summary>
    public static Gen<byte[]> RandomBytes(int maxLength) => Gen.Byte.Array[0, maxLength];

    /// <summary>A valid seed input with one to six mutations applied; shrinking drops mutations first.</summary>
    public static Gen<byte[]> Mutated(IReadOnlyList<byte[]> seeds) =>
        Gen.Select(Gen.Int[0, seeds.Count - 1], Mutation.Array[1, 6], (index, mutations) => Apply(seeds[index], mutations));

    /// <summary>
    /// A valid seed with one or two of its values replaced by a value of another type or range (a number as a string,
    /// null, an object, a fraction, a huge or negative number): well-formed JSON that is wrong for its reader.
    /// </summary>
    public static Gen<byte[]> FieldSwapped(IReadOnlyList<byte[]> seeds) =>
        Gen.Select(Gen.Int[0, seeds.Count - 1], Gen.Select(Gen.Int[0, int.MaxValue], Gen.Int[0, WrongValues.Length - 1]).Array[1, 2], (index, swaps) =>
        {
            var bytes = new List<byte>(seeds[index]);
            foreach (var (position, wrong) in swaps)
            {
                ReplaceValue(bytes, position, WrongValues[wrong]);
            }

            return bytes.ToArray();
        });

    private static readonly byte[][] WrongValues = new[]
    {
        "\"1\"", "\"\"", "\"x\"", "null", "true", "false", "[]", "[1]", "{}", "{\"a\":1}", "1.5", "-1", "0", "1e999", "-1e999",
        "99999999999999999999", "-9223372036854775808", "9223372036854775807", "\"\\uD800\"", "\"" + new string('z', 200) + "\"",
    }.Select(Encoding.UTF8.GetBytes).ToArray();

    /// <summary>Text mutations for YAML and other text formats: the same operators, plus whole-line edits.</summary>
    public static Gen<string> MutatedText(IReadOnlyList<string> seeds) =>
        Gen.Select(Gen.Int[0, seeds.Count - 1], Mutation.Array[1, 4], (index, mutations) => ApplyText(seeds[index], mutations));

    public static string Hex(byte[] bytes) => Convert.ToHexString(bytes);

    /// <summary>Printable form for a failing input: hex plus the bytes as Latin-1 text (most inputs are JSON).</summary>
    public static string Show(byte[] bytes) => Hex(bytes) + " = \"" + Encoding.Latin1.GetString(bytes).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"";

    private static readonly Gen<(int Kind, int Position, int Length, byte Value)> Mutation =
        Gen.Select(Gen.Int[0, 11], Gen.Int[0, int.MaxValue], Gen.Int[0, 48], Gen.Byte, (kind, position, length, value) => (kind, position, length, value));

    private static byte[] Apply(byte[] seed, (int Kind, int Position, int Length, byte Value)[] mutations)
    {
        var bytes = new List<byte>(seed);
        foreach (var m in mutations)
        {
            Mutate(bytes, m.Kind, m.Position, m.Length, m.Value);
        }

        return bytes.ToArray();
    }

    private static string ApplyText(string seed, (int Kind, int Position, int Length, byte Value)[] mutations)
    {
        var lines = new List<string>(seed.Split('\n'));
        var text = seed;
        foreach (var m in mutations)
        {
            lines = new List<string>(text.Split('\n'));
            int line = m.Position % lines.Count;
            switch (m.Kind)
            {
                case 0: lines.RemoveAt(line); text = string.Join('\n', lines); break;
                case 1: lines.Insert(line, lines[(line + m.Length) % lines.Count]); text = string.Join('\n', lines); break;
                case 2: lines[line] = new string(' ', m.Value % 7) + lines[line].TrimStart(); text = string.Join('\n', lines); break;
                case 3:
                    // Replace a scalar after a colon with a token (a huge number, a flow collection, an anchor...).
                    int colon = lines[line].IndexOf(": ", StringComparison.Ordinal);
                    if (colon >= 0)
                    {
                        lines[line] = lines[line][..(colon + 2)] + Encoding.UTF8.GetString(Tokens[m.Length % Tokens.Length]);
                    }

                    text = string.Join('\n', lines);
                    break;
                default:
                    var bytes = new List<byte>(Encoding.UTF8.GetBytes(text));
                    Mutate(bytes, m.Kind - 4, m.Position, m.Length, m.Value);
                    // Non-UTF-8 bytes become U+FFFD, as a file read with File.ReadAllText would give them.
                    text = Encoding.UTF8.GetString(bytes.ToArray());
                    break;
            }
        }

        return text;
    }

    private static void Mutate(List<byte> bytes, int kind, int position, int length, byte value)
    {
        int at = bytes.Count == 0 ? 0 : position % (bytes.Count + 1);
        int span = Math.Min(length, bytes.Count - Math.Min(at, bytes.Count));
        switch (kind)
        {
            case 0: // flip one bit
                if (at < bytes.Count)
                {
                    bytes[at] ^= (byte)(1 << (value & 7));
                }

                break;
            case 1: // overwrite with an interesting byte
                if (at < bytes.Count)
                {
                    bytes[at] = InterestingBytes[value % InterestingBytes.Length];
                }

                break;
            case 2: // insert random bytes
                for (int i = 0; i < length % 9; i++)
                {
                    bytes.Insert(at, (byte)(value + (i * 37)));
                }

                break;
            case 3: // delete a range
                bytes.RemoveRange(Math.Min(at, bytes.Count), span);
                break;
            case 4: // truncate
                bytes.RemoveRange(Math.Min(at, bytes.Count), bytes.Count - Math.Min(at, bytes.Count));
                break;
            case 5: // duplicate a range (a repeated field or record)
                bytes.InsertRange(Math.Min(at, bytes.Count), bytes.GetRange(Math.Min(at, bytes.Count), span));
                break;
            case 6: // splice in a token
                bytes.InsertRange(Math.Min(at, bytes.Count), Tokens[value % Tokens.Length]);
                break;
            case 8: // replace 1-4 bytes with a token: a number becomes a string, null, true, [] or {} (type confusion)
                bytes.RemoveRange(Math.Min(at, bytes.Count), Math.Min(1 + (length % 4), bytes.Count - Math.Min(at, bytes.Count)));
                bytes.InsertRange(Math.Min(at, bytes.Count), Tokens[value % Tokens.Length]);
                break;
            case 9: // replace a whole value (after the n-th ':' up to the next ',' or '}') with a token: a field of the wrong type
                ReplaceValue(bytes, position, Tokens[value % Tokens.Length]);
                break;
            default: // overwrite with a random byte
                if (at < bytes.Count)
                {
                    bytes[at] = value;
                }

                break;
        }
    }

    private static void ReplaceValue(List<byte> bytes, int position, byte[] token)
    {
        int colons = bytes.Count(b => b == (byte)':');
        if (colons == 0)
        {
            return;
        }

        int wanted = position % colons;
        int start = -1;
        for (int i = 0, seen = 0; i < bytes.Count; i++)
        {
            if (bytes[i] == (byte)':' && seen++ == wanted)
            {
                start = i + 1;
                break;
            }
        }

        int end = start;
        while (end < bytes.Count && bytes[end] != (byte)',' && bytes[end] != (byte)'}' && bytes[end] != (byte)'\n')
        {
            end++;
        }

        bytes.RemoveRange(start, end - start);
        bytes.InsertRange(start, token);
    }

    private static byte[][] BuildTokens()
    {
        var tokens = new List<byte[]>();
        foreach (string text in new[]
        {
            "99999999999999999999999999", "-9223372036854775808", "9223372036854775808", "18446744073709551616", "1e999", "-0",
            "0.000000000000000000001", "\"1\"", "\"x\"", "1.5", "NaN", "Infinity", "-Infinity", "null", "true", "\"\"", "{}", "[]", ",", ":", "\"", "\\",
            "\\u", "\\uD800", "\\u0000", "\"v\":1,", "\"v\":1.0,", "\"id\":", "{\"a\":", "[[[[[[[[[[[[[[[[",
            "{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":{}}}}}}}}", "&a ", "*a", "!!binary ", "? ", "- ", "|\n", ">-\n",
            "%YAML 1.2\n---\n", "---\n", "...\n", "\t", "#", "{a: [1, 2", "'", "~", "0x7FFFFFFF", "1_000", ".inf", "<<: *a",
        })
        {
            tokens.Add(Encoding.UTF8.GetBytes(text));
        }

        tokens.Add([0xC3, 0x28]); // invalid UTF-8 continuation
        tokens.Add([0xED, 0xA0, 0x80]); // a UTF-8-encoded surrogate
        tokens.Add([0xF4, 0x90, 0x80, 0x80]); // beyond U+10FFFF
        tokens.Add([0xEF, 0xBB, 0xBF]); // a byte-order mark in the middle
        tokens.Add(Encoding.ASCII.GetBytes(new string('a', 300))); // a very long string
        tokens.Add(Encoding.ASCII.GetBytes(new string('9', 400))); // a very long number
        return tokens.ToArray();
    }
}
