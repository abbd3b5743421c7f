namespace SmartCommunity.Edge.Operators;

using System.Collections.Generic;
using System.Security.Claims;

/// <summary>
/// What an operator may do (hardware-docs/security.md, "Operator roles"). Each role may do all that the ones before
/// it may: <c>viewer</c> reads; <c>operator</c> (the default) acknowledges, resets, commands, manages cards and
/// passes; <c>installer</c> also changes the device registry and issues device credentials; <c>admin</c> may also
/// force a fire reset past a detector that is offline (hardware-docs/safety.md §5). The authenticated principal
/// carries the role as a <see cref="ClaimTypes.Role"/> claim.
/// </summary>
public static class OperatorRoles
{
    public const string Viewer = "viewer";

    public const string Operator = "operator";

    public const string Installer = "installer";

    public const string Admin = "admin";

    /// <summary>The roles this edge knows, in order of what they may do.</summary>
    public static readonly IReadOnlyList<string> All = [Viewer, Operator, Installer, Admin];

    public static string? WhyInvalid(string role) =>
        Rank(role) >= 0 ? null : $"unknown role '{role}'; use {string.Join(", ", All)}";

    /// <summary>The role's place in <see cref="All"/>; -1 for an unknown role.</summary>
    public static int Rank(string role) => role switch
    {
        Viewer => 0,
        Operator => 1,
        Installer => 2,
        Admin => 3,
        _ => -1,
    };

    /// <summary>Whether <paramref name="user"/> has <paramref name="role"/> or one that may do more.</summary>
    public static bool HasAtLeast(ClaimsPrincipal user, string role)
    {
        int needed = Rank(role);
        foreach (Claim claim in user.FindAll(ClaimTypes.Role))
        {
            if (Rank(claim.Value) >= needed)
            {
                return true;
            }
        }

        return false;
    }

    public static bool IsAdmin(ClaimsPrincipal user) => user.IsInRole(Admin);
}

/// <summary>Who a live token belongs to, and the role they were given.</summary>
public sealed record OperatorIdentity(string Name, string Role);
