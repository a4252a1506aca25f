using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Dialtone.Engine.Sip.Message;

/// <summary>
/// A 256-entry table of <see cref="SipCharClass"/> bits, and the scanners built on it. A span of 16
/// bytes or more is scanned 16 bytes at a time (a nibble lookup, as in Wojciech Muła's SIMD
/// byte-set search); a shorter one byte by byte. Measured on the hot headers, the vector step
/// classifies a 26-byte host in a few instructions where the byte loop spends one compare and one
/// branch per byte, and it costs no more than the byte loop even when the run is only 3 bytes long.
/// </summary>
/// <remarks>Generated from the class definitions in <see cref="SipCharClass"/>; keep them in step.</remarks>
internal static class SipCharTable
{
    // A static array, not a ReadOnlySpan<ushort> property: only byte-sized element spans are
    // guaranteed to be static data; a ushort one allocates on every access in unoptimized code.
    private static readonly ushort[] s_classes =
    [
        0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0002, 0x0002, 0x0000, 0x0000, 0x0002, 0x0000, 0x0000,
        0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000,
        0x0002, 0x03E1, 0x0000, 0x0800, 0x01E0, 0x03E1, 0x01E0, 0x03E1, 0x09E0, 0x09E0, 0x0BE1, 0x0FE1, 0x0060, 0x0FF1, 0x0FF1, 0x01A0,
        0x0FFD, 0x0FFD, 0x0FFD, 0x0FFD, 0x0FFD, 0x0FFD, 0x0FFD, 0x0FFD, 0x0FFD, 0x0FFD, 0x0380, 0x0020, 0x0000, 0x0160, 0x0000, 0x0120,
        0x0000, 0x0FF9, 0x0FF9, 0x0FF9, 0x0FF9, 0x0FF9, 0x0FF9, 0x07F1, 0x07F1, 0x07F1, 0x07F1, 0x07F1, 0x07F1, 0x07F1, 0x07F1, 0x07F1,
        0x07F1, 0x07F1, 0x07F1, 0x07F1, 0x07F1, 0x07F1, 0x07F1, 0x07F1, 0x07F1, 0x07F1, 0x07F1, 0x0380, 0x0000, 0x0380, 0x0000, 0x03E1,
        0x0201, 0x0FF9, 0x0FF9, 0x0FF9, 0x0FF9, 0x0FF9, 0x0FF9, 0x07F1, 0x07F1, 0x07F1, 0x07F1, 0x07F1, 0x07F1, 0x07F1, 0x07F1, 0x07F1,
        0x07F1, 0x07F1, 0x07F1, 0x07F1, 0x07F1, 0x07F1, 0x07F1, 0x07F1, 0x07F1, 0x07F1, 0x07F1, 0x0000, 0x0000, 0x0000, 0x03E1, 0x0000,
        0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000,
        0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000,
        0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000,
        0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000,
        0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000,
        0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000,
        0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000,
        0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000,
    ];

    /// <summary>True when <paramref name="b"/> is in any of <paramref name="classes"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool Is(byte b, SipCharClass classes) => (s_classes[b] & (ushort)classes) != 0;

    // The vector step needs a whole block inside the span: a shorter span is scanned byte by byte.
    private const int BlockSize = 16;

    // For the vector step, one 16-byte bitmap per class: byte number lo has bit hi set when the
    // character (hi << 4 | lo) is in the class. Every class is ASCII-only, so hi < 8 fits a byte and
    // a byte of 0x80 or more is never a member. Static readonly vectors: the JIT embeds them as
    // constants.
    private static readonly Vector128<byte> s_tokenBitmap = NibbleBitmap(SipCharClass.Token);
    private static readonly Vector128<byte> s_hostnameBitmap = NibbleBitmap(SipCharClass.Hostname);
    private static readonly Vector128<byte> s_userBitmap = NibbleBitmap(SipCharClass.User);
    private static readonly Vector128<byte> s_passwordBitmap = NibbleBitmap(SipCharClass.Password);
    private static readonly Vector128<byte> s_uriParamBitmap = NibbleBitmap(SipCharClass.UriParam);
    private static readonly Vector128<byte> s_uriHeaderBitmap = NibbleBitmap(SipCharClass.UriHeader);
    private static readonly Vector128<byte> s_paramValueBitmap = NibbleBitmap(SipCharClass.ParamValue);
    private static readonly Vector128<byte> s_schemeBitmap = NibbleBitmap(SipCharClass.Scheme);
    private static readonly Vector128<byte> s_telBitmap = NibbleBitmap(SipCharClass.Tel);

