namespace SmartCommunity.Simulator.Scenarios;

using SmartCommunity.Edge.Configuration;

/// <summary>A scenario file that cannot run: which file, where (line and column, 1-based), what is wrong and how to fix it.</summary>
public sealed class ScenarioException(string file, long line, long column, string reason) : ConfigFileException(file, line, column, reason);
