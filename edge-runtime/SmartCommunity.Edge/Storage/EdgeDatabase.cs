namespace SmartCommunity.Edge.Storage;

using System.IO;
using Microsoft.Data.Sqlite;

/// <summary>
/// The edge keeps its other tables (registry, twins, alerts, rule timers, operators, relay cursors) in edge.db beside
/// the event log. Each part opens its own short-lived connection here: unpooled, so the file can be moved or deleted
/// once the edge stops, and with a busy timeout, so a write waits for the event log's group commit instead of failing.
/// Keep their transactions short: they share SQLite's one write lock with the commits that PUBACKs wait for.
/// </summary>
public static class EdgeDatabase
{
    public static SqliteConnection Open(string databasePath)
    {
        string? folder = Path.GetDirectoryName(Path.GetFullPath(databasePath));
        if (folder is not null)
        {
            Directory.CreateDirectory(folder);
        }

        var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = databasePath, Pooling = false }.ToString());
        connection.Open();
        using SqliteCommand pragma = connection.CreateCommand();
        pragma.CommandText = "PRAGMA busy_timeout=5000;";
        pragma.ExecuteNonQuery();
        return connection;
    }
}
