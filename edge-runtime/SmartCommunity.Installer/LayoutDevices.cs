namespace SmartCommunity.Installer;

using System;
using System.Linq;
using SmartCommunity.Edge.Layout;

/// <summary>
/// The building layout as the edge reads it (<see cref="LayoutLoader"/>, hardware-docs/layout.md): the installer
/// takes each device's kind, role, pins and parameters from the same file, with the same checks, so a device is
/// never set up differently from how the edge expects it.
/// </summary>
public static class LayoutDevices
{
    public static BuildingLayout Load(string? path)
    {
        if (string.IsNullOrWhiteSpace(path))
        {
            throw new InstallerProblem(InstallerExit.BadInput, "--layout is missing",
                "give the building's layout file, the same one the edge runs with (e.g. --layout /etc/sc-edge/layout.yaml)");
        }

        try
        {
            return LayoutLoader.Load(path);
        }
        catch (LayoutException ex)
        {
            throw new InstallerProblem(InstallerExit.BadInput, $"the layout cannot be used: {ex.Message}",
                "fix the layout (hardware-docs/layout.md) and check it with 'sc-edge layout check FILE'");
        }
    }

    /// <summary>The device <paramref name="id"/> of the layout, or a problem naming the ids that look closest.</summary>
    public static DeviceDefinition Find(BuildingLayout layout, string path, string? id)
    {
        if (string.IsNullOrWhiteSpace(id))
        {
            throw new InstallerProblem(InstallerExit.BadInput, "--device is missing",
                $"give the device's id as the layout {path} names it ('sc-edge layout check {path}' lists them)");
        }

        if (layout.DevicesById.TryGetValue(id, out DeviceDefinition? device))
        {
            return device;
        }

        string[] near = layout.Devices
            .Select(d => d.Id)
            .Where(other => other.Contains(id, StringComparison.Ordinal) || id.Contains(other, StringComparison.Ordinal) || SharedPrefix(other, id) >= 3)
            .OrderByDescending(other => SharedPrefix(other, id))
            .Take(5)
            .ToArray();
        throw new InstallerProblem(InstallerExit.BadInput, $"device '{id}' is not in the layout {path}",
            (near.Length > 0 ? $"did you mean {string.Join(", ", near)}? " : "")
            + "check the id on the device's label or drawing; a new device must first be added to the layout (hardware-docs/layout.md)");
    }

    private static int SharedPrefix(string a, string b)
    {
        int n = 0;
        while (n < a.Length && n < b.Length && a[n] == b[n])
        {
            n++;
        }

        return n;
    }
}
