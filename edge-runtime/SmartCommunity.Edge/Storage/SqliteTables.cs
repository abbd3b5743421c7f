namespace SmartCommunity.Edge.Storage;

using System;
using System.Collections.Generic;
using System.Globalization;
using Microsoft.Data.Sqlite;

/// <summary>
/// A component's own tables in edge.db, on a connection of its own (<see cref="EdgeDatabase"/>): the schema is made
/// when it opens, and statements run one at a time under one lock, so they interleave safely with the event log's
/// group commits. Times are stored as round-trip ISO 8601 text.
/// </summary>
internal abstract class SqliteTables : IDisposable
{
    private readonly SqliteConnection _connection;
    private readonly object _lock = new();
    private bool _disposed;

    /// <param name="schema">CREATE ... IF NOT EXISTS statements, run at every open.</param>
    protected SqliteTables(string databasePath, string schema)
    {
        _connection = EdgeDatabase.Open(databasePath);
        try
        {
            Execute(schema);
        }
        catch
        {
            _connection.Dispose();
            throw;
        }
    }

    public void Dispose()
    {
        lock (_lock)
        {
            _disposed = true;
            _connection.Dispose();
        }
    }

    /// <summary>Runs one statement; returns the rows it changed.</summary>
    protected int Execute(string sql, params (string Name, object? Value)[] parameters)
    {
        lock (_lock)
        {
            using SqliteCommand command = Command(sql, parameters);
            return command.ExecuteNonQuery();
        }
    }

    /// <summary>Runs one statement and returns its first value (e.g. INSERT ... RETURNING id).</summary>
    protected object? Scalar(string sql, params (string Name, object? Value)[] parameters)
    {
        lock (_lock)
        {
            using SqliteCommand command = Command(sql, parameters);
            return command.ExecuteScalar();
        }
    }

    /// <summary>Runs <paramref name="work"/>'s statements (through <see cref="Run"/>) in one transaction.</summary>
    protected void InTransaction(Action<SqliteTransaction> work)
    {
        lock (_lock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            using SqliteTransaction transaction = _connection.BeginTransaction();
            work(transaction);
            transaction.Commit();
        }
    }

    /// <summary>One statement of an <see cref="InTransaction"/>.</summary>
    protected void Run(SqliteTransaction transaction, string sql, params (string Name, object? Value)[] parameters)
    {
        using SqliteCommand command = _connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        Bind(command, parameters);
        command.ExecuteNonQuery();
    }

    protected void Read(string sql, Action<SqliteDataReader> row, params (string Name, object? Value)[] parameters)
    {
        lock (_lock)
        {
            using SqliteCommand command = Command(sql, parameters);
            using SqliteDataReader reader = command.ExecuteReader();
            while (reader.Read())
            {
                row(reader);
            }
        }
    }

    /// <summary>The rows, each made by <paramref name="row"/>; none once the store is closed (the edge stopping while a timer still asks).</summary>
    protected List<T> ReadAll<T>(string sql, Func<SqliteDataReader, T> row, params (string Name, object? Value)[] parameters)
    {
        lock (_lock)
        {
            if (_disposed)
            {
                return [];
            }

            using SqliteCommand command = Command(sql, parameters);
            using SqliteDataReader reader = command.ExecuteReader();
            var rows = new List<T>();
            while (reader.Read())
            {
                rows.Add(row(reader));
            }

            return rows;
        }
    }

    protected static string? Text(DateTimeOffset? time) => time?.ToString("O", CultureInfo.InvariantCulture);

    protected static DateTimeOffset Time(string text) => DateTimeOffset.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind);

    protected static string? NullableString(SqliteDataReader reader, int column) => reader.IsDBNull(column) ? null : reader.GetString(column);

    protected static DateTimeOffset? NullableTime(SqliteDataReader reader, int column) => reader.IsDBNull(column) ? null : Time(reader.GetString(column));

    // Called under the lock.
    private SqliteCommand Command(string sql, (string Name, object? Value)[] parameters)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        SqliteCommand command = _connection.CreateCommand();
        command.CommandText = sql;
        Bind(command, parameters);
        return command;
    }

    private static void Bind(SqliteCommand command, (string Name, object? Value)[] parameters)
    {
        foreach ((string name, object? value) in parameters)
        {
            command.Parameters.AddWithValue(name, value ?? DBNull.Value);
        }
    }
}
