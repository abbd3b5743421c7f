namespace SmartCommunity.Installer.Commissioning;

using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

/// <summary>
/// The building's commissioning report (hardware-docs/installer-guide.md, "The report"), one pair of files per
/// building in the report folder: <c>commissioning-BUILDING.md</c> for people and <c>commissioning-BUILDING.json</c>
/// for tools, each with one entry appended per device commissioned (a device commissioned twice appears twice:
/// the report is a record of what was seen when, not a current state).
/// </summary>
public static class CommissioningReport
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    public static string MarkdownPath(string folder, string building) => Path.Combine(folder, $"commissioning-{building}.md");

    public static string JsonPath(string folder, string building) => Path.Combine(folder, $"commissioning-{building}.json");

    public static void Append(string folder, CommissioningResult result)
    {
        try
        {
            Directory.CreateDirectory(folder);
            AppendJson(JsonPath(folder, result.Building), result);
            AppendMarkdown(MarkdownPath(folder, result.Building), result);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new InstallerProblem(InstallerExit.CannotWrite, $"cannot write the commissioning report in {folder} ({ex.Message})",
                "choose a folder you may write to with --report");
        }
    }

    private static void AppendJson(string path, CommissioningResult result)
    {
        JsonObject document;
        if (File.Exists(path))
        {
            try
            {
                document = JsonNode.Parse(File.ReadAllText(path)) as JsonObject ?? throw new JsonException("not an object");
            }
            catch (JsonException ex)
            {
                throw new InstallerProblem(InstallerExit.BadInput, $"{path} is not a commissioning report ({ex.Message})",
                    "move that file away (it may have been edited by hand) and commission again; the Markdown report next to it is kept");
            }
        }
        else
        {
            document = new JsonObject { ["site"] = result.Site, ["building"] = result.Building, ["devices"] = new JsonArray() };
        }

        if (document["devices"] is not JsonArray devices)
        {
            devices = [];
            document["devices"] = devices;
        }

        JsonNode entry = JsonSerializer.SerializeToNode(new
        {
            device = result.Device,
            kind = result.Kind,
            firmware = result.Firmware,
            by = result.By,
            at = result.At.ToString("O", CultureInfo.InvariantCulture),
            result = result.Passed ? "pass" : "fail",
            checks = result.Checks,
        }, Json)!;
        devices.Add(entry);

        string temporary = path + ".tmp";
        File.WriteAllText(temporary, document.ToJsonString(Json));
        File.Move(temporary, path, overwrite: true);
    }

    private static void AppendMarkdown(string path, CommissioningResult result)
    {
        var text = new StringBuilder();
        if (!File.Exists(path))
        {
            text.Append(CultureInfo.InvariantCulture, $"# Commissioning report: building {result.Building}, site {result.Site}\n\n");
            text.Append("One section per device commissioned, newest last. Written by `sc-installer commission`.\n");
        }

        text.Append(CultureInfo.InvariantCulture, $"\n## {result.Device}: {(result.Passed ? "PASS" : "FAIL")}\n\n");
        text.Append(CultureInfo.InvariantCulture,
            $"- when: {result.At.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture)} UTC\n- by: {result.By}\n- kind: {result.Kind}\n- firmware: {result.Firmware ?? "unknown"}\n\n");
        text.Append("| check | result | seen | expected |\n|---|---|---|---|\n");
        foreach (CommissioningCheck check in result.Checks)
        {
            text.Append(CultureInfo.InvariantCulture, $"| {Cell(check.Name)} | {(check.Passed ? "pass" : "**FAIL**")} | {Cell(check.Seen)} | {Cell(check.Expected)} |\n");
        }

        File.AppendAllText(path, text.ToString());
    }

    private static string Cell(string text) => text.Replace("|", "\\|", StringComparison.Ordinal).Replace('\n', ' ');
}
