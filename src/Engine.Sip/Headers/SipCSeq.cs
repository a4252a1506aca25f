using Dialtone.Engine.Sip.Message;

namespace Dialtone.Engine.Sip.Headers;

/// <summary>CSeq = 1*DIGIT LWS Method (RFC 3261 §20.16), the number a 32-bit unsigned integer.</summary>
public readonly ref struct SipCSeq
{
    private SipCSeq(uint number, SipMethod method, ReadOnlySpan<byte> methodName)
    {
        Number = number;
        Method = method;
        MethodName = methodName;
    }

    /// <summary>The sequence number.</summary>
    public uint Number { get; }

    /// <summary>The method (Extension for unknown methods).</summary>
    public SipMethod Method { get; }

    /// <summary>The method token as received.</summary>
    public ReadOnlySpan<byte> MethodName { get; }

    /// <summary>Parses a CSeq value; false on a missing part, extra text or a number above 2^32-1 (RFC 4475 §3.1.2.4).</summary>
    public static bool TryParse(ReadOnlySpan<byte> value, out SipCSeq cseq)
    {
        cseq = default;
        int i = SipSyntax.SkipWhitespace(value, 0);
        // The number is read while its digits are found. More than 16 digits is refused even with
        // leading zeros (the limit of SipSyntax.TryParseUInt32); up to 16, a ulong cannot overflow.
        int digitsEnd = i;
        ulong number = 0;
        while ((uint)digitsEnd < (uint)value.Length && (uint)(value[digitsEnd] - '0') <= 9)
            number = number * 10 + (uint)(value[digitsEnd++] - '0');
        int digits = digitsEnd - i;
        if (digits == 0 || digits > 16 || number > uint.MaxValue)
            return false;
        int m = SipSyntax.SkipWhitespace(value, digitsEnd);
        if (m == digitsEnd)
            return false;
        int mEnd = SipSyntax.ScanToken(value, m);
        if (mEnd == m || SipSyntax.SkipWhitespace(value, mEnd) != value.Length)
            return false;
        ReadOnlySpan<byte> method = value.Slice(m, mEnd - m);
        cseq = new SipCSeq((uint)number, SipMethods.Parse(method), method);
        return true;
    }
}
