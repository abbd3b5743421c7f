namespace SmartCommunity.Installer.Tests.Labels;

using System;
using System.Buffers.Binary;
using System.IO;
using System.Linq;
using System.Text;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using SmartCommunity.Edge.Layout;
using SmartCommunity.Installer.Labels;
using SmartCommunity.Installer.Tests.TestSupport;
using StbImageSharp;
using ZXing;
using ZXing.Common;

/// <summary>The label is checked by decoding it as a phone would: the PNG with an independent decoder, the QR code with ZXing.</summary>
[TestClass]
public sealed class DeviceLabelTests
{
    [TestMethod]
    public void Render_Door_PngDecodesAndItsQrCodeReadsSiteBuildingAndId()
    {
        DeviceDefinition door = LayoutLoader.Load(InstallerRig.LayoutPath).DevicesById[InstallerRig.Door];

        LabelImage label = DeviceLabel.Render(door);

        ImageResult image = ImageResult.FromMemory(label.Png, ColorComponents.Grey);
        Assert.AreEqual(label.Width, image.Width);
        Assert.AreEqual(label.Height, image.Height);
        var reader = new BarcodeReaderGeneric { Options = new DecodingOptions { PossibleFormats = [BarcodeFormat.QR_CODE], TryHarder = true } };
        Result? decoded = reader.Decode(new RGBLuminanceSource(image.Data, image.Width, image.Height, RGBLuminanceSource.BitmapFormat.Gray8));
        Assert.IsNotNull(decoded, "ZXing finds and reads the QR code");
        Assert.AreEqual("sc:riverside/b1/b1-lobby-entrance", decoded.Text);
    }

    [TestMethod]
    public void Render_Door_QrContentHoldsNoSecretAndPngHeaderIsValid()
    {
        DeviceDefinition door = LayoutLoader.Load(InstallerRig.LayoutPath).DevicesById[InstallerRig.Door];

        LabelImage label = DeviceLabel.Render(door);

        CollectionAssert.AreEqual(PngWriter.Signature, label.Png.Take(8).ToArray());
        Assert.AreEqual(13, BinaryPrimitives.ReadInt32BigEndian(label.Png.AsSpan(8)));
        Assert.AreEqual("IHDR", Encoding.ASCII.GetString(label.Png, 12, 4));
        Assert.AreEqual(label.Width, BinaryPrimitives.ReadInt32BigEndian(label.Png.AsSpan(16)));
        Assert.AreEqual(label.Height, BinaryPrimitives.ReadInt32BigEndian(label.Png.AsSpan(20)));
        Assert.AreEqual("IEND", Encoding.ASCII.GetString(label.Png, label.Png.Length - 8, 4));
        Assert.DoesNotContain("password", label.QrContent);
    }

    [TestMethod]
    public void Render_Door_TextBandUnderTheCodeHasTheIdInk()
    {
        DeviceDefinition door = LayoutLoader.Load(InstallerRig.LayoutPath).DevicesById[InstallerRig.Door];

        LabelImage label = DeviceLabel.Render(door);

        ImageResult image = ImageResult.FromMemory(label.Png, ColorComponents.Grey);
        int idTop = DeviceLabel.Margin + (label.Modules.Count * DeviceLabel.ModulePixels) + DeviceLabel.LineGap;
        int idHeight = BitmapFont.Height * DeviceLabel.IdScale;
        byte[] expected = new byte[label.Width * label.Height];
        System.Array.Fill(expected, (byte)255);
        int idWidth = BitmapFont.MeasureWidth(door.Id, DeviceLabel.IdScale);
        BitmapFont.Draw(expected, label.Width, door.Id, (label.Width - idWidth) / 2, idTop, DeviceLabel.IdScale);
        int from = idTop * label.Width;
        int length = idHeight * label.Width;
        CollectionAssert.AreEqual(expected.Skip(from).Take(length).ToArray(), image.Data.Skip(from).Take(length).ToArray(), "the id is drawn in its band");
        Assert.IsGreaterThan(door.Id.Length * 10, image.Data.Skip(from).Take(length).Count(p => p == 0), "with ink for every character");
    }

    [TestMethod]
    public void Glyphs_AllFiveBySevenAndNoTwoAlike()
    {
        foreach (var glyph in BitmapFont.Glyphs)
        {
            Assert.HasCount(BitmapFont.Height, glyph.Value, $"'{glyph.Key}'");
            Assert.IsTrue(glyph.Value.All(row => row.Length == BitmapFont.Width && row.All(c => c is '#' or '.')), $"'{glyph.Key}'");
        }

        var shapes = BitmapFont.Glyphs.Select(g => string.Concat(g.Value)).ToList();
        Assert.HasCount(shapes.Count, shapes.Distinct());
    }

    [TestMethod]
    public void Glyphs_CoverEveryCharacterAnIdMayHave()
    {
        foreach (char c in "abcdefghijklmnopqrstuvwxyz0123456789-_")
        {
            Assert.IsTrue(BitmapFont.Glyphs.ContainsKey(c), $"'{c}'");
        }
    }

    [TestMethod]
    public void Write_DeviceNotInLayout_BadInputAndNoFile()
    {
        using var folder = new TempFolder();

        InstallerProblem problem = Assert.ThrowsExactly<InstallerProblem>(
            () => DeviceLabel.Write(InstallerRig.LayoutPath, "b9-nowhere", folder.File("label.png")));

        Assert.AreEqual(InstallerExit.BadInput, problem.ExitCode);
        Assert.IsFalse(File.Exists(folder.File("label.png")));
    }

    [TestMethod]
    public void Write_OutNotPng_BadInputNamingTheFix()
    {
        using var folder = new TempFolder();

        InstallerProblem problem = Assert.ThrowsExactly<InstallerProblem>(
            () => DeviceLabel.Write(InstallerRig.LayoutPath, InstallerRig.Door, folder.File("label.jpg")));

        StringAssert.Contains(problem.Fix, "b1-lobby-entrance.png");
    }
}
