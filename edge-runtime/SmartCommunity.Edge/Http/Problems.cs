namespace SmartCommunity.Edge.Http;

using System.Collections.Generic;
using Microsoft.AspNetCore.Http;

/// <summary>
/// Every error of the API is an RFC 9457 problem+json: a short title naming what is wrong and a detail saying what
/// to do about it, so an operator at a terminal can act on the message alone.
/// </summary>
public static class Problems
{
    public static IResult BadRequest(string title, string detail, IDictionary<string, object?>? extensions = null) =>
        Results.Problem(statusCode: StatusCodes.Status400BadRequest, title: title, detail: detail, extensions: extensions);

    public static IResult NotFound(string title, string detail) =>
        Results.Problem(statusCode: StatusCodes.Status404NotFound, title: title, detail: detail);

    public static IResult Conflict(string title, string detail, IDictionary<string, object?>? extensions = null) =>
        Results.Problem(statusCode: StatusCodes.Status409Conflict, title: title, detail: detail, extensions: extensions);

    public static IResult Unavailable(string title, string detail, IDictionary<string, object?>? extensions = null) =>
        Results.Problem(statusCode: StatusCodes.Status503ServiceUnavailable, title: title, detail: detail, extensions: extensions);

    public static IResult Unauthorized(string title, string detail) =>
        Results.Problem(statusCode: StatusCodes.Status401Unauthorized, title: title, detail: detail);

    public static IResult UnknownDevice(string id) =>
        NotFound("unknown device", $"no device '{id}' in the layout; GET /devices lists them");

    public static IResult UnknownBuilding(string building) =>
        NotFound("unknown building", $"no building '{building}' in the layout; GET /buildings lists them");

    /// <summary>
    /// A card number (or a visitor pass code, which lane readers send the same way) from a route: written as
    /// <see cref="Access.CardNumber.TryNormalize"/> writes it, else a problem naming <paramref name="what"/> was bad.
    /// </summary>
    public static bool TryCardNumber(string text, string what, out string number, out IResult? problem)
    {
        problem = Access.CardNumber.TryNormalize(text, out number)
            ? null
            : BadRequest($"Bad {what}", $"'{text}' is not a {what}: give the number the reader reports, 1-{Access.CardNumber.MaxDigits} decimal digits up to {ulong.MaxValue}");
        return problem is null;
    }

    /// <summary>A query parameter that must be a whole number in a range.</summary>
    public static bool TryParseLimit(string? text, int fallback, int max, out int limit, out IResult? problem)
    {
        problem = null;
        limit = fallback;
        if (string.IsNullOrEmpty(text))
        {
            return true;
        }

        if (int.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out limit) && limit >= 1 && limit <= max)
        {
            return true;
        }

        problem = BadRequest("bad limit", $"limit must be a whole number from 1 to {max}, not '{text}'");
        return false;
    }
}
