namespace SmartCommunity.Simulator.Hil;

using SmartCommunity.Edge.Configuration;

/// <summary>A HIL pin map that cannot be used: which file, where, what is wrong and how to fix it.</summary>
public sealed class PinMapException(string file, long line, long column, string reason) : ConfigFileException(file, line, column, reason);
