namespace SmartCommunity.Edge.Parking;

using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json;
using System.Threading.Tasks;
using SmartCommunity.Edge.Access;
using SmartCommunity.Edge.Commands;
using SmartCommunity.Edge.Ingest;
using SmartCommunity.Edge.Layout;
using SmartCommunity.Protocol;

/// <summary>Entry decisions (hardware-docs/parking.md, "Entry decisions"), mirroring access control's online decisions for doors.</summary>
public sealed partial class ParkingControl
{
    /// <summary>
    /// What the edge answers number <paramref name="card"/> (normalised) at <paramref name="barrier"/> now. An exit
    /// lane is always opened. An entry lane needs a resident's card allowed at this barrier or a live visitor pass
    /// for this car park, and room: in the car park when the lane comes from outside, and on the level it leads
    /// into; a reserved place in the car park skips the room check.
    /// </summary>
    public EntryDecision Decide(DeviceDefinition barrier, string card, DateTimeOffset now)
    {
        if (!_lanes.TryGetValue(barrier.Id, out CarParkLane? lane))
        {
            return new EntryDecision(false, NoCarPark, null);
        }

        if (lane.IsExit)
        {
            return new EntryDecision(true, Exit, null);
        }

        string why;
        string? pass = null;
        if (_access.WhyCardRefused(barrier, card, now) is not { } residentProblem)
        {
            why = Valid;
        }
        else if (_passes.TryGetValue(card, out VisitorPass? visitor))
        {
            pass = visitor.Code;
            string? passProblem = visitor.CarPark != lane.CarPark ? VisitorPass.OtherCarPark : visitor.WhyRefusedAt(now);
            if (passProblem is not null)
            {
                return new EntryDecision(false, passProblem, pass);
            }

            why = VisitorPassValid;
        }
        else
        {
            return new EntryDecision(false, residentProblem, null);
        }

        if (_reservations.ContainsKey((card, lane.CarPark)))
        {
            return new EntryDecision(true, ReservedPlace, pass);
        }

        CarParkOccupancy occupancy = Occupancy(lane.CarPark)!;
        if (lane.FromOutside && occupancy.Full)
        {
            return new EntryDecision(false, CarParkFull, pass);
        }

        return occupancy.Levels.FirstOrDefault(l => l.Level == lane.To) is { Full: true }
            ? new EntryDecision(false, LevelFull, pass)
            : new EntryDecision(true, why, pass);
    }

    private async Task DecideAsync(DeviceDefinition barrier, DeviceMessage message)
    {
        if (!message.Body.TryGetProperty("req", out JsonElement reqElement) || reqElement.ValueKind != JsonValueKind.Number
            || !reqElement.TryGetInt64(out long req) || req < 1)
        {
            // Without its number the barrier could not match the answer.
            Count("entry-request-without-req");
            LogBadMessage(_logger, barrier.Id, EntryRequestEvent, "no request number \"req\" (a whole number from 1)");
            return;
        }

        DateTimeOffset now = _time.GetUtcNow();
        string? rawCard = message.StringField("card");
        EntryDecision decision;
        string? card = null;
        if (CardNumber.TryNormalize(rawCard, out string normalized))
        {
            card = normalized;
            decision = Decide(barrier, card, now);
        }
        else
        {
            Count("entry-request-bad-card");
            LogBadMessage(_logger, barrier.Id, EntryRequestEvent, $"card '{rawCard}' is not 1-{CardNumber.MaxDigits} decimal digits");
            decision = _lanes.TryGetValue(barrier.Id, out CarParkLane? lane) && lane.IsExit ? new EntryDecision(true, Exit, null) : new EntryDecision(false, AccessControl.BadCard, null);
        }

        if (decision.Why == NoCarPark)
        {
            Count("entry-request-no-car-park");
        }

        // The driver waits at the arm: the answer goes out before anything is written.
        CommandTicket ticket = await _commands.RequestAsync(new CommandRequest(barrier, decision.Granted ? CommandKind.Open : CommandKind.Deny, decision.Why,
            CommandOrigin.Rule, Actor, Fields: [new("req", req), new("why", decision.Why)])).ConfigureAwait(false);
        string verdict = decision.Granted ? Opened : Denied;
        string? carPark = _lanes.GetValueOrDefault(barrier.Id)?.CarPark;
        string? resident = decision.Pass is null ? card : null;
        _store.InsertDecision(now, barrier.Id, carPark, resident, decision.Pass, verdict, decision.Why, req);
        LogDecision(_logger, barrier.Id, card ?? "?", verdict, decision.Why);
        await RecordAsync(barrier, "decision", new Dictionary<string, object?>
        {
            ["carPark"] = carPark,
            ["card"] = resident,
            ["pass"] = decision.Pass,
            ["rawCard"] = card is null ? rawCard : null,
            ["decision"] = verdict,
            ["why"] = decision.Why,
            ["req"] = req,
            ["reader"] = message.StringField("reader"),
            ["command"] = ticket.Id,
            ["refused"] = ticket.RefusedBecause,
        }).ConfigureAwait(false);
    }
}

/// <summary>An entry decision: open or not, why (the command's "why"), and the visitor pass it concerned, if any.</summary>
public sealed record EntryDecision(bool Granted, string Why, string? Pass);
