namespace Dialtone.Engine.Sip.Transactions;

/// <summary>
/// Writes and reads the 16-hex-digit identifiers the engine puts in branches and tags, so that an
/// incoming message finds its transaction or dialog by a number rather than by comparing strings.
/// </summary>
internal static class SipHexId
{
    /// <summary>Characters in one identifier.</summary>
    public const int Length = 16;

    private static ReadOnlySpan<byte> Digits => "0123456789abcdef"u8;

    /// <summary>Writes <paramref name="value"/> as 16 lower-case hex digits.</summary>
    public static void Write(Span<byte> destination, ulong value)
    {
        ReadOnlySpan<byte> digits = Digits;
        for (int i = Length - 1; i >= 0; i--)
        {
            destination[i] = digits[(int)(value & 0xF)];
            value >>= 4;
        }
    }

    /// <summary>Reads exactly 16 hex digits (either case).</summary>
    public static bool TryRead(ReadOnlySpan<byte> text, out ulong value)
    {
        value = 0;
        if (text.Length != Length)
            return false;
        foreach (byte b in text)
        {
            int digit = b switch
            {
                >= (byte)'0' and <= (byte)'9' => b - '0',
                >= (byte)'a' and <= (byte)'f' => b - 'a' + 10,
                >= (byte)'A' and <= (byte)'F' => b - 'A' + 10,
                _ => -1,
            };
            if (digit < 0)
                return false;
            value = (value << 4) | (uint)digit;
        }
        return true;
    }
}
