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
using Spectre.Console.Cli;

/// <summary>
/// <c>sc-edge mbus decode FILE</c>: decodes one wired M-Bus frame written as hex text and prints it as JSON
/// (hardware-docs/mbus.md §5). Exit 0: decoded; 1: the frame is bad (the reason on stderr); 2: the file cannot be read.
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
    }

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
        var telegram = new MBusTelegram();
        MBusError? error = hexError ?? MBusDecoder.DecodeFrame(frame!, 0, frame!.Length, telegram);
        if (error is not null)
        {
            await Console.Error.WriteLineAsync($"mbus decode: bad frame in {Name(settings.File)}: {error}").ConfigureAwait(false);
            return 1;
        }

        // Built whole before anything is printed, so a failure never leaves half a JSON document on stdout.
        var json = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(json, new JsonWriterOptions { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            MBusJson.WriteTelegram(writer, telegram);
        }

        using Stream stdout = Console.OpenStandardOutput();
        await stdout.WriteAsync(json.WrittenMemory, cancellationToken).ConfigureAwait(false);
        await stdout.WriteAsync("\n"u8.ToArray(), cancellationToken).ConfigureAwait(false);
        return 0;
    }

    /// <summary>
    /// The command-line parser takes a lone "-" for an option without a name, so Program.cs passes the arguments
    /// through here first: "mbus decode -" becomes the standard-input marker this command reads.
    /// </summary>
    private static string Name(string file) => file == StandardInputMarker ? "standard input" : file;

    public static string[] MarkStandardInput(string[] args)
    {
        ArgumentNullException.ThrowIfNull(args);
        if (args.Length == 3 && args[0] == "mbus" && args[1] == "decode" && args[2] == "-")
        {
            return ["mbus", "decode", StandardInputMarker];
        }

        return args;
    }
}
