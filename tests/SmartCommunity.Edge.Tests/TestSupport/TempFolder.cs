namespace SmartCommunity.Edge.Tests.TestSupport;

using System;
using System.IO;
using Microsoft.Data.Sqlite;

/// <summary>A fresh folder per test for the SQLite file, deleted afterwards.</summary>
internal sealed class TempFolder : IDisposable
{
    public TempFolder()
    {
        Path = Directory.CreateTempSubdirectory("sc-edge-tests-").FullName;
    }

    public string Path { get; }

    public string File(string name) => System.IO.Path.Combine(Path, name);

    public void Dispose()
    {
        // The event log opens its connections unpooled; clearing the pools covers any a test opened itself.
        SqliteConnection.ClearAllPools();
        Directory.Delete(Path, recursive: true);
    }
}
