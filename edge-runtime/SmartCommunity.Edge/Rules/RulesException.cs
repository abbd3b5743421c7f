namespace SmartCommunity.Edge.Rules;

using SmartCommunity.Edge.Configuration;

/// <summary>A rules file that cannot be used: which file, where (line and column, 1-based; 0 when unknown) and why.</summary>
public sealed class RulesException(string file, long line, long column, string reason) : ConfigFileException(file, line, column, reason);
