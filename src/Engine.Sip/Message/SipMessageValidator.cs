using System.Text;
using Dialtone.Engine.Sip.Addressing;
using Dialtone.Engine.Sip.Headers;

namespace Dialtone.Engine.Sip.Message;

/// <summary>
/// The checks a UAS makes on a parsed request before the transaction layer (RFC 3261 §8.2), and
/// the sanity checks a UAC makes on a response (§8.1.3.3, §18.1.2). Allocation-free once built.
/// </summary>
/// <remarks>
/// Order, first match wins: 505 (version, §8.2 / §21.5.7); 400 (missing or repeated To, From,
/// CSeq, Call-ID, Max-Forwards; no Via; any of those, Contact, Route, Record-Route or Content-Type
/// malformed); 501 extension method / 405 method not allowed (§8.2.1); 400 CSeq method differs from
/// the request method; 416 Request-URI scheme other than sip, sips, tel (§8.2.2.1); 400 malformed
/// Request-URI or one with headers (RFC 4475 §3.1.2.11); 483 Max-Forwards 0 when forwarding; 420
/// unsupported Require (§8.2.2.3, not for ACK or CANCEL); 415 body type or encoding not accepted
/// (§8.2.3); 406 INVITE whose Accept excludes every type we answer with. A missing Max-Forwards is
/// accepted for RFC 2543 peers (RFC 4475 §3.4.1). Content-Length against the body is enforced by
/// the parser itself (a Content-Length larger than the data fails the parse).
/// </remarks>
public sealed class SipMessageValidator
{
    private readonly byte[][] _supportedTags;
    private readonly byte[][] _acceptedTypes;
    private readonly byte[][] _responseTypes;
    private readonly bool[]? _allowed;
    private readonly bool _forwards;

    /// <summary>Creates a validator with <paramref name="options"/> (defaults when null).</summary>
    public SipMessageValidator(SipValidatorOptions? options = null)
    {
        options ??= new SipValidatorOptions();
        _supportedTags = ToBytes(options.SupportedOptionTags);
        _acceptedTypes = ToMediaTypes(options.AcceptedContentTypes);
        _responseTypes = ToMediaTypes(options.ResponseContentTypes);
        if (options.AllowedMethods is { } allowed)
        {
            _allowed = new bool[(int)SipMethod.Publish + 1];
            foreach (SipMethod m in allowed)
                _allowed[(int)m] = true;
        }
        _forwards = options.ForwardsRequests;
    }

    /// <summary>Checks a request; returns the status a UAS answers with, or 0.</summary>
    public SipValidationResult ValidateRequest(SipMessage request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!request.IsParsed || !request.IsRequest)
            throw new ArgumentException("A parsed request is required.", nameof(request));

        if (!request.IsSip20)
            return SipValidationResult.Reject(505, "SIP version not supported");

        var headers = CheckCommonHeaders(request, out int status);
        if (status != 0)
            return headers;

        if (request.Count(SipHeaderId.MaxForwards) > 1)
            return SipValidationResult.Reject(400, "repeated Max-Forwards", SipHeaderId.MaxForwards);
        int maxForwards = -1;
        if (request.TryGetHeader(SipHeaderId.MaxForwards, out SipHeader mf)
            && !SipHeaderValues.TryParseMaxForwards(request.GetValue(mf), out maxForwards))
            return SipValidationResult.Reject(400, "malformed Max-Forwards", SipHeaderId.MaxForwards);

        bool isRegister = request.Method == SipMethod.Register;
        foreach (ReadOnlySpan<byte> contact in request.GetValues(SipHeaderId.Contact))
        {
            if (!SipNameAddress.TryParse(contact, out _, allowWildcard: isRegister))
                return SipValidationResult.Reject(400, "malformed Contact", SipHeaderId.Contact);
        }
        foreach (ReadOnlySpan<byte> route in request.GetValues(SipHeaderId.Route))
        {
            if (!SipNameAddress.TryParse(route, out _))
                return SipValidationResult.Reject(400, "malformed Route", SipHeaderId.Route);
        }
        foreach (ReadOnlySpan<byte> route in request.GetValues(SipHeaderId.RecordRoute))
        {
            if (!SipNameAddress.TryParse(route, out _))
                return SipValidationResult.Reject(400, "malformed Record-Route", SipHeaderId.RecordRoute);
        }
        bool hasContentType = request.TryGetHeader(SipHeaderId.ContentType, out SipHeader ct);
        SipContentType contentType = default;
        if (hasContentType && !SipContentType.TryParse(request.GetValue(ct), out contentType))
            return SipValidationResult.Reject(400, "malformed Content-Type", SipHeaderId.ContentType);

        // §8.2.1: method inspection. An unknown method is 501 even when the CSeq disagrees
        // (RFC 4475 §3.1.2.18 prefers 501).
        if (request.Method == SipMethod.Extension)
            return SipValidationResult.Reject(501, "method not implemented");
        if (_allowed is not null && !_allowed[(int)request.Method])
            return SipValidationResult.Reject(405, "method not allowed");

