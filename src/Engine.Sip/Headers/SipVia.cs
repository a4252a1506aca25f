using Dialtone.Engine.Sip.Addressing;
using Dialtone.Engine.Sip.Message;

namespace Dialtone.Engine.Sip.Headers;

/// <summary>
/// One via-parm (one comma-separated element of a Via header, RFC 3261 §20.42, §25.1):
/// <c>SIP/2.0/UDP host[:port];branch=..;received=..;rport[=..];maddr=..;ttl=..</c>. Whitespace and
/// folds are allowed around "/", ":", ";" and "=" (RFC 4475 §3.1.1.1).
/// </summary>
public ref struct SipVia
{
    private ReadOnlySpan<byte> _raw;
    private int _nameStart, _nameLength;
    private int _versionStart, _versionLength;
    private int _transportStart, _transportLength;
    private int _hostStart, _hostLength;
    private int _port;
    private int _paramsStart, _paramsLength;
    private int _branchStart, _branchLength;
    private int _receivedStart, _receivedLength;
    private int _maddrStart, _maddrLength;
    private int _rport;
    private int _ttl;
    private bool _hasRPort;

    /// <summary>The protocol name, normally "SIP".</summary>
    public readonly ReadOnlySpan<byte> ProtocolName => _raw.Slice(_nameStart, _nameLength);

    /// <summary>The protocol version, normally "2.0".</summary>
    public readonly ReadOnlySpan<byte> ProtocolVersion => _raw.Slice(_versionStart, _versionLength);

    /// <summary>The transport token ("UDP", "TCP", "TLS", "SCTP", "WS", or any other token).</summary>
    public readonly ReadOnlySpan<byte> Transport => _raw.Slice(_transportStart, _transportLength);

    /// <summary>The sent-by host (an IPv6 reference keeps its brackets).</summary>
    public readonly ReadOnlySpan<byte> Host => _raw.Slice(_hostStart, _hostLength);

    /// <summary>The sent-by port, or -1 when absent.</summary>
    public readonly int Port => _port;

    /// <summary>All via-params.</summary>
    public readonly SipParameters Parameters => new(_raw.Slice(_paramsStart, _paramsLength), uriStyle: false);

    /// <summary>The branch parameter (transaction id, RFC 3261 §8.1.1.7), or empty.</summary>
    public readonly ReadOnlySpan<byte> Branch => _raw.Slice(_branchStart, _branchLength);

    /// <summary>True when the branch carries the RFC 3261 magic cookie "z9hG4bK" (§8.1.1.7).</summary>
    public readonly bool HasMagicCookie => Branch.StartsWith("z9hG4bK"u8);

    /// <summary>The received parameter (RFC 3261 §18.2.1), or empty.</summary>
    public readonly ReadOnlySpan<byte> Received => _raw.Slice(_receivedStart, _receivedLength);

    /// <summary>True when an rport parameter is present, with or without a value (RFC 3581).</summary>
    public readonly bool HasRPort => _hasRPort;

    /// <summary>The rport value, or -1 when absent or empty.</summary>
    public readonly int RPort => _rport;

    /// <summary>The maddr parameter, or empty.</summary>
    public readonly ReadOnlySpan<byte> MAddr => _raw.Slice(_maddrStart, _maddrLength);

    /// <summary>The ttl parameter (0-255), or -1.</summary>
    public readonly int Ttl => _ttl;

    /// <summary>Parses one via-parm; false when malformed.</summary>
    public static bool TryParse(ReadOnlySpan<byte> value, out SipVia via)
    {
        via = default;
        via._raw = value;
        via._port = via._rport = via._ttl = -1;
        int i = SipSyntax.SkipWhitespace(value, 0);
        if (!ReadToken(value, ref i, out via._nameStart, out via._nameLength) || !Expect(value, ref i, (byte)'/')
            || !ReadToken(value, ref i, out via._versionStart, out via._versionLength) || !Expect(value, ref i, (byte)'/')
            || !ReadToken(value, ref i, out via._transportStart, out via._transportLength))
            return false;
        int hostStart = SipSyntax.SkipWhitespace(value, i);
        if (hostStart == i || hostStart >= value.Length)
            return false; // sent-protocol LWS sent-by: the LWS is required.

        int hostEnd;
        if (value[hostStart] == (byte)'[')
        {
            int close = value.Slice(hostStart).IndexOf((byte)']');
            if (close < 0)
                return false;
            hostEnd = hostStart + close + 1;
        }
        else
        {
            hostEnd = SipCharTable.Scan(value, hostStart, SipCharClass.Hostname);
            if (!SipHostSyntax.HasValidLabels(value.Slice(hostStart, hostEnd - hostStart)))
                return false;
        }
        if (value[hostStart] == (byte)'[' && !SipHostSyntax.IsValidHost(value.Slice(hostStart, hostEnd - hostStart)))
            return false;
        via._hostStart = hostStart;
        via._hostLength = hostEnd - hostStart;
        i = hostEnd;
        int afterHost = SipSyntax.SkipWhitespace(value, i);
        if (afterHost < value.Length && value[afterHost] == (byte)':')
        {
            int p = SipSyntax.SkipWhitespace(value, afterHost + 1);
            int pEnd = p;
            int port = 0;
            while (pEnd < value.Length && (uint)(value[pEnd] - '0') <= 9 && pEnd - p < 5)
                port = port * 10 + (value[pEnd++] - '0');
            if (pEnd == p || port > 65535)
                return false;
            via._port = port;
            i = pEnd;
        }

        // via-params, validated and picked out in one pass. Dispatch on length and first letter;
        // one case-insensitive compare confirms the name.
        int first = -1;
        while (true)
        {
            int next = SipParameters.ReadHeaderParameter(value, i, out int semicolon, out int ns, out int ne, out int vs, out int ve);
            if (next == SipParameters.NoParameter)
                break;
            if (next == SipParameters.Malformed)
                return false;
            if (first < 0)
                first = semicolon;
            ReadOnlySpan<byte> n = value.Slice(ns, ne - ns);
            ReadOnlySpan<byte> v = vs < 0 ? default : value.Slice(vs, ve - vs);
            switch (n.Length)
            {
                case 6 when (n[0] | 0x20) == 'b' && SipSyntax.EqualsLowerLiteral(n, "branch"u8):
                    // branch = token: the value was read as token / host / quoted-string, so only a
                    // quote or the host-only characters ':' '[' ']' can make it something else.
                    if (vs < 0 || v[0] == (byte)'"' || v.IndexOfAny((byte)':', (byte)'[', (byte)']') >= 0)
                        return false;
                    via._branchStart = vs;
                    via._branchLength = ve - vs;
                    break;
                case 8 when (n[0] | 0x20) == 'r' && SipSyntax.EqualsLowerLiteral(n, "received"u8):
                    // RFC 3261 §20.42: IPv4address / IPv6address; RFC 5118 §4.5 accepts a bracketed reference too.
                    if (vs < 0 || !SipHostSyntax.IsValidHost(v, allowBareIPv6: true))
                        return false;
                    via._receivedStart = vs;
                    via._receivedLength = ve - vs;
                    break;
                case 5 when (n[0] | 0x20) == 'r' && SipSyntax.EqualsLowerLiteral(n, "rport"u8):
                    // RFC 3581 §4: "rport" without a value in requests, with the port in responses.
                    via._hasRPort = true;
                    if (vs >= 0 && (!SipSyntax.TryParseInt32(v, out via._rport) || via._rport > 65535))
                        return false;
                    break;
                case 5 when (n[0] | 0x20) == 'm' && SipSyntax.EqualsLowerLiteral(n, "maddr"u8):
                    if (vs < 0 || !SipHostSyntax.IsValidHost(v, allowBareIPv6: true))
                        return false;
                    via._maddrStart = vs;
                    via._maddrLength = ve - vs;
                    break;
                case 3 when (n[0] | 0x20) == 't' && SipSyntax.EqualsLowerLiteral(n, "ttl"u8):
                    if (vs < 0 || !SipSyntax.TryParseInt32(v, out via._ttl) || via._ttl > 255)
                        return false;
                    break;
            }
            i = next;
        }
        if (first >= 0)
        {
            via._paramsStart = first;
            via._paramsLength = i - first;
        }
        return SipSyntax.SkipWhitespace(value, i) == value.Length;
    }

    private static bool ReadToken(ReadOnlySpan<byte> value, scoped ref int i, out int start, out int length)
    {
        start = SipSyntax.SkipWhitespace(value, i);
        int end = SipSyntax.ScanToken(value, start);
        length = end - start;
        i = end;
        return length > 0;
    }

    private static bool Expect(ReadOnlySpan<byte> value, ref int i, byte b)
    {
        i = SipSyntax.SkipWhitespace(value, i);
        if (i >= value.Length || value[i] != b)
            return false;
        i++;
        return true;
    }
}
