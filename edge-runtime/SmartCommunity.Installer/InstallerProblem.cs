namespace SmartCommunity.Installer;

using System;

/// <summary>
/// Something the installer must fix before the step can go on: what is wrong (naming where: the file, the device,
/// the edge's address) and how to fix it, with the exit code of its kind (<see cref="InstallerExit"/>).
/// </summary>
public sealed class InstallerProblem(int exitCode, string what, string fix) : Exception(what + "; " + fix)
{
    public int ExitCode { get; } = exitCode;

    public string What { get; } = what;

    public string Fix { get; } = fix;
}
