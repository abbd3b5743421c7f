namespace SmartCommunity.Protocol.Tests.MBus;

using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using Microsoft.VisualStudio.TestTools.UnitTesting;

/// <summary>
/// The libmbus frames in ../shared/corpora/libmbus beside the repository (SOURCE.txt there says what they are).
/// They live outside the repository, so a checkout without them skips the corpus tests; SMARTCOMMUNITY_NO_SKIP=1
/// (set by .ci/run) turns that skip into a failure.
/// </summary>
internal static class LibmbusCorpus
{
    public const string Missing = "(corpus missing)";

    public static string? Directory
    {
        get
        {
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "nano.sln")))
                {
                    string corpus = Path.GetFullPath(Path.Combine(dir.FullName, "..", "shared", "corpora", "libmbus"));
                    return System.IO.Directory.Exists(Path.Combine(corpus, "test-frames")) ? corpus : null;
                }
            }

            return null;
        }
    }

    /// <summary>Names (without .hex) of the files in one corpus folder, or the single <see cref="Missing"/> row.</summary>
    public static IEnumerable<object[]> Names(string folder)
    {
        string? corpus = Directory;
        if (corpus is null)
        {
            return [[Missing]];
        }

        return System.IO.Directory.GetFiles(Path.Combine(corpus, folder), "*.hex")
            .Select(f => Path.GetFileNameWithoutExtension(f))
            .Order(StringComparer.Ordinal)
            .Select(n => new object[] { n })
            .ToList();
    }

    /// <summary>The corpus folder, or ends the test: inconclusive, or failed under SMARTCOMMUNITY_NO_SKIP=1.</summary>
    public static string Require(string name)
    {
        string? corpus = Directory;
        if (corpus is null || name == Missing)
        {
            const string reason = "the libmbus corpus is not at ../shared/corpora/libmbus beside the repository root: the M-Bus corpus checks did not run";
            if (Environment.GetEnvironmentVariable("SMARTCOMMUNITY_NO_SKIP") == "1")
            {
                Assert.Fail(reason + " and SMARTCOMMUNITY_NO_SKIP=1 forbids skipping");
            }

            Assert.Inconclusive(reason);
        }

        return corpus!;
    }

    public static byte[] ReadHex(string path)
    {
        string[] parts = File.ReadAllText(path).Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
        return parts.Select(p => Convert.ToByte(p, 16)).ToArray();
    }
}
