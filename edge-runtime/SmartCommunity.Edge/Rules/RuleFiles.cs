namespace SmartCommunity.Edge.Rules;

using System.IO;

/// <summary>Where sc-edge looks for the rules file when --rules is not given.</summary>
public static class RuleFiles
{
    public const string DefaultName = "rules.yaml";

    /// <summary><c>rules.yaml</c> in the layout's folder when it exists; otherwise null (no rules file, no user rules).</summary>
    public static string? DefaultFor(string layoutPath)
    {
        string candidate = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(layoutPath)) ?? ".", DefaultName);
        return File.Exists(candidate) ? candidate : null;
    }
}
