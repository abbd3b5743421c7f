namespace SmartCommunity.Edge.Relays;

using SmartCommunity.Edge.Configuration;

/// <summary>A relays file that cannot be used (file, line, column, reason).</summary>
public sealed class RelayConfigException(string file, long line, long column, string reason) : ConfigFileException(file, line, column, reason);
