namespace SmartCommunity.Protocol.MBus;

/// <summary>
/// A decoded EN 13757-3 telegram: link fields, the header of CI 0x72/0x7A/0x73 (absent for 0x78), and the records
/// (hardware-docs/mbus.md §3). A wireless M-Bus decoder fills the same type from its own link layer.
/// </summary>
public sealed class MBusTelegram
{
    private MBusRecord[] _records = new MBusRecord[0];
    private int _count;

    public byte Control { get; internal set; }

    public byte Address { get; internal set; }

    public byte ControlInformation { get; internal set; }

    /// <summary>Whether the identification, manufacturer, version and medium were in this header (CI 0x72, 0x73).</summary>
    public bool HasIdentification { get; internal set; }

    /// <summary>Whether access number and status were sent (CI 0x72, 0x7A, 0x73).</summary>
    public bool HasAccessAndStatus { get; internal set; }

    /// <summary>The identification number as 8 digits, most significant first ("14839120"); a non-BCD nibble shows as its hex digit.</summary>
    public string Identification { get; internal set; }

    public int ManufacturerCode { get; internal set; }

    public string Manufacturer { get; internal set; }

    public int Version { get; internal set; }

    public int Medium { get; internal set; }

    public int AccessNumber { get; internal set; }

    public int Status { get; internal set; }

    /// <summary>The 2-byte signature/configuration word of the long and short headers (0 = unencrypted).</summary>
    public int Signature { get; internal set; }

    /// <summary>A DIF 0x1F record was seen: the meter has more records for the next REQ_UD2.</summary>
    public bool MoreRecordsFollow { get; internal set; }

    public int RecordCount => _count;

    public MBusRecord Record(int index) => _records[index];

    /// <summary>The records as a fresh array.</summary>
    public MBusRecord[] Records()
    {
        MBusRecord[] copy = new MBusRecord[_count];
        System.Array.Copy(_records, copy, _count);
        return copy;
    }

    /// <summary>
    /// For a link layer that carries the meter's identity itself (wireless M-Bus: M and A fields) when the CI has
    /// only a short header or none: call after <see cref="MBusDecoder.DecodeApplication"/>.
    /// </summary>
    public void SetIdentification(string identification, int manufacturerCode, int version, int medium)
    {
        Identification = identification;
        ManufacturerCode = manufacturerCode;
        Manufacturer = MBusManufacturer.Decode(manufacturerCode);
        Version = version;
        Medium = medium;
        HasIdentification = true;
    }

    internal void Reset()
    {
        _records = new MBusRecord[0];
        _count = 0;
        Control = 0;
        Address = 0;
        ControlInformation = 0;
        HasIdentification = false;
        HasAccessAndStatus = false;
        Identification = null;
        ManufacturerCode = 0;
        Manufacturer = null;
        Version = 0;
        Medium = 0;
        AccessNumber = 0;
        Status = 0;
        Signature = 0;
        MoreRecordsFollow = false;
    }

    internal void Add(MBusRecord record)
    {
        if (_count == _records.Length)
        {
            MBusRecord[] bigger = new MBusRecord[_count == 0 ? 8 : _count * 2];
            System.Array.Copy(_records, bigger, _count);
            _records = bigger;
        }

        _records[_count++] = record;
    }
}
