namespace SmartCommunity.Edge.Registry;

using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using SmartCommunity.Edge.Commands;
using SmartCommunity.Edge.Http;
using SmartCommunity.Edge.Layout;
using SmartCommunity.Edge.Operators;

/// <summary>
/// The device registry over HTTP (behind operator authentication; every change is audited with the operator's
/// name): list, add or change, retire, and issue credentials.
/// </summary>
public static class RegistryEndpoints
{
    public static IEndpointRouteBuilder MapRegistryEndpoints(this IEndpointRouteBuilder app, DeviceRegistry registry, BuildingLayout layout, CommandPublisher? commands = null)
    {
        app.MapGet("/registry/devices", (bool? retired) => Results.Json(registry.List(retired ?? false).Select(View)));

        app.MapGet("/registry/devices/{id}", (string id) => registry.Find(id) is { } device ? Results.Json(View(device)) : Problems.UnknownDevice(id));

        app.MapPut("/registry/devices/{id}", async (string id, HttpContext context) =>
        {
            DeviceBody? body;
            try
            {
                body = await context.Request.ReadFromJsonAsync<DeviceBody>(new JsonSerializerOptions(JsonSerializerDefaults.Web) { UnmappedMemberHandling = System.Text.Json.Serialization.JsonUnmappedMemberHandling.Disallow });
            }
            catch (JsonException ex)
            {
                return Problems.BadRequest("The body is not a device", $"send JSON like {{\"kind\":\"door\",\"role\":\"egress-lock\",\"building\":\"b1\",\"floor\":\"ground\",\"zone\":\"lobby\",\"pins\":{{\"lock\":23}}}} ({ex.Message})");
            }

            if (body is null || body.Kind is null || body.Building is null || body.Floor is null || body.Zone is null)
            {
                return Problems.BadRequest("The device is incomplete", "kind, building, floor and zone are required; role, pins and params are optional");
            }

            string role = body.Role ?? (DeviceKinds.RolesByKind.TryGetValue(body.Kind, out string[]? roles) ? roles[0] : "");
            var device = new DeviceDefinition(id, body.Kind, role, layout.Site, body.Building, body.Floor, body.Zone,
                body.Pins ?? new Dictionary<string, int>(), SprinklerSafe(body))
            {
                Unit = body.Unit, FeedsSprinklers = body.FeedsSprinklers, LockMode = body.LockMode, EgressCritical = body.EgressCritical, Groups = body.Groups ?? [], Direction = body.Direction,
            };
            IReadOnlyList<string> problems = await registry.SaveAsync(device, OperatorAuthentication.OperatorName(context));
            return problems.Count == 0
                ? Results.Json(View(registry.Find(id)!))
                : Problems.BadRequest("The device cannot be saved", string.Join("; ", problems), new Dictionary<string, object?> { ["problems"] = problems });
        });

        app.MapDelete("/registry/devices/{id}", async (string id, HttpContext context) =>
            await registry.RetireAsync(id, OperatorAuthentication.OperatorName(context)) ? Results.NoContent() : Problems.UnknownDevice(id));

        app.MapPost("/registry/devices/{id}/credentials", async (string id, HttpContext context) =>
            await registry.IssueCredentialsAsync(id, OperatorAuthentication.OperatorName(context)) is { } secrets
                ? Results.Json(new
                {
                    device = secrets.DeviceId,
                    mqttPassword = secrets.MqttPassword,
                    signingKey = Convert.ToBase64String(secrets.SigningKey),
                    commandKey = Convert.ToHexStringLower(secrets.SigningKey),
                    commandKeyId = secrets.SigningKeyId,
                    note = "shown once: write them into the device's configuration bundle now; the edge keeps only a hash and a sealed copy",
                })
                : Problems.UnknownDevice(id));

        // Command key rotation (hardware-docs/protocol.md §4.5): waits for the device's ack of the rekey, at most the
        // command's time to live, and switches only on "done".
        if (commands is not null)
        {
            app.MapPost("/registry/devices/{id}/rotate-key", async (string id, HttpContext context) =>
            {
                // The installer role or above, like issuing credentials (Http/OperatorPermissions.cs).
                KeyRotation rotation = await registry.RotateSigningKeyAsync(id, OperatorAuthentication.OperatorName(context), commands, context.RequestAborted);
                return rotation.Outcome switch
                {
                    KeyRotationOutcome.Rotated => Results.Json(new { device = id, keyId = rotation.KeyId, command = rotation.Command?.Id, result = "rotated" }),
                    KeyRotationOutcome.UnknownDevice => Problems.UnknownDevice(id),
                    KeyRotationOutcome.NoKey => Problems.Conflict("The device has no command key", $"issue credentials first: POST /registry/devices/{id}/credentials, and provision the device with them"),
                    KeyRotationOutcome.Refused => Problems.Conflict("The rekey command was refused by the edge", rotation.Why ?? "refused"),
                    _ => Problems.Conflict("The device did not take the new key; the current key stays",
                        $"rekey command {rotation.Command?.Id} ended '{rotation.Why}': check the device is online and try again"),
                };
            });
        }

        return app;
    }

    // As the layout loader does: a valve that feeds sprinklers is never exercised, unless the body says otherwise (then refused).
    private static Dictionary<string, long> SprinklerSafe(DeviceBody body)
    {
        var parameters = body.Params ?? new Dictionary<string, long>();
        if (body.FeedsSprinklers)
        {
            parameters.TryAdd(LayoutLoader.ExerciseIntervalParameter, 0);
        }

        return parameters;
    }

    private static object View(RegisteredDevice device) => new
    {
        id = device.Definition.Id,
        kind = device.Definition.Kind,
        role = device.Definition.Role,
        building = device.Definition.Building,
        floor = device.Definition.Floor,
        zone = device.Definition.Zone,
        pins = device.Definition.Pins,
        @params = device.Definition.Parameters,
        unit = device.Definition.Unit,
        feedsSprinklers = device.Definition.FeedsSprinklers,
        lockMode = device.Definition.LockMode,
        egressCritical = device.Definition.EgressCritical,
        groups = device.Definition.Groups,
        direction = device.Definition.Direction,
        origin = device.Origin,
        retired = device.Retired,
        hasCredentials = device.HasCredentials,
        firmware = device.Firmware,
        firstSeen = device.FirstSeen,
        lastSeen = device.LastSeen,
    };

    private sealed record DeviceBody(string? Kind, string? Role, string? Building, string? Floor, string? Zone, Dictionary<string, int>? Pins, Dictionary<string, long>? Params,
        string? Unit = null, bool FeedsSprinklers = false, string? LockMode = null, bool? EgressCritical = null, List<string>? Groups = null, string? Direction = null);
}
