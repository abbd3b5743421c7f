namespace SmartCommunity.Edge.Layout;

using SmartCommunity.Edge.Configuration;

/// <summary>A layout file that cannot be used: says which file, where, what is wrong and how to fix it.</summary>
public sealed class LayoutException(string file, long line, long column, string reason) : ConfigFileException(file, line, column, reason);
