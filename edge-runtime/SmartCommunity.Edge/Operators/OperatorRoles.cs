namespace SmartCommunity.Edge.Operators;

using System.Collections.Generic;
using System.Security.Claims;

/// <summary>
/// What an operator may do beyond reading and the everyday actions. Two roles for now: <c>operator</c> (the default:
/// acknowledge, reset, command) and <c>admin</c>, who may also force a fire reset past a detector that is offline
/// (hardware-docs/safety.md §5). The authenticated principal carries the role as a <see cref="ClaimTypes.Role"/> claim.
/// </summary>
public static class OperatorRoles
{
    public const string Operator = "operator";

    public const string Admin = "admin";

    /// <summary>The roles this edge knows, in order of what they may do.</summary>
    public static readonly IReadOnlyList<string> All = [Operator, Admin];

    public static string? WhyInvalid(string role) =>
        role is Operator or Admin ? null : $"unknown role '{role}'; use {string.Join(" or ", All)}";

    public static bool IsAdmin(ClaimsPrincipal user) => user.IsInRole(Admin);
}

/// <summary>Who a live token belongs to, and the role they were given.</summary>
public sealed record OperatorIdentity(string Name, string Role);
