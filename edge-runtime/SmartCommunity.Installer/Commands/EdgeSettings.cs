namespace SmartCommunity.Installer.Commands;

using System;
using System.ComponentModel;
using Spectre.Console.Cli;

/// <summary>The edge's address and the operator token, shared by the commands that talk to the edge.</summary>
public class EdgeSettings : CommandSettings
{
    /// <summary>Read when --token is not given, so the token need not appear in the shell's history.</summary>
    public const string TokenVariable = "SC_INSTALLER_TOKEN";

    [CommandOption("--edge <URL>")]
    [Description("The edge's HTTP API, e.g. http://192.168.10.2:8080.")]
    public string? Edge { get; init; }

    [CommandOption("--token <TOKEN>")]
    [Description("An installer's or admin's operator token (default: $SC_INSTALLER_TOKEN).")]
    public string? Token { get; init; } = Environment.GetEnvironmentVariable(TokenVariable);
}
