namespace SmartCommunity.Edge.Tests.Access;

using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using SmartCommunity.Protocol;

/// <summary>
/// A door controller's allow-list table as the access contract describes it, for the edge's tests: commands are
/// decoded by the device's own <see cref="CommandDecoder"/> (so the edge's payloads must be what a door accepts), then
/// applied. A full list's part 1 clears the table and the version reads 0 until its last part; a part out of order or
/// a delta on another base is refused version-mismatch; entries that do not fit are not stored and the command is
/// refused list-full, keeping what the table had. An add replaces the entry of the same card.
/// </summary>
internal sealed class DoorTable(int capacity = 500)
{
    private readonly CommandDecoder _decoder = new();
    private readonly Command _command = new();
    private long _assembling;
    private long _nextPart;

    public long Version { get; private set; }

    public bool Full { get; private set; }

    /// <summary>The edge's wall clock as the last command gave it.</summary>
    public long Now { get; private set; }

    public Dictionary<string, (long From, long To)> Entries { get; } = new(StringComparer.Ordinal);

    /// <summary>Command ids already answered.</summary>
    public HashSet<string> Answered { get; } = new(StringComparer.Ordinal);

    public string Text => string.Join(";", Entries.OrderBy(e => e.Key.Length).ThenBy(e => e.Key, StringComparer.Ordinal).Select(e => $"{e.Key}:{e.Value.From}:{e.Value.To}"));

    public Applied Apply(byte[] payload)
    {
        CommandRejection decoded = _decoder.Decode(payload, payload.Length, _command);
        Assert.AreEqual(CommandRejection.None, decoded, $"the door's decoder refuses {Encoding.UTF8.GetString(payload)}");
        Assert.AreEqual(CommandKind.AllowList, _command.Kind);
        string id = Encoding.ASCII.GetString(_command.Id, 0, _command.IdLength);
        string add = Encoding.ASCII.GetString(_command.Add, 0, _command.AddLength);
        string remove = Encoding.ASCII.GetString(_command.Remove, 0, _command.RemoveLength);
        Now = _command.NowUnixSeconds;
        var applied = new Applied(id, _command.FullList, _command.ListVersion, _command.Part, _command.Parts, _command.BaseVersion, add, remove, payload.Length, null);
        if (_command.FullList)
        {
            if (_command.Part == 1)
            {
                Entries.Clear();
                Version = 0;
                _assembling = _command.ListVersion;
                _nextPart = 1;
            }
            else if (_assembling != _command.ListVersion || _command.Part != _nextPart)
            {
                return applied with { Reason = "version-mismatch" };
            }

            if (!Add(add))
            {
                return applied with { Reason = "list-full" };
            }

            _nextPart++;
            if (_command.Part == _command.Parts)
            {
                Version = _command.ListVersion;
            }

            return applied;
        }

        if (_command.BaseVersion != Version)
        {
            return applied with { Reason = "version-mismatch" };
        }

        foreach (string card in remove.Split(';', StringSplitOptions.RemoveEmptyEntries))
        {
            Entries.Remove(card);
        }

        if (!Add(add))
        {
            return applied with { Reason = "list-full" };
        }

        Version = _command.ListVersion;
        return applied;
    }

    private bool Add(string add)
    {
        foreach (string entry in add.Split(';', StringSplitOptions.RemoveEmptyEntries))
        {
            string[] parts = entry.Split(':');
            Assert.HasCount(3, parts, entry);
            if (!Entries.ContainsKey(parts[0]) && Entries.Count >= capacity)
            {
                Full = true;
                return false;
            }

            Entries[parts[0]] = (long.Parse(parts[1], CultureInfo.InvariantCulture), long.Parse(parts[2], CultureInfo.InvariantCulture));
        }

        return true;
    }

    /// <summary>One allow-list command as the door saw it, and its answer (null reason = done).</summary>
    public sealed record Applied(string Id, bool FullList, long Version, long Part, long Parts, long Base, string Add, string Remove, int Bytes, string? Reason);
}
