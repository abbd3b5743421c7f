namespace SmartCommunity.Edge.Tests.Metering;

using System;
using System.IO;
using System.Linq;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using SmartCommunity.Edge.Tests.TestSupport;
using Process = System.Diagnostics.Process;
using ProcessStartInfo = System.Diagnostics.ProcessStartInfo;

/// <summary><c>sc-edge mbus decode</c> run as a process: the JSON it prints, and the exit code and reason for a bad frame.</summary>
[TestClass]
public sealed class MBusDecodeCommandTests
{
    // A Kamstrup 382 frame from the libmbus corpus (../shared/corpora/libmbus/test-frames/kamstrup_382_005.hex), so this
    // test does not depend on the corpus being present.
    private const string Kamstrup382 =
        "68 46 46 68 08 78 72 20 91 83 14 2D 2C 01 02 04 00 00 00 04 06 00 00 00 00 04 22 09 00 00 00 04 2B 00 00 00 00\n" +
        "14 2B 00 00 00 00 84 50 06 00 00 00 00 84 60 06 00 00 00 00 0F 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 10 24 16";

    [TestMethod]
    public async Task MBusDecode_CorpusFrameFile_PrintsHeaderAndScaledRecords()
    {
        using var folder = new TempFolder();
        string file = folder.File("kamstrup.hex");
        await File.WriteAllTextAsync(file, Kamstrup382);

        (int exitCode, string output, string errors) = await RunAsync(null, "mbus", "decode", file);

        Assert.AreEqual(0, exitCode, errors);
        using JsonDocument json = JsonDocument.Parse(output);
        JsonElement root = json.RootElement;
        Assert.AreEqual("14839120", root.GetProperty("id").GetString());
        Assert.AreEqual("KAM", root.GetProperty("manufacturer").GetString());
        Assert.AreEqual(1, root.GetProperty("version").GetInt32());
        Assert.AreEqual("electricity", root.GetProperty("medium").GetString());
        Assert.AreEqual(4, root.GetProperty("accessNumber").GetInt32());
        JsonElement[] records = root.GetProperty("records").EnumerateArray().ToArray();
        Assert.HasCount(7, records);

        // 04 22 09 00 00 00: on time, 9 hours, reported in seconds.
        Assert.AreEqual("on-time", records[1].GetProperty("quantity").GetString());
        Assert.AreEqual("s", records[1].GetProperty("unit").GetString());
        Assert.AreEqual(32400m, records[1].GetProperty("value").GetDecimal());

        // 84 50 06: energy, tariff 1, subunit 1.
        Assert.AreEqual("energy", records[4].GetProperty("quantity").GetString());
        Assert.AreEqual("Wh", records[4].GetProperty("unit").GetString());
        Assert.AreEqual(1, records[4].GetProperty("tariff").GetInt32());
        Assert.AreEqual(1, records[4].GetProperty("subunit").GetInt32());
        Assert.AreEqual("maximum", records[3].GetProperty("function").GetString());

        Assert.AreEqual("manufacturer-specific", records[6].GetProperty("function").GetString());
        Assert.AreEqual("00000000000000000000000000000010", records[6].GetProperty("value").GetString());
    }

    // Amber AMB8426-M manual v2.4 §10.2 (pp. 34-35): meter AMB 12345678, OMS mode 5, key 00..0F, CRCs removed by the
    // module; also in the Protocol.Tests wireless decoder tests.
    private const string AmberTelegram = "1E 44 A2 05 78 56 34 12 00 03 7A 35 00 10 05 1E 34 C7 7C FE 6C 59 B1 54 B6 63 29 7F E6 C3 F7";
    private const string AmberKey = "000102030405060708090A0B0C0D0E0F";

    [TestMethod]
    public async Task MBusDecode_WirelessWithTheMetersKey_PrintsDecodedLinkFieldsAndRecords()
    {
        (int exitCode, string output, string errors) = await RunAsync(AmberTelegram, "mbus", "decode", "-", "--wireless", "no-crc", "--key", AmberKey);

        Assert.AreEqual(0, exitCode, errors);
        JsonElement root = JsonDocument.Parse(output).RootElement;
        JsonElement wireless = root.GetProperty("wireless");
        Assert.AreEqual("decoded", wireless.GetProperty("result").GetString());
        Assert.AreEqual("AMB", wireless.GetProperty("manufacturer").GetString());
        Assert.AreEqual("12345678", wireless.GetProperty("id").GetString());
        Assert.AreEqual(5, wireless.GetProperty("securityMode").GetInt32());
        Assert.AreEqual("12345678", root.GetProperty("id").GetString());
        Assert.IsTrue(root.TryGetProperty("records", out _));
    }

    [TestMethod]
    public async Task MBusDecode_WirelessEncryptedWithoutKey_ReportsEncryptedWithoutRecordsAndExitsThree()
    {
        (int exitCode, string output, string errors) = await RunAsync(AmberTelegram, "mbus", "decode", "-", "--wireless", "no-crc");

        Assert.AreEqual(3, exitCode, errors);
        JsonElement root = JsonDocument.Parse(output).RootElement;
        Assert.AreEqual("encrypted", root.GetProperty("wireless").GetProperty("result").GetString());
        Assert.IsFalse(root.TryGetProperty("records", out _), "an encrypted telegram is never shown as decoded");
    }

