using System.Security.Cryptography;
using Dialtone.Engine.Sip.Transactions;

namespace Dialtone.Engine.Sip.UserAgent;

/// <summary>
/// Call-IDs and tags (RFC 3261 §8.1.1.4, §19.3): random enough to be unique across the world and
/// guessable by no one, and for tags, carrying the number that finds our call in one lookup.
/// </summary>
internal sealed class SipIdGenerator
{
    /// <summary>Characters of a Call-ID we make.</summary>
    public const int CallIdLength = 32;

    private long _serial;

    /// <summary>Writes a new Call-ID: 128 random bits in hex.</summary>
    public static void NewCallId(Span<byte> destination)
    {
        Span<byte> random = stackalloc byte[16];
        RandomNumberGenerator.Fill(random);
        SipHexId.Write(destination, BitConverter.ToUInt64(random));
        SipHexId.Write(destination.Slice(SipHexId.Length), BitConverter.ToUInt64(random.Slice(8)));
    }

    /// <summary>
    /// A new tag value: a serial number in the high 32 bits (what the call table is keyed by) and
    /// 32 random bits below (§19.3 asks for at least 32 bits of randomness).
    /// </summary>
    public ulong NewTag()
    {
        ulong serial = (ulong)Interlocked.Increment(ref _serial);
        return (serial << 32) | (uint)Random.Shared.Next() | ((uint)Random.Shared.Next(2) << 31);
    }

    /// <summary>Writes a tag value as 16 hex digits.</summary>
    public static void WriteTag(Span<byte> destination, ulong tag) => SipHexId.Write(destination, tag);

    /// <summary>Reads back a tag we made.</summary>
    public static bool TryReadTag(ReadOnlySpan<byte> tag, out ulong value) => SipHexId.TryRead(tag, out value);
}
