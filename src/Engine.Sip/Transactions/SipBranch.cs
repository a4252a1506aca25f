namespace Dialtone.Engine.Sip.Transactions;

/// <summary>
/// Branch parameters of our requests: the RFC 3261 magic cookie "z9hG4bK" (§8.1.1.7) followed by
/// 16 hex digits that encode the client transaction's number, so a response finds its
/// transaction with one table lookup (§17.1.3).
/// </summary>
internal static class SipBranch
{
    /// <summary>The magic cookie every RFC 3261 branch starts with.</summary>
    public static ReadOnlySpan<byte> MagicCookie => "z9hG4bK"u8;

    /// <summary>Length of the branches we write.</summary>
    public const int Length = 7 + SipHexId.Length;

    /// <summary>Writes the branch for <paramref name="value"/> into <paramref name="destination"/> (at least <see cref="Length"/> bytes).</summary>
    public static void Write(Span<byte> destination, ulong value)
    {
        MagicCookie.CopyTo(destination);
        SipHexId.Write(destination.Slice(7), value);
    }

    /// <summary>Reads back the value of a branch we wrote; false for anyone else's branch.</summary>
    public static bool TryRead(ReadOnlySpan<byte> branch, out ulong value)
    {
        value = 0;
        return branch.Length == Length && branch.StartsWith(MagicCookie) && SipHexId.TryRead(branch.Slice(7), out value);
    }
}
