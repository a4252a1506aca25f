using System.Runtime.CompilerServices;
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
    public static bool TryParse(ReadOnlySpan<byte> value, out SipVia via) => TryParse(value, out via, firstOfList: false);

    /// <summary>
    /// Parses the first via-parm of a whole Via header value, where more may follow after a comma
    /// (RFC 3261 §7.3.1): the same as <see cref="TryParse(ReadOnlySpan{byte}, out SipVia)"/> on the
    /// first element, without a separate search for the comma first. A via-parm holds a comma only
    /// inside a quoted parameter value, which the parse steps over as the element search would, so
    /// the parse stops exactly where the first element ends.
    /// </summary>
    internal static bool TryParseFirst(ReadOnlySpan<byte> value, out SipVia via) => TryParse(value, out via, firstOfList: true);

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static bool TryParse(ReadOnlySpan<byte> value, out SipVia via, bool firstOfList)
    {
        via = default;
        via._raw = value;
        via._port = via._rport = via._ttl = -1;
        int i;
        if (value.Length > 12 && value.StartsWith("SIP/2.0/"u8) && value[11] == (byte)' ' && SipCharTable.Is(value[8], SipCharClass.Token)
            && SipCharTable.Is(value[9], SipCharClass.Token) && SipCharTable.Is(value[10], SipCharClass.Token))
        {
            // Nearly every Via starts "SIP/2.0/UDP " (or TCP, TLS): no LWS inside the sent-protocol,
            // a three-letter transport, one SP. The parts are where the general path would find them.
            via._nameLength = 3;
            via._versionStart = 4;
            via._versionLength = 3;
            via._transportStart = 8;
            via._transportLength = 3;
            i = 11;
        }
        else
        {
            i = ReadSentProtocol(value, ref via);
            if (i < 0)
                return false;
        }
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
            hostEnd = SipCharTable.ScanHostname(value, hostStart);
            if (hostEnd < 0)
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
            SipParameterBounds p = SipParameters.ReadHeaderParameter(value, i, first < 0 ? "branch"u8 : "rport"u8);
            if (p.End == SipParameters.NoParameter)
                break;
            if (p.End == SipParameters.Malformed)
                return false;
            if (first < 0)
                first = p.Semicolon;
            int ns = p.NameStart, ne = p.NameEnd, vs = p.ValueStart, ve = p.ValueEnd;
            bool valueIsToken = p.ValueIsToken;
            int next = p.End;
            ReadOnlySpan<byte> n = value.Slice(ns, ne - ns);
            ReadOnlySpan<byte> v = vs < 0 ? default : value.Slice(vs, ve - vs);
            switch (n.Length)
            {
                case 6 when (n[0] | 0x20) == 'b' && SipSyntax.EqualsLowerLiteral(n, "branch"u8):
                    // branch = token, where a generic-param value may also be a host or a quoted-string.
                    if (vs < 0 || !valueIsToken)
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
        int end = SipSyntax.SkipWhitespace(value, i);
        return end == value.Length || (firstOfList && value[end] == (byte)',');
    }

    // sent-protocol = protocol-name SLASH protocol-version SLASH transport, LWS allowed around the
    // slashes (RFC 3261 §20.42, RFC 4475 §3.1.1.1). Returns the index after the transport, or -1.
    // Kept apart so that the position is a plain local in the parse above.
    private static int ReadSentProtocol(ReadOnlySpan<byte> value, ref SipVia via)
    {
        int i = SipSyntax.SkipWhitespace(value, 0);
        if (!ReadToken(value, ref i, out via._nameStart, out via._nameLength) || !Expect(value, ref i, (byte)'/')
            || !ReadToken(value, ref i, out via._versionStart, out via._versionLength) || !Expect(value, ref i, (byte)'/')
            || !ReadToken(value, ref i, out via._transportStart, out via._transportLength))
            return -1;
        return i;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool ReadToken(ReadOnlySpan<byte> value, scoped ref int i, out int start, out int length)
    {
        start = SipSyntax.SkipWhitespace(value, i);
        int end = SipSyntax.ScanToken(value, start);
        length = end - start;
        i = end;
        return length > 0;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool Expect(ReadOnlySpan<byte> value, ref int i, byte b)
    {
        i = SipSyntax.SkipWhitespace(value, i);
        if (i >= value.Length || value[i] != b)
            return false;
        i++;
        return true;
    }
}