    // Maps a high nibble to its bit in the bitmaps above; 8-15 (non-ASCII bytes) map to no bit.
    private static readonly Vector128<byte> s_highNibbleBits = Vector128.Create((byte)1, 2, 4, 8, 16, 32, 64, 128, 0, 0, 0, 0, 0, 0, 0, 0);

    /// <summary>End (exclusive) of the run of bytes in <paramref name="classes"/> starting at <paramref name="start"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int Scan(ReadOnlySpan<byte> span, int start, SipCharClass classes)
    {
        if ((uint)start >= (uint)span.Length)
            return start;
        if (span.Length >= BlockSize && Vector128.IsHardwareAccelerated && TryGetBitmap(classes, out Vector128<byte> bitmap))
            return ScanBlocks(span, start, bitmap);
        return ScanBytes(span, start, classes);
    }

    /// <summary>
    /// <see cref="Scan"/> without the vectorized path, for runs known to be short (header names,
    /// methods), where the byte loop always wins.
    /// </summary>
    public static int ScanShort(ReadOnlySpan<byte> span, int start, SipCharClass classes)
    {
        ushort[] table = s_classes;
        int i = start;
        while ((uint)i < (uint)span.Length && (table[span[i]] & (ushort)classes) != 0)
            i++;
        return i < start ? start : i;
    }

    /// <summary>True when every byte of <paramref name="span"/> is in <paramref name="classes"/>.</summary>
    public static bool All(ReadOnlySpan<byte> span, SipCharClass classes) =>
        span.IsEmpty || Scan(span, 0, classes) == span.Length;

    /// <summary>
    /// Scans a hostname / IPv4address (alphanum, '-', '.') from <paramref name="start"/> and checks
    /// its labels on the way: false when the run is empty, starts with a dot or has an empty label
    /// (".."); a trailing dot is allowed (RFC 3261 §25.1 hostname = *( domainlabel "." ) toplabel [ "." ]).
    /// <paramref name="end"/> is the end of the run either way.
    /// </summary>
    public static bool TryScanHostname(ReadOnlySpan<byte> span, int start, out int end)
    {
        int result = ScanHostnameCore(span, start);
        end = result >= 0 ? result : ~result;
        return result >= 0;
    }

    /// <summary>
    /// <see cref="TryScanHostname"/> for the parsers: the end of a valid hostname, or -1. Returning
    /// the position (rather than an out argument) keeps it in a register.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int ScanHostname(ReadOnlySpan<byte> span, int start)
    {
        int result = ScanHostnameCore(span, start);
        return result >= 0 ? result : -1;
    }

    // The end of the run when the hostname is valid, its complement (a negative number) when not.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int ScanHostnameCore(ReadOnlySpan<byte> span, int start)
    {
        if ((uint)start >= (uint)span.Length)
            return ~start;
        if (span.Length >= BlockSize && Vector128.IsHardwareAccelerated)
            return ScanHostnameBlocks(span, start);

        // Byte by byte: a dot right after a dot, or at the start, is an empty label.
        ushort[] table = s_classes;
        bool emptyLabel = false;
        int afterLastDot = start;
        int i = start;
        while ((uint)i < (uint)span.Length)
        {
            byte b = span[i];
            if ((table[b] & (ushort)SipCharClass.Hostname) == 0)
                break;
            if (b == (byte)'.')
            {
                emptyLabel |= i == afterLastDot;
                afterLastDot = i + 1;
            }
            i++;
        }
        return i > start && !emptyLabel ? i : ~i;
    }

