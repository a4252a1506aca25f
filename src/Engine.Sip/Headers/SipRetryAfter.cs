using Dialtone.Engine.Sip.Addressing;
using Dialtone.Engine.Sip.Message;

namespace Dialtone.Engine.Sip.Headers;

/// <summary>Retry-After = delta-seconds [ comment ] *( SEMI retry-param ) (RFC 3261 §20.33).</summary>
public readonly ref struct SipRetryAfter
{
    private SipRetryAfter(uint deltaSeconds, ReadOnlySpan<byte> comment, SipParameters parameters)
    {
        DeltaSeconds = deltaSeconds;
        Comment = comment;
        Parameters = parameters;
    }

    /// <summary>Seconds to wait.</summary>
    public uint DeltaSeconds { get; }

    /// <summary>The comment with its parentheses, or empty.</summary>
    public ReadOnlySpan<byte> Comment { get; }

    /// <summary>Parameters (duration, ...).</summary>
    public SipParameters Parameters { get; }

    /// <summary>The duration parameter in seconds, when present and valid.</summary>
    public bool TryGetDuration(out uint seconds)
    {
        seconds = 0;
        return Parameters.TryGetValue("duration"u8, out var v) && SipSyntax.TryParseUInt32(v, out seconds);
    }

    /// <summary>Parses a Retry-After value; false on overflow (RFC 4475 §3.1.2.5) or bad syntax.</summary>
    public static bool TryParse(ReadOnlySpan<byte> value, out SipRetryAfter result)
    {
        result = default;
        int i = SipSyntax.SkipWhitespace(value, 0);
        int end = i;
        while (end < value.Length && (uint)(value[end] - '0') <= 9)
            end++;
        if (!SipSyntax.TryParseUInt32(value.Slice(i, end - i), out uint delta))
            return false;
        ReadOnlySpan<byte> comment = default;
        int c = SipSyntax.SkipWhitespace(value, end);
        if (c < value.Length && value[c] == (byte)'(')
        {
            // comment = LPAREN *(ctext / quoted-pair / comment) RPAREN: nesting allowed.
            int depth = 0, j = c;
            for (; j < value.Length; j++)
            {
                byte b = value[j];
                if (b == (byte)'\\') { j++; continue; }
                if (b == (byte)'(') depth++;
                else if (b == (byte)')' && --depth == 0) break;
            }
            if (j >= value.Length)
                return false;
            comment = value.Slice(c, j - c + 1);
            end = j + 1;
        }
        if (!SipParameters.TryParseHeaderParameters(value, end, out int paramEnd, out var parameters)
            || SipSyntax.SkipWhitespace(value, paramEnd) != value.Length)
            return false;
        result = new SipRetryAfter(delta, comment, parameters);
        return true;
    }
}