        SipCSeq.TryParse(request.GetValue(SipHeaderId.CSeq), out SipCSeq cseq);
        if (!cseq.MethodName.SequenceEqual(request.MethodName))
            return SipValidationResult.Reject(400, "CSeq method does not match the request method", SipHeaderId.CSeq);

        // §8.2.2.1: a syntactically valid URI of a scheme we do not serve is 416; a malformed one is 400.
        ReadOnlySpan<byte> uriText = request.RequestUri;
        int colon = uriText.IndexOf((byte)':');
        if (colon > 0 && IsScheme(uriText.Slice(0, colon)) && !IsSupportedScheme(uriText.Slice(0, colon)))
            return SipValidationResult.Reject(416, "unsupported Request-URI scheme");
        if (!SipUri.TryParse(uriText, out SipUri uri))
            return SipValidationResult.Reject(400, "malformed Request-URI");
        if (!uri.Headers.IsEmpty)
            return SipValidationResult.Reject(400, "Request-URI carries headers");

        if (_forwards && maxForwards == 0 && request.Method != SipMethod.Options)
            return SipValidationResult.Reject(483, "Max-Forwards exhausted", SipHeaderId.MaxForwards);

        if (request.Method is not (SipMethod.Ack or SipMethod.Cancel))
        {
            foreach (ReadOnlySpan<byte> tag in request.GetValues(SipHeaderId.Require))
            {
                if (!tag.IsEmpty && !Contains(_supportedTags, tag, ignoreCase: false))
                    return SipValidationResult.Reject(420, "unsupported option tag in Require", SipHeaderId.Require);
            }
        }

        if (!request.Body.IsEmpty)
        {
            if (hasContentType && !AcceptsType(_acceptedTypes, contentType))
                return SipValidationResult.Reject(415, "unsupported body type", SipHeaderId.ContentType);
            foreach (ReadOnlySpan<byte> coding in request.GetValues(SipHeaderId.ContentEncoding))
            {
                if (!coding.IsEmpty && !Ascii.EqualsIgnoreCase(coding, "identity"u8))
                    return SipValidationResult.Reject(415, "unsupported Content-Encoding", SipHeaderId.ContentEncoding);
            }
        }

        if (request.Method == SipMethod.Invite && request.Contains(SipHeaderId.Accept) && !AcceptListsResponseType(request))
            return SipValidationResult.Reject(406, "Accept excludes every body type we answer with", SipHeaderId.Accept);

