namespace SmartCommunity.Protocol.MBus;

/// <summary>
/// One EN 13757-3 data record (DIB, VIB, value), decoded (hardware-docs/mbus.md §3-§5). <see cref="Quantity"/> and
/// <see cref="Unit"/> name what the VIF says; <see cref="Value"/> is already scaled to that base unit.
/// </summary>
public sealed class MBusRecord
{
    public MBusRecord()
    {
        Value = new MBusValue();
        Quantity = MBusQuantities.Unknown;
        Unit = "";
        Vifes = new byte[0];
    }

    /// <summary>Offset of the DIF from the frame's first byte.</summary>
    public int Offset { get; internal set; }

    public byte Dif { get; internal set; }

    /// <summary>DIF bits 0-3 (0 none, 1-4/6/7 integers, 5 real, 9-C/E BCD, D variable length, 8 readout selection).</summary>
    public int DataField { get; internal set; }

    public MBusFunction Function { get; internal set; }

    public long StorageNumber { get; internal set; }

    public int Tariff { get; internal set; }

    public int Subunit { get; internal set; }

    /// <summary>The primary VIF byte, with its extension bit (0xFB/0xFD select the extension tables; 0 when there is no VIF).</summary>
    public byte Vif { get; internal set; }

    /// <summary>For VIF 0xFB/0xFD, the code in that table (first VIFE, extension bit cleared); -1 otherwise.</summary>
    public int ExtensionCode { get; internal set; }

    /// <summary>The VIFEs after the VIF (and after the extension-table code), as sent.</summary>
    public byte[] Vifes { get; internal set; }

    /// <summary>The unit text of a plain-text VIF (0x7C/0xFC), in reading order; null otherwise.</summary>
    public string PlainTextUnit { get; internal set; }

    /// <summary>A kebab-case quantity from <see cref="MBusQuantities"/>, e.g. "energy", "flow-temperature".</summary>
    public string Quantity { get; internal set; }

    /// <summary>Base unit of <see cref="Value"/>: "Wh", "J", "m3", "kg", "W", "J/h", "m3/h", "kg/h", "°C", "K", "bar", "V", "A", "s", ... or "" when dimensionless.</summary>
    public string Unit { get; internal set; }

    public MBusValue Value { get; internal set; }

    /// <summary>A counter of the fixed data structure (CI 0x73/0x77): there is no DIF or VIF, only a unit code.</summary>
    public bool IsFixedFormat { get; internal set; }

    /// <summary>True when a VIFE asks for an additive correction (0x78-0x7B) that <see cref="Value"/> does not include.</summary>
    public bool HasAdditiveCorrection { get; internal set; }
}
