using System.Buffers.Binary;
using System.Text;

namespace Dialtone.Engine.Sip.Message;

/// <summary>
/// Maps header names (full and compact forms, RFC 3261 §7.3.3, RFC 3515, RFC 3841, RFC 3892,
/// RFC 4028, RFC 6665, RFC 8224) to <see cref="SipHeaderId"/> and gives the canonical spelling.
/// </summary>
public static class SipHeaderNames
{
    internal const int IdCount = (int)SipHeaderId.HistoryInfo + 1;

    // Index by name length, then a short list of candidates (one to four per length). Each
    // candidate is compared as up to three case-folded 8-byte words (head, middle, tail; they may
    // overlap), so a lookup costs a few integer compares instead of a byte loop.
    private static readonly byte[]?[] s_canonical = new byte[IdCount][];
    private static readonly Candidate[][] s_byLength;
    private static readonly SipHeaderId[] s_compact = new SipHeaderId[26];

    private readonly record struct Candidate(ulong Head, ulong Middle, ulong Tail, SipHeaderId Id);

    static SipHeaderNames()
    {
        (SipHeaderId Id, string Name, char Compact)[] table =
        [
            (SipHeaderId.Via, "Via", 'v'),
            (SipHeaderId.From, "From", 'f'),
            (SipHeaderId.To, "To", 't'),
            (SipHeaderId.CallId, "Call-ID", 'i'),
            (SipHeaderId.CSeq, "CSeq", '\0'),
            (SipHeaderId.Contact, "Contact", 'm'),
            (SipHeaderId.MaxForwards, "Max-Forwards", '\0'),
            (SipHeaderId.ContentLength, "Content-Length", 'l'),
            (SipHeaderId.ContentType, "Content-Type", 'c'),
            (SipHeaderId.Route, "Route", '\0'),
            (SipHeaderId.RecordRoute, "Record-Route", '\0'),
            (SipHeaderId.Allow, "Allow", '\0'),
            (SipHeaderId.Supported, "Supported", 'k'),
            (SipHeaderId.Require, "Require", '\0'),
            (SipHeaderId.ProxyRequire, "Proxy-Require", '\0'),
            (SipHeaderId.Unsupported, "Unsupported", '\0'),
            (SipHeaderId.WwwAuthenticate, "WWW-Authenticate", '\0'),
            (SipHeaderId.ProxyAuthenticate, "Proxy-Authenticate", '\0'),
            (SipHeaderId.Authorization, "Authorization", '\0'),
            (SipHeaderId.ProxyAuthorization, "Proxy-Authorization", '\0'),
            (SipHeaderId.RSeq, "RSeq", '\0'),
            (SipHeaderId.RAck, "RAck", '\0'),
            (SipHeaderId.SessionExpires, "Session-Expires", 'x'),
            (SipHeaderId.MinSE, "Min-SE", '\0'),
            (SipHeaderId.Expires, "Expires", '\0'),
            (SipHeaderId.UserAgent, "User-Agent", '\0'),
            (SipHeaderId.Server, "Server", '\0'),
            (SipHeaderId.Event, "Event", 'o'),
            (SipHeaderId.ContentEncoding, "Content-Encoding", 'e'),
            (SipHeaderId.Accept, "Accept", '\0'),
            (SipHeaderId.ReferTo, "Refer-To", 'r'),
            (SipHeaderId.PAssertedIdentity, "P-Asserted-Identity", '\0'),
            (SipHeaderId.Reason, "Reason", '\0'),
            (SipHeaderId.RetryAfter, "Retry-After", '\0'),
            (SipHeaderId.Timestamp, "Timestamp", '\0'),
            (SipHeaderId.Subject, "Subject", 's'),
            (SipHeaderId.Date, "Date", '\0'),
            (SipHeaderId.MinExpires, "Min-Expires", '\0'),
            (SipHeaderId.Warning, "Warning", '\0'),
            (SipHeaderId.AcceptEncoding, "Accept-Encoding", '\0'),
            (SipHeaderId.AcceptLanguage, "Accept-Language", '\0'),
            (SipHeaderId.AlertInfo, "Alert-Info", '\0'),
            (SipHeaderId.CallInfo, "Call-Info", '\0'),
            (SipHeaderId.ContentDisposition, "Content-Disposition", '\0'),
            (SipHeaderId.ContentLanguage, "Content-Language", '\0'),
            (SipHeaderId.ErrorInfo, "Error-Info", '\0'),
            (SipHeaderId.InReplyTo, "In-Reply-To", '\0'),
            (SipHeaderId.MimeVersion, "MIME-Version", '\0'),
            (SipHeaderId.Organization, "Organization", '\0'),
            (SipHeaderId.Priority, "Priority", '\0'),
            (SipHeaderId.ReplyTo, "Reply-To", '\0'),
            (SipHeaderId.AuthenticationInfo, "Authentication-Info", '\0'),
            (SipHeaderId.AllowEvents, "Allow-Events", 'u'),
            (SipHeaderId.SubscriptionState, "Subscription-State", '\0'),
            (SipHeaderId.ReferredBy, "Referred-By", 'b'),
            (SipHeaderId.Replaces, "Replaces", '\0'),
            (SipHeaderId.Path, "Path", '\0'),
            (SipHeaderId.ServiceRoute, "Service-Route", '\0'),
            (SipHeaderId.PPreferredIdentity, "P-Preferred-Identity", '\0'),
            (SipHeaderId.Privacy, "Privacy", '\0'),
            (SipHeaderId.Identity, "Identity", 'y'),
            (SipHeaderId.AcceptContact, "Accept-Contact", 'a'),
            (SipHeaderId.RejectContact, "Reject-Contact", 'j'),
            (SipHeaderId.RequestDisposition, "Request-Disposition", 'd'),
            (SipHeaderId.Diversion, "Diversion", '\0'),
            (SipHeaderId.HistoryInfo, "History-Info", '\0'),
        ];

        int maxLength = 0;
        foreach (var entry in table)
            maxLength = Math.Max(maxLength, entry.Name.Length);
        var lists = new List<Candidate>[maxLength + 1];
        for (int i = 0; i < lists.Length; i++)
            lists[i] = [];
        foreach (var (id, name, compact) in table)
        {
            s_canonical[(int)id] = Encoding.ASCII.GetBytes(name);
            byte[] bytes = Encoding.ASCII.GetBytes(name);
            var (head, middle, tail) = Fold(bytes);
            lists[name.Length].Add(new Candidate(head, middle, tail, id));
            if (compact != '\0')
                s_compact[compact - 'a'] = id;
        }
        s_byLength = new Candidate[lists.Length][];
        for (int i = 0; i < lists.Length; i++)
            s_byLength[i] = [.. lists[i]];
    }

