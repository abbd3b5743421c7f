namespace SmartCommunity.Installer;

/// <summary>
/// sc-installer's exit codes, one per kind of trouble, so a script (or the installer's phone app) can tell "fix
/// the layout" from "the edge is down" without reading the text. Listed in hardware-docs/installer-guide.md.
/// </summary>
public static class InstallerExit
{
    public const int Ok = 0;

    /// <summary>commission: a check failed (device offline, self-test failed, a reading out of range).</summary>
    public const int CheckFailed = 1;

    /// <summary>A bad argument or input file: the layout, the device id, a URL, a bundle.</summary>
    public const int BadInput = 2;

    /// <summary>The edge's HTTP API did not answer.</summary>
    public const int EdgeUnreachable = 3;

    /// <summary>The edge refused the token (unknown, revoked) or its role may not do this.</summary>
    public const int NotAuthorised = 4;

    /// <summary>provision: the device already has credentials and --rotate was not given.</summary>
    public const int AlreadyProvisioned = 5;

    /// <summary>The edge answered but refused the request (e.g. the registry's own checks).</summary>
    public const int EdgeRefused = 6;

    /// <summary>flash: nanoff is not on the PATH.</summary>
    public const int NanoffMissing = 7;

    /// <summary>flash: nanoff ran and failed.</summary>
    public const int NanoffFailed = 8;

    /// <summary>Writing an output file failed (permissions, disk full).</summary>
    public const int CannotWrite = 9;
}
