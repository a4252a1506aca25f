using System.Text;
using Dialtone.Engine.Sip.Addressing;
using Dialtone.Engine.Sip.Message;

namespace Dialtone.Engine.Sip.Headers;

/// <summary>
/// delta-seconds *(SEMI param): Session-Expires with its refresher parameter (RFC 4028 §4) and
/// Min-SE (RFC 4028 §5) share this shape.
/// </summary>
public readonly ref struct SipSessionExpires
{
    private SipSessionExpires(uint deltaSeconds, SipParameters parameters)
    {
        DeltaSeconds = deltaSeconds;
        Parameters = parameters;
    }

    /// <summary>The interval in seconds.</summary>
    public uint DeltaSeconds { get; }

    /// <summary>The parameters.</summary>
    public SipParameters Parameters { get; }

    /// <summary>The refresher parameter ("uac" or "uas"), or empty.</summary>
    public ReadOnlySpan<byte> Refresher => Parameters.TryGetValue("refresher"u8, out var v) ? v : default;

    /// <summary>True when refresher=uac.</summary>
    public bool RefresherIsUac => Ascii.EqualsIgnoreCase(Refresher, "uac"u8);

    /// <summary>True when refresher=uas.</summary>
    public bool RefresherIsUas => Ascii.EqualsIgnoreCase(Refresher, "uas"u8);

    /// <summary>Parses a Session-Expires or Min-SE value.</summary>
    public static bool TryParse(ReadOnlySpan<byte> value, out SipSessionExpires result)
    {
        result = default;
        int i = SipSyntax.SkipWhitespace(value, 0);
        int end = i;
        while (end < value.Length && (uint)(value[end] - '0') <= 9)
            end++;
        if (!SipSyntax.TryParseUInt32(value.Slice(i, end - i), out uint delta))
            return false;
        if (!SipParameters.TryParseHeaderParameters(value, end, out int paramEnd, out var parameters)
            || SipSyntax.SkipWhitespace(value, paramEnd) != value.Length)
            return false;
        result = new SipSessionExpires(delta, parameters);
        return true;
    }
}
