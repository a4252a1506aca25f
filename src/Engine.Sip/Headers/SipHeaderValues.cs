using System.Text;
using Dialtone.Engine.Sip.Message;

namespace Dialtone.Engine.Sip.Headers;

/// <summary>Readers for the simple scalar and token-list headers.</summary>
public static class SipHeaderValues
{
    /// <summary>Max-Forwards = 1*DIGIT, 0 to 255 (RFC 3261 §20.22).</summary>
    public static bool TryParseMaxForwards(ReadOnlySpan<byte> value, out int hops)
    {
        hops = 0;
        return SipSyntax.TryParseInt32(SipSyntax.Trim(value), out hops) && hops <= 255;
    }

    /// <summary>delta-seconds = 1*DIGIT up to 2^32-1 (Expires, Min-Expires, RFC 3261 §20.19, §20.23).</summary>
    public static bool TryParseDeltaSeconds(ReadOnlySpan<byte> value, out uint seconds) =>
        SipSyntax.TryParseUInt32(SipSyntax.Trim(value), out seconds);

    /// <summary>RSeq = 1*DIGIT, 1 to 2^32-1 (RFC 3262 §7.1).</summary>
    public static bool TryParseRSeq(ReadOnlySpan<byte> value, out uint rseq) =>
        SipSyntax.TryParseUInt32(SipSyntax.Trim(value), out rseq) && rseq != 0;

    /// <summary>Content-Length = 1*DIGIT (RFC 3261 §20.14).</summary>
    public static bool TryParseContentLength(ReadOnlySpan<byte> value, out int length) =>
        SipSyntax.TryParseInt32(SipSyntax.Trim(value), out length);

    /// <summary>
    /// True when a token-list header (Allow, Supported, Require, Proxy-Require, Unsupported,
    /// Allow-Events...) lists <paramref name="token"/> on any of its lines. Option tags and methods
    /// compare case-sensitively as RFC 3261 §7.1 and §19.2 define them; pass
    /// <paramref name="ignoreCase"/> to relax that.
    /// </summary>
    public static bool ContainsToken(SipMessage message, SipHeaderId id, ReadOnlySpan<byte> token, bool ignoreCase = false)
    {
        foreach (ReadOnlySpan<byte> element in message.GetValues(id))
        {
            if (ignoreCase ? Ascii.EqualsIgnoreCase(element, token) : element.SequenceEqual(token))
                return true;
        }
        return false;
    }
}
