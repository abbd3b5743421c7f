namespace SmartCommunity.Protocol.MBus;

/// <summary>A record's function field (DIF bits 4-5, EN 13757-3 §6.3.2), plus the two special DIFs that carry manufacturer data.</summary>
public enum MBusFunction
{
    Instantaneous = 0,
    Maximum = 1,
    Minimum = 2,

    /// <summary>Value during error state.</summary>
    Error = 3,

    /// <summary>DIF 0x0F: manufacturer-specific data up to the end of the telegram.</summary>
    ManufacturerSpecific = 4,

    /// <summary>DIF 0x1F: manufacturer-specific data, and more records follow in the next telegram.</summary>
    MoreRecordsFollow = 5,

    /// <summary>DIF 0x7F: global readout request (master to slave), no data.</summary>
    GlobalReadout = 6,
}
