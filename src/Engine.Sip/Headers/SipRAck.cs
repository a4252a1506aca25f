using Dialtone.Engine.Sip.Message;

namespace Dialtone.Engine.Sip.Headers;

/// <summary>RAck = response-num LWS CSeq-num LWS Method (RFC 3262 §7.2).</summary>
public readonly ref struct SipRAck
{
    private SipRAck(uint responseNumber, uint cseqNumber, SipMethod method, ReadOnlySpan<byte> methodName)
    {
        ResponseNumber = responseNumber;
        CSeqNumber = cseqNumber;
        Method = method;
        MethodName = methodName;
    }

    /// <summary>The RSeq of the acknowledged provisional response.</summary>
    public uint ResponseNumber { get; }

    /// <summary>The CSeq number of the request the response belongs to.</summary>
    public uint CSeqNumber { get; }

    /// <summary>The CSeq method.</summary>
    public SipMethod Method { get; }

    /// <summary>The CSeq method token.</summary>
    public ReadOnlySpan<byte> MethodName { get; }

    /// <summary>Parses an RAck value.</summary>
    public static bool TryParse(ReadOnlySpan<byte> value, out SipRAck rack)
    {
        rack = default;
        int i = SipSyntax.SkipWhitespace(value, 0);
        int end = i;
        while (end < value.Length && (uint)(value[end] - '0') <= 9)
            end++;
        if (!SipSyntax.TryParseUInt32(value.Slice(i, end - i), out uint rseq) || rseq == 0)
            return false;
        if (!SipCSeq.TryParse(value.Slice(end), out SipCSeq cseq) || SipSyntax.SkipWhitespace(value, end) == end)
            return false;
        rack = new SipRAck(rseq, cseq.Number, cseq.Method, cseq.MethodName);
        return true;
    }
}
