namespace SmartCommunity.Edge.Cli;

using System;
using System.Buffers;
using System.ComponentModel;
using System.IO;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using SmartCommunity.Edge.Metering;
using SmartCommunity.Protocol.MBus;
using SmartCommunity.Protocol.WirelessMBus;
using Spectre.Console;
using Spectre.Console.Cli;

/// <summary>
/// <c>sc-edge mbus decode FILE [--wireless A|B|no-crc [--key HEX]]</c>: decodes one wired M-Bus frame (hardware-docs/mbus.md
/// §5), or one wireless M-Bus telegram (hardware-docs/wireless-mbus.md), written as hex text, and prints it as JSON.
/// Exit 0: decoded; 1: the frame is bad (the reason on stderr); 2: the file cannot be read or the options are wrong;
/// 3: a wireless telegram that is encrypted without its key, undecryptable with the key given, or in a security mode
/// not supported (its link fields are printed, never records).
/// </summary>
public sealed class MBusDecodeCommand : AsyncCommand<MBusDecodeCommand.Settings>
{
    /// <summary>What "-" is turned into before parsing (see <see cref="MarkStandardInput"/>); no file has this name.</summary>
    public const string StandardInputMarker = "\0stdin";

    public sealed class Settings : CommandSettings
    {
        [CommandArgument(0, "<FILE>")]
        [Description("A frame as hex text (spaces and newlines allowed), e.g. 68 1F 1F 68 08 ... 16; - reads standard input.")]
        public string File { get; init; } = "";

        [CommandOption("--wireless <FORMAT>")]
        [Description("Decode a wireless M-Bus (EN 13757-4) telegram in frame format A, B, or no-crc (CRCs already removed by the radio module).")]
        public string? Wireless { get; init; }

        [CommandOption("--key <HEX>")]
        [Description("The meter's AES-128 key (32 hex digits) for OMS security mode 5; wireless only.")]
        public string? Key { get; init; }

        public override ValidationResult Validate()
        {
            if (Wireless is not null && ParseFormat(Wireless) is null)
            {
                return ValidationResult.Error($"--wireless '{Wireless}' is not a frame format: use A, B or no-crc");
            }

            if (Key is not null && Wireless is null)
            {
                return ValidationResult.Error("--key is for wireless telegrams: add --wireless A (or B, no-crc)");
            }

            if (Key is not null && !WirelessMBusKeyTable.TryParseKey(Key, new byte[16], 0))
            {
                return ValidationResult.Error("--key must be 32 hexadecimal digits (an AES-128 key)");
            }

            return ValidationResult.Success();
        }
    }

    /// <summary>Exit code of a wireless telegram that was read but not decoded (encrypted, undecryptable, unsupported mode).</summary>
    public const int NotDecoded = 3;

    public static WirelessMBusFrameFormat? ParseFormat(string text) => text.ToUpperInvariant() switch
    {
        "A" => WirelessMBusFrameFormat.A,
        "B" => WirelessMBusFrameFormat.B,
        "NO-CRC" => WirelessMBusFrameFormat.WithoutCrc,
        _ => null,
    };

    public override async Task<int> ExecuteAsync(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        string text;
        try
        {
            text = settings.File == StandardInputMarker
                ? await Console.In.ReadToEndAsync(cancellationToken).ConfigureAwait(false)
                : await File.ReadAllTextAsync(settings.File, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            await Console.Error.WriteLineAsync($"mbus decode: cannot read {Name(settings.File)}: {ex.Message}").ConfigureAwait(false);
            return 2;
        }

        byte[]? frame = MBusHexText.Parse(text, out MBusError? hexError);
        if (settings.Wireless is not null && hexError is null)
        {
            return await DecodeWirelessAsync(frame!, settings, cancellationToken).ConfigureAwait(false);
        }

        var telegram = new MBusTelegram();
        MBusError? error = hexError ?? MBusDecoder.DecodeFrame(frame!, 0, frame!.Length, telegram);
        if (error is not null)
        {
            await Console.Error.WriteLineAsync($"mbus decode: bad frame in {Name(settings.File)}: {error}").ConfigureAwait(false);
            return 1;
        }

        await PrintAsync(writer => MBusJson.WriteTelegram(writer, telegram), cancellationToken).ConfigureAwait(false);
        return 0;
    }

    private static async Task<int> DecodeWirelessAsync(byte[] frame, Settings settings, CancellationToken cancellationToken)
    {
        WirelessMBusFrameFormat format = ParseFormat(settings.Wireless!)!.Value;
        var keys = new WirelessMBusKeyTable(1);
        var decoder = new WirelessMBusDecoder(keys);
        WirelessMBusTelegram telegram = decoder.Decode(frame, format);
        if (settings.Key is not null && telegram.Result == WirelessMBusResult.Encrypted)
        {
            // The key is the meter's: which meter is known only once the addresses are read, so decode again with it.
            byte[] key = new byte[16];
            WirelessMBusKeyTable.TryParseKey(settings.Key, key, 0);
            keys.Set(telegram.MeterManufacturerCode, telegram.MeterId, key, 0);
            telegram = decoder.Decode(frame, format);
        }

        if (telegram.Result is WirelessMBusResult.LengthError or WirelessMBusResult.CrcError or WirelessMBusResult.MalformedHeader
            or WirelessMBusResult.UnsupportedCi)
        {
            await Console.Error.WriteLineAsync($"mbus decode: bad wireless telegram in {Name(settings.File)}: {WirelessMBusResultNames.Name(telegram.Result)}: {telegram.Reason}")
                .ConfigureAwait(false);
            return 1;
        }

        MBusTelegram? records = null;
        if (telegram.IsDecoded)
        {
            records = new MBusTelegram();
            if (WirelessMBusJson.DecodeRecords(telegram, records) is { } error)
            {
                await Console.Error.WriteLineAsync($"mbus decode: bad records in the wireless telegram in {Name(settings.File)}: {error}").ConfigureAwait(false);
                return 1;
            }
        }

        await PrintAsync(writer => WirelessMBusJson.WriteTelegram(writer, telegram, records), cancellationToken).ConfigureAwait(false);
        return telegram.IsDecoded ? 0 : NotDecoded;
    }

    // Built whole before anything is printed, so a failure never leaves half a JSON document on stdout.
    private static async Task PrintAsync(Action<Utf8JsonWriter> write, CancellationToken cancellationToken)
    {
        var json = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(json, new JsonWriterOptions { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            write(writer);
        }

        using Stream stdout = Console.OpenStandardOutput();
        await stdout.WriteAsync(json.WrittenMemory, cancellationToken).ConfigureAwait(false);
        await stdout.WriteAsync("\n"u8.ToArray(), cancellationToken).ConfigureAwait(false);
    }

    private static string Name(string file) => file == StandardInputMarker ? "standard input" : file;

    /// <summary>
    /// The command-line parser takes a lone "-" for an option without a name, so Program.cs passes the arguments
    /// through here first: "mbus decode -" becomes the standard-input marker this command reads.
    /// </summary>
    public static string[] MarkStandardInput(string[] args)
    {
        ArgumentNullException.ThrowIfNull(args);
        if (args.Length >= 3 && args[0] == "mbus" && args[1] == "decode" && args[2] == "-")
        {
            string[] marked = (string[])args.Clone();
            marked[2] = StandardInputMarker;
            return marked;
        }

        return args;
    }
}
