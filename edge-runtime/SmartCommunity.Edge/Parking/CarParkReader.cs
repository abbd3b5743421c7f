namespace SmartCommunity.Edge.Layout;

using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using SmartCommunity.Edge.Configuration;
using YamlDotNet.RepresentationModel;

/// <summary>
/// The car-park part of the layout (hardware-docs/layout.md, "Car parks"; hardware-docs/parking.md): the site's
/// <c>carParks</c> and each barrier's <c>carPark</c>, <c>lane</c>, <c>from</c> and <c>to</c>. The layout loader calls
/// it; errors carry file, line and column like every layout error.
/// </summary>
internal sealed class CarParkReader(string file) : YamlConfigReader(file)
{
    /// <summary>The largest capacity a level or car park may declare; far above any real car park, it catches a typo.</summary>
    public const int MaxCapacity = 100_000;

    public static readonly string[] BarrierKeys = ["carPark", "lane", "from", "to"];

    private readonly Dictionary<string, (CarParkDefinition CarPark, List<CarParkLane> Barriers)> _carParks = new(StringComparer.Ordinal);

    /// <summary>Reads the site's <c>carParks</c> list; before the buildings, since barriers name these.</summary>
    public void ReadCarParks(YamlNode node)
    {
        foreach (YamlNode item in Sequence(node, "carParks"))
        {
            YamlMappingNode carPark = Mapping(item, "car park");
            Keys(carPark, "id", "name", "capacity", "recountAt", "levels");
            string id = Id(Required(carPark, "id"), "car park id");
            if (_carParks.ContainsKey(id))
            {
                throw Error(carPark["id"], $"car park '{id}' is declared twice; car park ids must be unique within the site");
            }

            var levels = new List<LevelDefinition>();
            YamlSequenceNode levelNodes = Sequence(Required(carPark, "levels"), "levels");
            foreach (YamlNode levelItem in levelNodes)
            {
                YamlMappingNode level = Mapping(levelItem, "level");
                Keys(level, "id", "capacity", "recountTo");
                string levelId = Id(Required(level, "id"), "level id");
                if (levelId == CarParkLane.Outside)
                {
                    throw Error(level["id"], $"'{CarParkLane.Outside}' is the word barriers use for the street; give the level another id");
                }

                if (levels.Any(l => l.Id == levelId))
                {
                    throw Error(level["id"], $"level '{levelId}' is declared twice in car park '{id}'");
                }

                int capacity = Capacity(Required(level, "capacity"), $"the capacity of level '{levelId}'");
                int recountTo = 0;
                if (level.Children.TryGetValue(new YamlScalarNode("recountTo"), out YamlNode? recountNode))
                {
                    long value = Integer(recountNode, "recountTo");
                    if (value < 0 || value > capacity)
                    {
                        throw Error(recountNode, $"recountTo {value} must be 0-{capacity} (the vehicles level '{levelId}' holds after the daily recount)");
                    }

                    recountTo = (int)value;
                }

                levels.Add(new LevelDefinition(levelId, capacity, recountTo));
            }

            if (levels.Count == 0)
            {
                throw Error(levelNodes, $"car park '{id}' has no levels; give at least one, e.g. '- {{ id: ground, capacity: 40 }}'");
            }

            int sum = levels.Sum(l => l.Capacity);
            int total = sum;
            if (carPark.Children.TryGetValue(new YamlScalarNode("capacity"), out YamlNode? capacityNode))
            {
                total = Capacity(capacityNode, $"the capacity of car park '{id}'");
                if (total > sum)
                {
                    throw Error(capacityNode, $"car park '{id}' has capacity {total} but its levels hold only {sum}; lower capacity or raise the levels'");
                }
            }

            TimeOnly? recountAt = null;
            if (carPark.Children.TryGetValue(new YamlScalarNode("recountAt"), out YamlNode? atNode))
            {
                string text = Scalar(atNode, "recountAt");
                recountAt = TimeOnly.TryParseExact(text, "HH:mm", CultureInfo.InvariantCulture, DateTimeStyles.None, out TimeOnly at)
                    ? at
                    : throw Error(atNode, $"recountAt '{text}' must be a local time of day as HH:MM (24 h), e.g. \"03:30\"");
            }

            _carParks[id] = (new CarParkDefinition(id, Optional(carPark, "name") ?? id, total, levels, recountAt, []), []);
        }
    }

