using System.Text;
using Dialtone.Engine.Sip.Addressing;
using Dialtone.Engine.Sip.Message;

namespace Dialtone.Engine.Sip.Headers;

/// <summary>media-type = m-type SLASH m-subtype *(SEMI m-parameter) (RFC 3261 §20.15, §25.1).</summary>
public readonly ref struct SipContentType
{
    private SipContentType(ReadOnlySpan<byte> type, ReadOnlySpan<byte> subtype, SipParameters parameters)
    {
        Type = type;
        Subtype = subtype;
        Parameters = parameters;
    }

    /// <summary>The type, e.g. "application".</summary>
    public ReadOnlySpan<byte> Type { get; }

    /// <summary>The subtype, e.g. "sdp".</summary>
    public ReadOnlySpan<byte> Subtype { get; }

    /// <summary>Media-type parameters (charset, boundary, ...).</summary>
    public SipParameters Parameters { get; }

    /// <summary>True when type and subtype match (case-insensitive).</summary>
    public bool Is(ReadOnlySpan<byte> type, ReadOnlySpan<byte> subtype) =>
        Ascii.EqualsIgnoreCase(Type, type) && Ascii.EqualsIgnoreCase(Subtype, subtype);

    /// <summary>True when "type/subtype" matches <paramref name="mediaType"/> (case-insensitive).</summary>
    public bool Is(ReadOnlySpan<byte> mediaType)
    {
        int slash = mediaType.IndexOf((byte)'/');
        return slash > 0 && Is(mediaType.Slice(0, slash), mediaType.Slice(slash + 1));
    }

    /// <summary>True for application/sdp.</summary>
    public bool IsSdp => Is("application"u8, "sdp"u8);

    /// <summary>Parses a media-type; false when malformed.</summary>
    public static bool TryParse(ReadOnlySpan<byte> value, out SipContentType contentType)
    {
        contentType = default;
        int i = SipSyntax.SkipWhitespace(value, 0);
        int typeEnd = SipSyntax.ScanToken(value, i);
        if (typeEnd == i)
            return false;
        int slash = SipSyntax.SkipWhitespace(value, typeEnd);
        if (slash >= value.Length || value[slash] != (byte)'/')
            return false;
        int s = SipSyntax.SkipWhitespace(value, slash + 1);
        int subEnd = SipSyntax.ScanToken(value, s);
        if (subEnd == s)
            return false;
        if (!SipParameters.TryParseHeaderParameters(value, subEnd, out int end, out var parameters)
            || SipSyntax.SkipWhitespace(value, end) != value.Length)
            return false;
        contentType = new SipContentType(value.Slice(i, typeEnd - i), value.Slice(s, subEnd - s), parameters);
        return true;
    }
}
