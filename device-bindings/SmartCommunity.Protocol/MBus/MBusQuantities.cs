namespace SmartCommunity.Protocol.MBus;

/// <summary>The quantity words of <see cref="MBusRecord.Quantity"/> (hardware-docs/mbus.md §5).</summary>
public static class MBusQuantities
{
    public const string Unknown = "unknown";
    public const string Energy = "energy";
    public const string Volume = "volume";
    public const string Mass = "mass";
    public const string OnTime = "on-time";
    public const string OperatingTime = "operating-time";
    public const string Power = "power";
    public const string VolumeFlow = "volume-flow";
    public const string MassFlow = "mass-flow";
    public const string FlowTemperature = "flow-temperature";
    public const string ReturnTemperature = "return-temperature";
    public const string TemperatureDifference = "temperature-difference";
    public const string ExternalTemperature = "external-temperature";
    public const string Pressure = "pressure";
    public const string Date = "date";
    public const string DateTime = "date-time";
    public const string HeatCostAllocation = "heat-cost-allocation";
    public const string AveragingDuration = "averaging-duration";
    public const string ActualityDuration = "actuality-duration";
    public const string FabricationNumber = "fabrication-number";
    public const string EnhancedIdentification = "enhanced-identification";
    public const string BusAddress = "bus-address";
    public const string PlainText = "plain-text";
    public const string AnyVif = "any";
    public const string ManufacturerSpecific = "manufacturer-specific";
    public const string Reserved = "reserved";
    public const string Voltage = "voltage";
    public const string Current = "current";
    public const string RelativeHumidity = "relative-humidity";
    public const string Frequency = "frequency";
}
