using System.Buffers.Binary;
using System.Globalization;
using System.Security.Cryptography;

namespace Dialtone.Daemon.Calls;

/// <summary>
/// Resource identifiers in Twilio's shape: a two-letter prefix and 32 lowercase hex digits
/// (<c>CA…</c> calls, <c>AC…</c> accounts).
/// </summary>
/// <remarks>
/// A call sid carries the node that owns the call (DESIGN.md §4, scale-out): its first 4 hex digits
/// after <c>CA</c> are the node id (0–65535), so any node or balancer can route a request about a
/// call to its owner without a lookup. The next 12 digits are the creation time in milliseconds since
/// the Unix epoch (48 bits, good until the year 10889), and the last 16 digits (64 bits) are random.
/// The time makes a node's new sids sort after its older ones, so the database's index on sid grows
/// at its right edge: a call's writes land in the few index pages every recent call shares, instead
/// of each call dirtying a random page of a large index (measured: SQLite work per call fell by half).
/// 64 random bits keep two calls created in the same millisecond apart and a sid unguessable.
/// </remarks>
public static class Sid
{
    public const string CallPrefix = "CA";
    public const string AccountPrefix = "AC";
    public const string RecordingPrefix = "RE";
    public const int Length = 34;
    public const int MaxNodeId = 0xFFFF;

    /// <summary>A new call sid owned by <paramref name="nodeId"/>, created now.</summary>
    public static string NewCallSid(int nodeId) => NewCallSid(nodeId, DateTimeOffset.UtcNow);

    /// <summary>A new call sid owned by <paramref name="nodeId"/>, stamped with <paramref name="createdAt"/>.</summary>
    public static string NewCallSid(int nodeId, DateTimeOffset createdAt)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(nodeId);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(nodeId, MaxNodeId);
        Span<byte> bytes = stackalloc byte[16];
        BinaryPrimitives.WriteUInt16BigEndian(bytes, (ushort)nodeId);
        // 48 bits of milliseconds, big-endian so that hex order is time order.
        var millis = (ulong)Math.Max(0, createdAt.ToUnixTimeMilliseconds());
        BinaryPrimitives.WriteUInt64BigEndian(bytes[2..], millis << 16);
        RandomNumberGenerator.Fill(bytes[8..]);
        return string.Concat(CallPrefix, Convert.ToHexStringLower(bytes));
    }

    /// <summary>A new random account sid (demo mode creates one).</summary>
    public static string NewAccountSid()
    {
        Span<byte> bytes = stackalloc byte[16];
        RandomNumberGenerator.Fill(bytes);
        return string.Concat(AccountPrefix, Convert.ToHexStringLower(bytes));
    }

    /// <summary>A new random recording sid (one per &lt;Record&gt; take).</summary>
    public static string NewRecordingSid()
    {
        Span<byte> bytes = stackalloc byte[16];
        RandomNumberGenerator.Fill(bytes);
        return string.Concat(RecordingPrefix, Convert.ToHexStringLower(bytes));
    }

    /// <summary>True for <c>RE</c> and 32 lowercase hex digits.</summary>
    public static bool IsRecordingSid(ReadOnlySpan<char> text) => Is(text, RecordingPrefix, lowercaseOnly: true);

    /// <summary>True for <c>CA</c> and 32 lowercase hex digits.</summary>
    public static bool IsCallSid(ReadOnlySpan<char> text) => Is(text, CallPrefix, lowercaseOnly: true);

    /// <summary>True for <c>AC</c> and 32 hex digits (either case: operators type them into config).</summary>
    public static bool IsAccountSid(ReadOnlySpan<char> text) => Is(text, AccountPrefix, lowercaseOnly: false);

    /// <summary>The node that owns a call, read from its sid.</summary>
    public static int NodeOf(string callSid)
    {
        if (!IsCallSid(callSid))
            throw new FormatException($"'{callSid}' is not a call sid");
        return int.Parse(callSid.AsSpan(2, 4), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture);
    }

    private static bool Is(ReadOnlySpan<char> text, string prefix, bool lowercaseOnly)
    {
        if (text.Length != Length || !text.StartsWith(prefix, StringComparison.Ordinal))
            return false;
        foreach (var c in text[2..])
        {
            var ok = char.IsAsciiDigit(c) || c is >= 'a' and <= 'f' || (!lowercaseOnly && c is >= 'A' and <= 'F');
            if (!ok)
                return false;
        }
        return true;
    }
}