    /// <summary>
    /// A barrier's car-park keys: null when it has none (a barrier only opened for evacuation), else its lane. Any of
    /// them on another kind of device is refused.
    /// </summary>
    public CarParkLane? ReadBarrier(YamlMappingNode device, string id, string kind)
    {
        YamlNode? first = null;
        foreach (string key in BarrierKeys)
        {
            if (device.Children.TryGetValue(new YamlScalarNode(key), out YamlNode? node))
            {
                if (kind != DeviceKinds.Barrier)
                {
                    throw Error(node, $"{key} applies to barriers (kind {DeviceKinds.Barrier}) only, not to a {kind}");
                }

                first ??= node;
            }
        }

        if (first is null)
        {
            return null;
        }

        foreach (string key in BarrierKeys)
        {
            if (!device.Children.ContainsKey(new YamlScalarNode(key)))
            {
                throw Error(device, $"barrier '{id}' has some car-park keys but not '{key}': give all of carPark, lane (entry or exit), from and to (outside or a level id)");
            }
        }

        YamlNode carParkNode = device["carPark"];
        string carParkId = Scalar(carParkNode, "carPark");
        if (!_carParks.TryGetValue(carParkId, out var entry))
        {
            throw Error(carParkNode, _carParks.Count == 0
                ? $"unknown car park '{carParkId}'; declare it under carParks at the top of the file"
                : $"unknown car park '{carParkId}'; declared car parks: {string.Join(", ", _carParks.Keys)}");
        }

        string lane = Scalar(device["lane"], "lane");
        if (lane is not (CarParkLane.Entry or CarParkLane.Exit))
        {
            throw Error(device["lane"], $"lane '{lane}' must be {CarParkLane.Entry} or {CarParkLane.Exit}");
        }

        string from = Place(device["from"], "from", entry.CarPark);
        string to = Place(device["to"], "to", entry.CarPark);
        if (from == to)
        {
            throw Error(device["to"], $"barrier '{id}' has from and to both '{to}'; a vehicle passing in must change place (outside to a level, a level to outside, or one level to another)");
        }

        if (lane == CarParkLane.Entry && to == CarParkLane.Outside)
        {
            throw Error(device["to"], $"entry barrier '{id}' leads outside; an entry lane's 'to' is the level a vehicle passing in (arming loop, then closing loop) goes into. Swap from and to, or make it lane: exit");
        }

        var barrier = new CarParkLane(id, carParkId, lane, from, to);
        entry.Barriers.Add(barrier);
        return barrier;
    }

    /// <summary>The car parks with their barriers, once every device has been read.</summary>
    public IReadOnlyList<CarParkDefinition> Build() =>
        _carParks.Values.Select(c => c.CarPark with { Barriers = c.Barriers.ToList() }).ToList();

    protected override ConfigFileException Error(long line, long column, string reason) => new LayoutException(File, line, column, reason);

    private string Place(YamlNode node, string key, CarParkDefinition carPark)
    {
        string place = Scalar(node, key);
        return place == CarParkLane.Outside || carPark.FindLevel(place) is not null
            ? place
            : throw Error(node, $"{key} '{place}' is neither '{CarParkLane.Outside}' nor a level of car park '{carPark.Id}' ({string.Join(", ", carPark.Levels.Select(l => l.Id))})");
    }

    private int Capacity(YamlNode node, string what)
    {
        long value = Integer(node, what);
        return value is >= 1 and <= MaxCapacity ? (int)value : throw Error(node, $"{what} is {value}; give 1-{MaxCapacity} vehicles");
    }
}