        return SipValidationResult.Accept;
    }

    /// <summary>
    /// Checks a response a UAC received: one Via only (RFC 3261 §8.1.3.3: more means it was
    /// misrouted), and well-formed Via, From, To, Call-ID and CSeq. A failed check means discard.
    /// </summary>
    public SipValidationResult ValidateResponse(SipMessage response)
    {
        ArgumentNullException.ThrowIfNull(response);
        if (!response.IsParsed || !response.IsResponse)
            throw new ArgumentException("A parsed response is required.", nameof(response));
        if (!response.IsSip20)
            return SipValidationResult.Discard("SIP version not supported");
        var headers = CheckCommonHeaders(response, out int status);
        if (status != 0)
            return SipValidationResult.Discard(headers.Reason, headers.Header);
        int vias = 0;
        foreach (ReadOnlySpan<byte> _ in response.GetValues(SipHeaderId.Via))
            vias++;
        if (vias != 1)
            return SipValidationResult.Discard("response with more than one Via", SipHeaderId.Via);
        return SipValidationResult.Accept;
    }

    /// <summary>
    /// Writes "Unsupported: tag, tag" listing the Require tags this validator does not support,
    /// for a 420 response (RFC 3261 §8.2.2.3). Returns how many tags were listed.
    /// </summary>
    public int WriteUnsupported(ref SipMessageWriter writer, SipMessage request)
    {
        Span<byte> line = stackalloc byte[1024];
        int n = 0, count = 0;
        foreach (ReadOnlySpan<byte> tag in request.GetValues(SipHeaderId.Require))
        {
            if (tag.IsEmpty || Contains(_supportedTags, tag, ignoreCase: false) || n + tag.Length + 2 > line.Length)
                continue;
            if (n > 0)
            {
                line[n++] = (byte)',';
                line[n++] = (byte)' ';
            }
            tag.CopyTo(line.Slice(n));
            n += tag.Length;
            count++;
        }
        if (count > 0)
            writer.WriteHeader(SipHeaderId.Unsupported, line.Slice(0, n));
        return count;
    }

    // To, From, CSeq and Call-ID exactly once; at least one Via; each well-formed (RFC 3261 §8.1.1).
    private static SipValidationResult CheckCommonHeaders(SipMessage message, out int status)
    {
        status = 400;
        if (message.Count(SipHeaderId.Via) == 0)
            return SipValidationResult.Reject(400, "missing Via", SipHeaderId.Via);
        foreach (ReadOnlySpan<byte> via in message.GetValues(SipHeaderId.Via))
        {
            if (!SipVia.TryParse(via, out _))
                return SipValidationResult.Reject(400, "malformed Via", SipHeaderId.Via);
        }
        if (!IsSingle(message, SipHeaderId.From, out var r) || !IsSingle(message, SipHeaderId.To, out r)
            || !IsSingle(message, SipHeaderId.CallId, out r) || !IsSingle(message, SipHeaderId.CSeq, out r))
            return r;
        if (!SipNameAddress.TryParse(message.GetValue(SipHeaderId.From), out _))
            return SipValidationResult.Reject(400, "malformed From", SipHeaderId.From);
        if (!SipNameAddress.TryParse(message.GetValue(SipHeaderId.To), out _))
            return SipValidationResult.Reject(400, "malformed To", SipHeaderId.To);
        ReadOnlySpan<byte> callId = message.GetValue(SipHeaderId.CallId);
        if (callId.IsEmpty || callId.ContainsAny(SipSyntax.Whitespace))
            return SipValidationResult.Reject(400, "malformed Call-ID", SipHeaderId.CallId);
        if (!SipCSeq.TryParse(message.GetValue(SipHeaderId.CSeq), out _))
            return SipValidationResult.Reject(400, "malformed CSeq", SipHeaderId.CSeq);
        status = 0;
        return SipValidationResult.Accept;
    }

    private static bool IsSingle(SipMessage message, SipHeaderId id, out SipValidationResult result)
    {
        int count = message.Count(id);
        result = count switch
        {
            1 => SipValidationResult.Accept,
            0 => SipValidationResult.Reject(400, id switch
            {
                SipHeaderId.From => "missing From",
                SipHeaderId.To => "missing To",
                SipHeaderId.CallId => "missing Call-ID",
                _ => "missing CSeq",
            }, id),
            _ => SipValidationResult.Reject(400, id switch
            {
                SipHeaderId.From => "repeated From",
                SipHeaderId.To => "repeated To",
                SipHeaderId.CallId => "repeated Call-ID",
                _ => "repeated CSeq",
            }, id),
        };
        return count == 1;
    }

    private bool AcceptListsResponseType(SipMessage request)
    {
        foreach (ReadOnlySpan<byte> element in request.GetValues(SipHeaderId.Accept))
        {
            // Accept: an empty value means no body is acceptable (RFC 3261 §20.1); ignore such elements.
            if (element.IsEmpty || !SipContentType.TryParse(element, out SipContentType range))
                continue;
            foreach (byte[] type in _responseTypes)
            {
                int slash = Array.IndexOf(type, (byte)'/');
                ReadOnlySpan<byte> t = type.AsSpan(0, slash), s = type.AsSpan(slash + 1);
                bool typeMatches = range.Type.SequenceEqual("*"u8) || Ascii.EqualsIgnoreCase(range.Type, t);
                bool subMatches = range.Subtype.SequenceEqual("*"u8) || Ascii.EqualsIgnoreCase(range.Subtype, s);
                if (typeMatches && subMatches)
                    return true;
            }
        }
        return false;
    }

    private static bool AcceptsType(byte[][] types, SipContentType contentType)
    {
        foreach (byte[] type in types)
        {
            if (contentType.Is(type))
                return true;
        }
        return false;
    }

    private static bool Contains(byte[][] set, ReadOnlySpan<byte> value, bool ignoreCase)
    {
        foreach (byte[] item in set)
        {
            if (ignoreCase ? Ascii.EqualsIgnoreCase(item, value) : value.SequenceEqual(item))
                return true;
        }
        return false;
    }

    private static bool IsScheme(ReadOnlySpan<byte> scheme)
    {
        if ((uint)((scheme[0] | 0x20) - 'a') > 'z' - 'a')
            return false;
        foreach (byte b in scheme)
        {
            if (!(char.IsAsciiLetterOrDigit((char)b) || b is (byte)'+' or (byte)'-' or (byte)'.'))
                return false;
        }
        return true;
    }

    private static bool IsSupportedScheme(ReadOnlySpan<byte> scheme) =>
        Ascii.EqualsIgnoreCase(scheme, "sip"u8) || Ascii.EqualsIgnoreCase(scheme, "sips"u8) || Ascii.EqualsIgnoreCase(scheme, "tel"u8);

    private static byte[][] ToMediaTypes(IReadOnlyList<string> values)
    {
        byte[][] types = ToBytes(values);
        foreach (byte[] type in types)
        {
            int slash = Array.IndexOf(type, (byte)'/');
            if (slash <= 0 || slash == type.Length - 1)
                throw new ArgumentException("Media types must be written type/subtype.", nameof(values));
        }
        return types;
    }

    private static byte[][] ToBytes(IReadOnlyList<string> values)
    {
        var result = new byte[values.Count][];
        for (int i = 0; i < result.Length; i++)
        {
            if (!Ascii.IsValid(values[i]))
                throw new ArgumentException("Values must be ASCII.", nameof(values));
            result[i] = Encoding.ASCII.GetBytes(values[i]);
        }
        return result;
    }
}
