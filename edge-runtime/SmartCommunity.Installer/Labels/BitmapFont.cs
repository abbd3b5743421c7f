namespace SmartCommunity.Installer.Labels;

using System.Collections.Generic;

/// <summary>
/// A 5x7 pixel font of the characters ids and the label's second line use (a-z, 0-9, '-', '_', '/', ':', '.',
/// space), drawn here so the label needs no font library or installed fonts. '#' is ink.
/// </summary>
public static class BitmapFont
{
    public const int Width = 5;
    public const int Height = 7;

    /// <summary>Columns from one character's start to the next's (one blank column between glyphs).</summary>
    public const int Advance = Width + 1;

    public static IReadOnlyDictionary<char, string[]> Glyphs { get; } = new Dictionary<char, string[]>
    {
        ['a'] = [".....", ".....", ".###.", "....#", ".####", "#...#", ".####"],
        ['b'] = ["#....", "#....", "#.##.", "##..#", "#...#", "#...#", "####."],
        ['c'] = [".....", ".....", ".###.", "#....", "#....", "#...#", ".###."],
        ['d'] = ["....#", "....#", ".##.#", "#..##", "#...#", "#...#", ".####"],
        ['e'] = [".....", ".....", ".###.", "#...#", "#####", "#....", ".###."],
        ['f'] = ["..##.", ".#..#", ".#...", "###..", ".#...", ".#...", ".#..."],
        ['g'] = [".....", ".####", "#...#", "#...#", ".####", "....#", ".###."],
        ['h'] = ["#....", "#....", "#.##.", "##..#", "#...#", "#...#", "#...#"],
        ['i'] = ["..#..", ".....", ".##..", "..#..", "..#..", "..#..", ".###."],
        ['j'] = ["...#.", ".....", "..##.", "...#.", "...#.", "#..#.", ".##.."],
        ['k'] = ["#....", "#....", "#..#.", "#.#..", "##...", "#.#..", "#..#."],
        ['l'] = [".##..", "..#..", "..#..", "..#..", "..#..", "..#..", ".###."],
        ['m'] = [".....", ".....", "##.#.", "#.#.#", "#.#.#", "#...#", "#...#"],
        ['n'] = [".....", ".....", "#.##.", "##..#", "#...#", "#...#", "#...#"],
        ['o'] = [".....", ".....", ".###.", "#...#", "#...#", "#...#", ".###."],
        ['p'] = [".....", ".....", "####.", "#...#", "####.", "#....", "#...."],
        ['q'] = [".....", ".....", ".##.#", "#..##", ".####", "....#", "....#"],
        ['r'] = [".....", ".....", "#.##.", "##..#", "#....", "#....", "#...."],
        ['s'] = [".....", ".....", ".###.", "#....", ".###.", "....#", "####."],
        ['t'] = [".#...", ".#...", "###..", ".#...", ".#...", ".#..#", "..##."],
        ['u'] = [".....", ".....", "#...#", "#...#", "#...#", "#..##", ".##.#"],
        ['v'] = [".....", ".....", "#...#", "#...#", "#...#", ".#.#.", "..#.."],
        ['w'] = [".....", ".....", "#...#", "#...#", "#.#.#", "#.#.#", ".#.#."],
        ['x'] = [".....", ".....", "#...#", ".#.#.", "..#..", ".#.#.", "#...#"],
        ['y'] = [".....", ".....", "#...#", "#...#", ".####", "....#", ".###."],
        ['z'] = [".....", ".....", "#####", "...#.", "..#..", ".#...", "#####"],
        ['0'] = [".###.", "#...#", "#..##", "#.#.#", "##..#", "#...#", ".###."],
        ['1'] = ["..#..", ".##..", "..#..", "..#..", "..#..", "..#..", ".###."],
        ['2'] = [".###.", "#...#", "....#", "...#.", "..#..", ".#...", "#####"],
        ['3'] = ["#####", "...#.", "..#..", "...#.", "....#", "#...#", ".###."],
        ['4'] = ["...#.", "..##.", ".#.#.", "#..#.", "#####", "...#.", "...#."],
        ['5'] = ["#####", "#....", "####.", "....#", "....#", "#...#", ".###."],
        ['6'] = ["..##.", ".#...", "#....", "####.", "#...#", "#...#", ".###."],
        ['7'] = ["#####", "....#", "...#.", "..#..", ".#...", ".#...", ".#..."],
        ['8'] = [".###.", "#...#", "#...#", ".###.", "#...#", "#...#", ".###."],
        ['9'] = [".###.", "#...#", "#...#", ".####", "....#", "...#.", ".##.."],
        ['-'] = [".....", ".....", ".....", "#####", ".....", ".....", "....."],
        ['_'] = [".....", ".....", ".....", ".....", ".....", ".....", "#####"],
        ['/'] = [".....", "....#", "...#.", "..#..", ".#...", "#....", "....."],
        [':'] = [".....", ".##..", ".##..", ".....", ".##..", ".##..", "....."],
        ['.'] = [".....", ".....", ".....", ".....", ".....", ".##..", ".##.."],
        [' '] = [".....", ".....", ".....", ".....", ".....", ".....", "....."],
    };

    /// <summary>Shown for a character the font does not have: a box, so it is visibly not a letter.</summary>
    public static readonly string[] Unknown = ["#####", "#...#", "#...#", "#...#", "#...#", "#...#", "#####"];

    public static string[] GlyphOf(char c) => Glyphs.TryGetValue(char.ToLowerInvariant(c), out string[]? glyph) ? glyph : Unknown;

    /// <summary>Width in pixels of <paramref name="text"/> at <paramref name="scale"/> (no trailing blank column).</summary>
    public static int MeasureWidth(string text, int scale) => text.Length == 0 ? 0 : ((text.Length * Advance) - 1) * scale;

    /// <summary>Draws <paramref name="text"/> in black into a greyscale image, top-left at (x, y), each font pixel a scale x scale square.</summary>
    public static void Draw(byte[] pixels, int imageWidth, string text, int x, int y, int scale)
    {
        for (int i = 0; i < text.Length; i++)
        {
            string[] glyph = GlyphOf(text[i]);
            int left = x + (i * Advance * scale);
            for (int row = 0; row < Height; row++)
            {
                for (int col = 0; col < Width; col++)
                {
                    if (glyph[row][col] == '#')
                    {
                        Fill(pixels, imageWidth, left + (col * scale), y + (row * scale), scale, scale);
                    }
                }
            }
        }
    }

    internal static void Fill(byte[] pixels, int imageWidth, int x, int y, int width, int height)
    {
        for (int yy = y; yy < y + height; yy++)
        {
            System.Array.Fill(pixels, (byte)0, (yy * imageWidth) + x, width);
        }
    }
}