    [TestMethod]
    public async Task MBusDecode_WirelessWithAWrongKey_ReportsUndecryptableAndExitsThree()
    {
        (int exitCode, string output, string errors) = await RunAsync(AmberTelegram, "mbus", "decode", "-", "--wireless", "no-crc", "--key", "FF" + AmberKey[2..]);

        Assert.AreEqual(3, exitCode, errors);
        JsonElement root = JsonDocument.Parse(output).RootElement;
        Assert.AreEqual("undecryptable", root.GetProperty("wireless").GetProperty("result").GetString());
        Assert.IsFalse(root.TryGetProperty("records", out _));
    }

    [TestMethod]
    public async Task MBusDecode_WirelessCorruptedInFormatA_ExitsOneWithTheCrcReason()
    {
        (int exitCode, string output, string errors) = await RunAsync(AmberTelegram, "mbus", "decode", "-", "--wireless", "A");

        Assert.AreEqual(1, exitCode);
        Assert.AreEqual("", output);
        StringAssert.Contains(errors, "bad wireless telegram");
    }

    [TestMethod]
    public async Task MBusDecode_KeyWithoutWireless_RefusedWithTheFix()
    {
        (int exitCode, string output, string errors) = await RunAsync(AmberTelegram, "mbus", "decode", "-", "--key", AmberKey);

        // The command-line parser reports a refused option on standard output.
        Assert.AreNotEqual(0, exitCode);
        StringAssert.Contains(output + errors, "add --wireless");
    }

    [TestMethod]
    public async Task MBusDecode_EveryCorpusFrame_PrintsJsonAndExitsZero()
    {
        string? corpus = CorpusDirectory();
        if (corpus is null)
        {
            const string reason = "the libmbus corpus is not at ../shared/corpora/libmbus beside the repository root";
            if (Environment.GetEnvironmentVariable("SMARTCOMMUNITY_NO_SKIP") == "1")
            {
                Assert.Fail(reason + " and SMARTCOMMUNITY_NO_SKIP=1 forbids skipping");
            }

            Assert.Inconclusive(reason);
        }

        // One process reading standard input per frame would be slow; two representative frames, one through stdin.
        string landis = Path.Combine(corpus!, "test-frames", "landis+gyr_ultraheat_t230.hex");
        (int exitCode, string output, string errors) = await RunAsync(null, "mbus", "decode", landis);
        Assert.AreEqual(0, exitCode, errors);
        JsonElement root = JsonDocument.Parse(output).RootElement;
        Assert.IsTrue(root.GetProperty("records").EnumerateArray().Any(r => r.GetProperty("quantity").GetString() == "date-time"));

        string elvaco = await File.ReadAllTextAsync(Path.Combine(corpus!, "test-frames", "elv_temp_humid.hex"));
        (exitCode, output, errors) = await RunAsync(elvaco, "mbus", "decode", "-");
        Assert.AreEqual(0, exitCode, errors);
        JsonElement humidity = JsonDocument.Parse(output).RootElement.GetProperty("records").EnumerateArray().First(r => r.GetProperty("unit").GetString() == "%RH");
        Assert.AreEqual(45.64m, humidity.GetProperty("value").GetDecimal());
    }

    [TestMethod]
    public async Task MBusDecode_BadChecksum_ExitsOneWithTheReasonOnStderr()
    {
        using var folder = new TempFolder();
        string file = folder.File("bad.hex");
        await File.WriteAllTextAsync(file, Kamstrup382.Replace("10 24 16", "10 25 16", StringComparison.Ordinal));

        (int exitCode, string output, string errors) = await RunAsync(null, "mbus", "decode", file);

        Assert.AreEqual(1, exitCode, output);
        Assert.AreEqual("", output.Trim(), "nothing on stdout for a bad frame");
        StringAssert.Contains(errors, "checksum at byte 74");
        StringAssert.Contains(errors, "sum to 0x24");
    }

    [TestMethod]
    public async Task MBusDecode_NotHex_ExitsOneNamingTheCharacter()
    {
        (int exitCode, _, string errors) = await RunAsync("68 0G", "mbus", "decode", "-");

        Assert.AreEqual(1, exitCode, errors);
        StringAssert.Contains(errors, "bad-hex");
        StringAssert.Contains(errors, "'G'");
        StringAssert.Contains(errors, "standard input");
    }

    [TestMethod]
    public async Task MBusDecode_MissingFile_ExitsTwo()
    {
        using var folder = new TempFolder();

        (int exitCode, _, string errors) = await RunAsync(null, "mbus", "decode", folder.File("nope.hex"));

        Assert.AreEqual(2, exitCode, errors);
        StringAssert.Contains(errors, "cannot read");
    }

    private static string? CorpusDirectory()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "nano.sln")))
            {
                string corpus = Path.GetFullPath(Path.Combine(dir.FullName, "..", "shared", "corpora", "libmbus"));
                return Directory.Exists(Path.Combine(corpus, "test-frames")) ? corpus : null;
            }
        }

        return null;
    }

    /// <summary>Runs the sc-edge the test project builds, with <paramref name="input"/> on its standard input; waits at most a minute.</summary>
    private static async Task<(int ExitCode, string Output, string Errors)> RunAsync(string? input, params string[] arguments)
    {
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(ScEdgeProcess.DllPath);
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using Process process = Process.Start(start)!;
        Task<string> output = process.StandardOutput.ReadToEndAsync();
        Task<string> errors = process.StandardError.ReadToEndAsync();
        if (input is not null)
        {
            await process.StandardInput.WriteAsync(input);
        }

        process.StandardInput.Close();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await output, await errors);
    }
}
