namespace SmartCommunity.Bindings.Tests.Fakes;

/// <summary>One transfer on the fake bus: a write (register pointer first) or a read, with its bytes.</summary>
public sealed record I2cTransaction(bool IsWrite, byte[] Bytes)
{
    public override string ToString() => (IsWrite ? "W " : "R ") + System.Convert.ToHexString(Bytes);
}