    /// <summary>The id of a header name, matched case-insensitively (RFC 3261 §7.3.1).</summary>
    /// <remarks>
    /// The name is expected to be a token (the parser only passes tokens); the case fold used to
    /// compare is exact for tokens but could equate a control byte with a letter's neighbour.
    /// </remarks>
    public static SipHeaderId Lookup(ReadOnlySpan<byte> name)
    {
        if (name.Length == 1)
        {
            uint letter = (uint)((name[0] | 0x20) - 'a');
            return letter < 26 ? s_compact[letter] : SipHeaderId.Other;
        }
        if ((uint)name.Length >= (uint)s_byLength.Length || name.IsEmpty)
            return SipHeaderId.Other;
        Candidate[] candidates = s_byLength[name.Length];
        if (candidates.Length == 0)
            return SipHeaderId.Other;
        var (head, middle, tail) = Fold(name);
        foreach (Candidate c in candidates)
        {
            if (c.Head == head && c.Tail == tail && c.Middle == middle)
                return c.Id;
        }
        return SipHeaderId.Other;
    }

    /// <summary>
    /// Three 8-byte words covering the name, each OR 0x20 (ASCII lower case). The fold maps no
    /// token character other than a letter's other case onto a letter, digit or '-', the only
    /// characters of the known names, so equal words mean equal names ignoring case.
    /// </summary>
    private static (ulong Head, ulong Middle, ulong Tail) Fold(ReadOnlySpan<byte> name)
    {
        const ulong Lower = 0x2020202020202020;
        if (name.Length >= 8)
        {
            ulong head = BinaryPrimitives.ReadUInt64LittleEndian(name) | Lower;
            ulong tail = BinaryPrimitives.ReadUInt64LittleEndian(name.Slice(name.Length - 8)) | Lower;
            ulong middle = name.Length > 16 ? BinaryPrimitives.ReadUInt64LittleEndian(name.Slice(8)) | Lower : 0;
            return (head, middle, tail);
        }
        ulong packed = 0;
        for (int i = name.Length - 1; i >= 0; i--)
            packed = (packed << 8) | (byte)(name[i] | 0x20);
        return (packed, 0, 0);
    }

    /// <summary>The canonical (full, RFC-cased) name of a known header; empty for <see cref="SipHeaderId.Other"/>.</summary>
    public static ReadOnlySpan<byte> GetName(SipHeaderId id) =>
        (uint)id < (uint)IdCount ? s_canonical[(int)id] : default;
}