    // The bitmap of a single class (the callers pass constants, so this folds away).
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool TryGetBitmap(SipCharClass c, out Vector128<byte> bitmap)
    {
        switch (c)
        {
            case SipCharClass.Token: bitmap = s_tokenBitmap; return true;
            case SipCharClass.Hostname: bitmap = s_hostnameBitmap; return true;
            case SipCharClass.User: bitmap = s_userBitmap; return true;
            case SipCharClass.Password: bitmap = s_passwordBitmap; return true;
            case SipCharClass.UriParam: bitmap = s_uriParamBitmap; return true;
            case SipCharClass.UriHeader: bitmap = s_uriHeaderBitmap; return true;
            case SipCharClass.ParamValue: bitmap = s_paramValueBitmap; return true;
            case SipCharClass.Scheme: bitmap = s_schemeBitmap; return true;
            case SipCharClass.Tel: bitmap = s_telBitmap; return true;
            default: bitmap = default; return false;
        }
    }

    private static int ScanBytes(ReadOnlySpan<byte> span, int start, SipCharClass classes)
    {
        ushort[] table = s_classes;
        int i = start;
        while ((uint)i < (uint)span.Length && (table[span[i]] & (ushort)classes) != 0)
            i++;
        return i;
    }

    // 16 bytes per step. The span holds at least one block; a block that would run past the end is
    // loaded from the last 16 bytes instead and its bits shifted down to the current position, so
    // every load stays inside the span.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int ScanBlocks(ReadOnlySpan<byte> span, int start, Vector128<byte> bitmap)
    {
        ref byte data = ref MemoryMarshal.GetReference(span);
        int last = span.Length - BlockSize;
        int i = start;
        while (true)
        {
            int blockStart = Math.Min(i, last);
            uint outside = OutsideBits(Vector128.LoadUnsafe(ref data, (nuint)blockStart), bitmap) >> (i - blockStart);
            if (outside != 0)
                return i + BitOperations.TrailingZeroCount(outside);
            i = blockStart + BlockSize;
            if (i >= span.Length)
                return span.Length;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int ScanHostnameBlocks(ReadOnlySpan<byte> span, int start)
    {
        ref byte data = ref MemoryMarshal.GetReference(span);
        int last = span.Length - BlockSize;
        // Bit 0 stands for "the byte before the current one was a dot or there is none": a dot in
        // that place would start an empty label.
        uint dotBefore = 1;
        int i = start;
        while (true)
        {
            int blockStart = Math.Min(i, last);
            int shift = i - blockStart;
            Vector128<byte> block = Vector128.LoadUnsafe(ref data, (nuint)blockStart);
            uint outside = OutsideBits(block, s_hostnameBitmap) >> shift;
            uint dots = Vector128.Equals(block, Vector128.Create((byte)'.')).ExtractMostSignificantBits() >> shift;
            int available = BlockSize - shift;
            int run = outside != 0 ? BitOperations.TrailingZeroCount(outside) : available;
            dots &= (1u << run) - 1;
            if ((dots & ((dots << 1) | dotBefore)) != 0)
                return ~ScanBytes(span, i + run, SipCharClass.Hostname);
            i += run;
            if (run < available || i >= span.Length)
                return i > start ? i : ~i;
            dotBefore = (dots >> (run - 1)) & 1;
        }
    }

    // One bit per byte of the block (bit k for byte k), set when the byte is NOT in the class whose
    // bitmap is given: the low nibble picks a bitmap byte, the high nibble picks a bit in it.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static uint OutsideBits(Vector128<byte> block, Vector128<byte> bitmap)
    {
        Vector128<byte> lowNibbles = block & Vector128.Create((byte)0x0F);
        Vector128<byte> highNibbles = Vector128.ShiftRightLogical(block.AsUInt16(), 4).AsByte() & Vector128.Create((byte)0x0F);
        Vector128<byte> bits = Vector128.ShuffleNative(bitmap, lowNibbles) & Vector128.ShuffleNative(s_highNibbleBits, highNibbles);
        return Vector128.Equals(bits, Vector128<byte>.Zero).ExtractMostSignificantBits();
    }

    private static Vector128<byte> NibbleBitmap(SipCharClass c)
    {
        Span<byte> bitmap = stackalloc byte[BlockSize];
        bitmap.Clear();
        for (int b = 0; b < 128; b++)
        {
            if ((s_classes[b] & (ushort)c) != 0)
                bitmap[b & 0x0F] |= (byte)(1 << (b >> 4));
        }
        return Vector128.Create((ReadOnlySpan<byte>)bitmap);
    }
}
