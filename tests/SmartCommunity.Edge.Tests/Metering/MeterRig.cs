namespace SmartCommunity.Edge.Tests.Metering;

using System;
using System.IO;
using System.Linq;
using System.Threading.Tasks;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using SmartCommunity.Edge.Layout;
using SmartCommunity.Edge.Metering;
using SmartCommunity.Edge.Storage;
using SmartCommunity.Edge.Tests.TestSupport;

/// <summary>
/// The meter book wired as EdgeHost wires it, without sockets: a layout with a pulse meter device and wired meters
/// in two flats and the building's supply, days in Europe/Berlin, a real edge.db (event log, alerts, meters) in a
/// fresh folder and a fake clock.
/// </summary>
internal sealed class MeterRig : EdgeCore
{
    public const string PulseDevice = "b1-meter-1";

    /// <summary>Flat 12's cold water: pulse channel 1, counted in litres, kept in m3.</summary>
    public const string Flat12Water = "b1-flat12-water";

    /// <summary>Flat 12's electricity: pulse channel 2, Wh.</summary>
    public const string Flat12Power = "b1-flat12-power";

    /// <summary>Flat 14's cold water: M-Bus, an 8-digit register (99999.999 m3) that wraps.</summary>
    public const string Flat14Water = "b1-flat14-water";

    /// <summary>The building's water supply: M-Bus by secondary address, no flat.</summary>
    public const string MainWater = "b1-main-water";

    public const string TimeZone = "Europe/Berlin";

    public MeterRig(DateTimeOffset? start = null)
        : base(data => LayoutLoader.Load(WriteLayout(data)), start)
    {
        Book = new MeterBook(Layout, Log, Database, Time, NullLogger.Instance) { Alerts = Alerts };
    }

    public MeterBook Book { get; }

    public static string LayoutText => $"""
        schema: 1
        site:
          id: riverside
        buildings:
          - id: b1
            floors:
              - id: basement
                zones:
                  - id: meters
                    devices:
                      - id: {PulseDevice}
                        kind: meter
                        role: pulse
            metering:
              timeZone: {TimeZone}
              maxGap: 2h
              buses:
                - id: mbus1
                  port: /dev/ttyAMA0
              meters:
                - id: {Flat12Water}
                  unit: flat 12
                  medium: water
                  measuredIn: m3
                  pulse: {"{"} device: {PulseDevice}, channel: 1 {"}"}
                  conversion: {"{"} from: L, factor: 0.001 {"}"}
                - id: {Flat12Power}
                  unit: flat 12
                  medium: electricity
                  measuredIn: Wh
                  pulse: {"{"} device: {PulseDevice}, channel: 2 {"}"}
                - id: {Flat14Water}
                  unit: flat 14
                  medium: water
                  measuredIn: m3
                  mbus: {"{"} bus: mbus1, primary: 6, every: 15m {"}"}
                  rollover: 99999.999
                - id: {MainWater}
                  medium: water
                  measuredIn: m3
                  mbus: {"{"} bus: mbus1, secondary: "12345678", every: 15m {"}"}
        """;

    public static string WriteLayout(TempFolder folder)
    {
        string path = folder.File("layout.yaml");
        File.WriteAllText(path, LayoutText);
        return path;
    }

    public static DateTimeOffset Utc(string text) => DateTimeOffset.Parse(text, System.Globalization.CultureInfo.InvariantCulture);

    public MeterDefinition Meter(string id) => Book.Find(id)!;

    /// <summary>Moves the clock to <paramref name="at"/> (never back) and records a reading there as the M-Bus master would.</summary>
    public async Task ReadAsync(string meter, string at, decimal total, string unit = "m3")
    {
        DateTimeOffset when = Utc(at);
        if (when > Time.GetUtcNow())
        {
            Time.SetUtcNow(when);
        }

        Assert.AreEqual(ReadingOutcome.Stored, await Book.RecordReadingAsync(meter, when, total, unit, "mbus", "test"));
    }

    public void Advance(string to) => Time.SetUtcNow(Utc(to));

    public IntervalConsumption One(string meter, IntervalKind kind, string start)
    {
        var intervals = Book.Consumption(Meter(meter), kind, Utc(start), Utc(start).AddTicks(1));
        Assert.HasCount(1, intervals);
        Assert.AreEqual(Utc(start), intervals[0].Start, "the interval starts where asked");
        return intervals[0];
    }

    public StoredEvent[] Records(string name) =>
        Log.ReadRecent(10_000).Where(e => e.Channel == MeterBook.Channel && e.Name == name).OrderBy(e => e.Id).ToArray();

    public override async ValueTask DisposeAsync()
    {
        await Book.DisposeAsync();
        await base.DisposeAsync();
    }
}
