namespace SmartCommunity.Protocol.Crypto;

/// <summary>Comparisons whose time does not depend on where the first difference is, for MACs and cryptograms.</summary>
public static class FixedTime
{
    public static bool AreEqual(byte[] left, int leftOffset, byte[] right, int rightOffset, int length)
    {
        int difference = 0;
        for (int i = 0; i < length; i++)
        {
            difference |= left[leftOffset + i] ^ right[rightOffset + i];
        }

        return difference == 0;
    }
}
