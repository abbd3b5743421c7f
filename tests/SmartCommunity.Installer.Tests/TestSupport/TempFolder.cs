namespace SmartCommunity.Installer.Tests.TestSupport;

using System;
using System.IO;
using Microsoft.Data.Sqlite;

/// <summary>A fresh folder per test (the edge's SQLite file, bundles, labels, reports), deleted afterwards.</summary>
internal sealed class TempFolder : IDisposable
{
    public TempFolder()
    {
        Path = Directory.CreateTempSubdirectory("sc-installer-tests-").FullName;
    }

    public string Path { get; }

    public string File(string name) => System.IO.Path.Combine(Path, name);

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(Path, recursive: true);
    }
}
