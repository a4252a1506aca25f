using System.Buffers;

namespace Dialtone.Engine.Sip.Message;

/// <summary>
/// A 256-entry table of <see cref="SipCharClass"/> bits. Short tokens, hosts and parameters are
/// scanned with it one byte at a time: for spans of a few dozen bytes that beats a vectorized
/// search, whose setup cost dominates at that size.
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
    public static bool Is(byte b, SipCharClass classes) => (s_classes[b] & (ushort)classes) != 0;

    // Past this many bytes a vectorized search beats the byte loop (its setup cost is amortized).
    private const int VectorThreshold = 16;

    private static readonly SearchValues<byte> s_token = Create(SipCharClass.Token);
    private static readonly SearchValues<byte> s_hostname = Create(SipCharClass.Hostname);
    private static readonly SearchValues<byte> s_user = Create(SipCharClass.User);
    private static readonly SearchValues<byte> s_uriParam = Create(SipCharClass.UriParam);
    private static readonly SearchValues<byte> s_uriHeader = Create(SipCharClass.UriHeader);
    private static readonly SearchValues<byte> s_paramValue = Create(SipCharClass.ParamValue);

    /// <summary>End (exclusive) of the run of bytes in <paramref name="classes"/> starting at <paramref name="start"/>.</summary>
    public static int Scan(ReadOnlySpan<byte> span, int start, SipCharClass classes)
    {
        if ((uint)start >= (uint)span.Length)
            return start;
        // Most runs (tokens, parameter names, users) are short: walk the first bytes one by one
        // and switch to a vectorized search only when the run goes on past them.
        ushort[] table = s_classes;
        int i = start;
        int limit = Math.Min(span.Length, start + VectorThreshold);
        while (i < limit && (table[span[i]] & (ushort)classes) != 0)
            i++;
        if (i < limit || i == span.Length)
            return i;
        if (VectorSet(classes) is { } set)
        {
            int k = span.Slice(i).IndexOfAnyExcept(set);
            return k < 0 ? span.Length : i + k;
        }
        while ((uint)i < (uint)span.Length && (table[span[i]] & (ushort)classes) != 0)
            i++;
        return i;
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
    public static bool All(ReadOnlySpan<byte> span, SipCharClass classes)
    {
        if (span.Length >= VectorThreshold && VectorSet(classes) is { } set)
            return !span.ContainsAnyExcept(set);
        ushort[] table = s_classes;
        foreach (byte b in span)
        {
            if ((table[b] & (ushort)classes) == 0)
                return false;
        }
        return true;
    }

    private static SearchValues<byte>? VectorSet(SipCharClass classes) => classes switch
    {
        SipCharClass.Token => s_token,
        SipCharClass.Hostname => s_hostname,
        SipCharClass.User => s_user,
        SipCharClass.UriParam => s_uriParam,
        SipCharClass.UriHeader => s_uriHeader,
        SipCharClass.ParamValue => s_paramValue,
        _ => null,
    };

    private static SearchValues<byte> Create(SipCharClass classes)
    {
        var members = new List<byte>();
        for (int b = 0; b < 256; b++)
        {
            if ((s_classes[b] & (ushort)classes) != 0)
                members.Add((byte)b);
        }
        return SearchValues.Create(members.ToArray());
    }
}
