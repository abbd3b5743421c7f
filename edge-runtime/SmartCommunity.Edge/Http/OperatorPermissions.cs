namespace SmartCommunity.Edge.Http;

using System;
using System.Collections.Generic;
using Microsoft.AspNetCore.Http;
using SmartCommunity.Edge.Operators;

/// <summary>
/// The least role each route needs (hardware-docs/security.md, "Operator roles"). Reading is for every role; each
/// route that changes something is listed here by method and route pattern. A changing route missing from the
/// table needs <c>admin</c>, so a route added later is closed until someone decides who may use it (a test fails
/// until then). Forcing a fire reset is checked in the handler, since it is the body that asks for it.
/// </summary>
public static class OperatorPermissions
{
    /// <summary>Every changing route and the least role it needs.</summary>
    public static readonly IReadOnlyDictionary<string, string> Changes = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
    {
        ["POST /alarms/{id}/ack"] = OperatorRoles.Operator,
        ["POST /alarms/{id}/clear"] = OperatorRoles.Operator,
        ["POST /buildings/{building}/fire/reset"] = OperatorRoles.Operator,
        ["POST /devices/{id}/commands"] = OperatorRoles.Operator,
        ["POST /calls/{device}/{call}/ack"] = OperatorRoles.Operator,
        ["PUT /access/cards/{card}"] = OperatorRoles.Operator,
        ["DELETE /access/cards/{card}"] = OperatorRoles.Operator,
        ["DELETE /access/cards/{card}/passback"] = OperatorRoles.Operator,
        ["POST /parking/passes"] = OperatorRoles.Operator,
        ["DELETE /parking/passes/{code}"] = OperatorRoles.Operator,
        ["POST /parking/{carPark}/count"] = OperatorRoles.Operator,
        ["PUT /parking/{carPark}/reservations/{card}"] = OperatorRoles.Operator,
        ["DELETE /parking/{carPark}/reservations/{card}"] = OperatorRoles.Operator,
        ["POST /meters/{id}/replacement"] = OperatorRoles.Operator,
        ["PUT /registry/devices/{id}"] = OperatorRoles.Installer,
        ["DELETE /registry/devices/{id}"] = OperatorRoles.Installer,
        ["POST /registry/devices/{id}/credentials"] = OperatorRoles.Installer,
        ["POST /registry/devices/{id}/rotate-key"] = OperatorRoles.Installer,
    };

    /// <summary>The least role for <paramref name="method"/> on the route <paramref name="pattern"/> (as mapped, e.g. "/alarms/{id}/ack").</summary>
    public static string Required(string method, string pattern) =>
        HttpMethods.IsGet(method) || HttpMethods.IsHead(method)
            ? OperatorRoles.Viewer
            : Changes.TryGetValue($"{method.ToUpperInvariant()} {pattern}", out string? role) ? role : OperatorRoles.Admin;
}
