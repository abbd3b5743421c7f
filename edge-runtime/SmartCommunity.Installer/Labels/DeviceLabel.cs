namespace SmartCommunity.Installer.Labels;

using System;
using System.Collections;
using System.Collections.Generic;
using System.IO;
using QRCoder;
using SmartCommunity.Edge.Layout;

/// <summary>A rendered label: the PNG, its size, what the QR code says and the QR's module matrix (quiet zone included).</summary>
public sealed record LabelImage(byte[] Png, int Width, int Height, string QrContent, IReadOnlyList<BitArray> Modules);

/// <summary>
/// The device's label (hardware-docs/installer-guide.md, "Labelling"): a QR code that says which device this is
/// (<c>sc:SITE/BUILDING/ID</c>, never a secret: the label is on the wall for anyone to read), the id in large
/// letters for a person on a ladder, and the site and building under it. The QR's modules come from QRCoder; the
/// picture is composed and encoded here (QRCoder's own PNG writer draws the code only, no text).
/// </summary>
public static class DeviceLabel
{
    public const int ModulePixels = 8;
    public const int IdScale = 4;
    public const int SubtitleScale = 2;
    public const int Margin = 16;
    public const int LineGap = 12;

    /// <summary>Error correction level M: about 15 % of the code may be scuffed or dirty and it still reads.</summary>
    public const QRCodeGenerator.ECCLevel Correction = QRCodeGenerator.ECCLevel.M;

    public static string QrContentOf(DeviceDefinition device) => $"sc:{device.Site}/{device.Building}/{device.Id}";

    public static LabelImage Render(DeviceDefinition device)
    {
        string content = QrContentOf(device);
        using var generator = new QRCodeGenerator();
        using QRCodeData code = generator.CreateQrCode(content, Correction);
        List<BitArray> modules = code.ModuleMatrix;
        int qrPixels = modules.Count * ModulePixels;

        string subtitle = $"{device.Site} / {device.Building}";
        int idWidth = BitmapFont.MeasureWidth(device.Id, IdScale);
        int subtitleWidth = BitmapFont.MeasureWidth(subtitle, SubtitleScale);
        int width = Math.Max(qrPixels, Math.Max(idWidth, subtitleWidth)) + (2 * Margin);
        int idTop = Margin + qrPixels + LineGap;
        int subtitleTop = idTop + (BitmapFont.Height * IdScale) + LineGap;
        int height = subtitleTop + (BitmapFont.Height * SubtitleScale) + Margin;

        byte[] pixels = new byte[width * height];
        Array.Fill(pixels, (byte)255);
        int qrLeft = (width - qrPixels) / 2;
        for (int row = 0; row < modules.Count; row++)
        {
            for (int col = 0; col < modules[row].Count; col++)
            {
                if (modules[row][col])
                {
                    BitmapFont.Fill(pixels, width, qrLeft + (col * ModulePixels), Margin + (row * ModulePixels), ModulePixels, ModulePixels);
                }
            }
        }

        BitmapFont.Draw(pixels, width, device.Id, (width - idWidth) / 2, idTop, IdScale);
        BitmapFont.Draw(pixels, width, subtitle, (width - subtitleWidth) / 2, subtitleTop, SubtitleScale);
        var copy = new List<BitArray>(modules.Count);
        foreach (BitArray row in modules)
        {
            copy.Add(new BitArray(row));
        }

        return new LabelImage(PngWriter.Encode(pixels, width, height), width, height, content, copy);
    }

    /// <summary><c>sc-installer label</c>: the device of the layout, rendered and written to <paramref name="output"/>.</summary>
    public static LabelImage Write(string? layoutPath, string? deviceId, string? output)
    {
        BuildingLayout layout = LayoutDevices.Load(layoutPath);
        DeviceDefinition device = LayoutDevices.Find(layout, layoutPath!, deviceId);
        if (string.IsNullOrWhiteSpace(output) || !output.EndsWith(".png", StringComparison.OrdinalIgnoreCase))
        {
            throw new InstallerProblem(InstallerExit.BadInput, $"--out '{output}' is not a .png file name",
                $"give where to write the label, e.g. --out labels/{device.Id}.png");
        }

        LabelImage label = Render(device);
        try
        {
            string? folder = Path.GetDirectoryName(Path.GetFullPath(output));
            if (folder is not null)
            {
                Directory.CreateDirectory(folder);
            }

            File.WriteAllBytes(output, label.Png);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new InstallerProblem(InstallerExit.CannotWrite, $"cannot write {output} ({ex.Message})", "choose a folder you may write to with --out");
        }

        return label;
    }
}
