namespace SmartCommunity.Edge.Http;

using System.Collections.Concurrent;
using System.Collections.Generic;

/// <summary>What the API itself has counted since start: refused requests without a valid token, by reason.</summary>
public sealed class ApiCounters
{
    private readonly ConcurrentDictionary<string, long> _unauthorized = new();

    public IReadOnlyDictionary<string, long> UnauthorizedByReason => new Dictionary<string, long>(_unauthorized);

    public void CountUnauthorized(string reason) => _unauthorized.AddOrUpdate(reason, 1, (_, n) => n + 1);
}
