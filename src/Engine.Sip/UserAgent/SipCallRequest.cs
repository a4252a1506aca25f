using System.Text;
using Dialtone.Engine.Sip.Addressing;
using Dialtone.Engine.Sip.Message;
using Dialtone.Engine.Sip.Trunks;

namespace Dialtone.Engine.Sip.UserAgent;

/// <summary>
/// An outgoing call to place: where to (Request-URI, through a trunk), who from (caller ID and
/// display name), the SDP offer, and how long to let it ring. Immutable; one instance may be used
/// for many calls.
/// </summary>
public sealed class SipCallRequest
{
    /// <summary>The trunk the INVITE goes to.</summary>
    public required SipTrunk Trunk { get; init; }

    /// <summary>The Request-URI, e.g. <c>sip:+15551234567@carrier.example</c> (sip or sips).</summary>
    public required string RequestUri { get; init; }

    /// <summary>The To URI; the Request-URI when null.</summary>
    public string? ToUri { get; init; }

    /// <summary>The caller ID: the user part of the From URI (e.g. <c>+15557654321</c>).</summary>
    public required string CallerId { get; init; }

    /// <summary>The From display name (UTF-8), or null.</summary>
    public string? DisplayName { get; init; }

    /// <summary>A P-Asserted-Identity value (RFC 3325), e.g. <c>&lt;sip:+15557654321@example.com&gt;</c>, or null.</summary>
    public string? PAssertedIdentity { get; init; }

    /// <summary>Extra header lines to add to the INVITE (name, value); names must be tokens, values one line of ASCII.</summary>
    public IReadOnlyList<KeyValuePair<string, string>>? ExtraHeaders { get; init; }

    /// <summary>The SDP offer (required: the engine always offers in the INVITE).</summary>
    public required ReadOnlyMemory<byte> SdpOffer { get; init; }

    /// <summary>How long to wait for an answer before sending CANCEL. Default 60 s.</summary>
    public TimeSpan RingTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Checks the request and throws <see cref="ArgumentException"/> naming what is wrong.</summary>
    public void Validate()
    {
        ArgumentNullException.ThrowIfNull(Trunk);
        CheckUri(RequestUri, nameof(RequestUri));
        if (ToUri is not null)
            CheckUri(ToUri, nameof(ToUri));
        if (string.IsNullOrEmpty(CallerId) || !IsUserPart(CallerId))
            throw new ArgumentException("CallerId must be a non-empty URI user part (letters, digits, + - . _ ! ~ * ' ( ) & = $ , ; ?).", nameof(CallerId));
        if (DisplayName is not null && (DisplayName.Length > 128 || DisplayName.Any(char.IsControl)))
            throw new ArgumentException("DisplayName must be at most 128 characters without control characters.", nameof(DisplayName));
        if (PAssertedIdentity is not null)
        {
            CheckHeaderValue(PAssertedIdentity, nameof(PAssertedIdentity));
            if (!SipNameAddress.TryParse(Encoding.ASCII.GetBytes(PAssertedIdentity), out _))
                throw new ArgumentException("PAssertedIdentity must be a name-addr or addr-spec.", nameof(PAssertedIdentity));
        }
        if (ExtraHeaders is not null)
        {
            foreach (var (name, value) in ExtraHeaders)
            {
                if (string.IsNullOrEmpty(name) || !Ascii.IsValid(name) || !SipSyntax.IsToken(Encoding.ASCII.GetBytes(name)))
                    throw new ArgumentException($"Extra header name '{name}' is not a token.", nameof(ExtraHeaders));
                if (SipHeaderNames.Lookup(Encoding.ASCII.GetBytes(name)) is SipHeaderId.Via or SipHeaderId.From or SipHeaderId.To
                    or SipHeaderId.CallId or SipHeaderId.CSeq or SipHeaderId.ContentLength or SipHeaderId.ContentType or SipHeaderId.Contact
                    or SipHeaderId.MaxForwards or SipHeaderId.Route)
                    throw new ArgumentException($"Extra header '{name}' is one the engine writes itself.", nameof(ExtraHeaders));
                CheckHeaderValue(value, nameof(ExtraHeaders));
            }
        }
        if (SdpOffer.IsEmpty)
            throw new ArgumentException("An SDP offer is required.", nameof(SdpOffer));
        if (RingTimeout <= TimeSpan.Zero || RingTimeout > TimeSpan.FromHours(1))
            throw new ArgumentOutOfRangeException(nameof(RingTimeout), RingTimeout, "RingTimeout must be between 0 and 1 hour.");
    }

    private static void CheckUri(string uri, string name)
    {
        if (string.IsNullOrEmpty(uri) || !Ascii.IsValid(uri) || !SipUri.TryParse(Encoding.ASCII.GetBytes(uri), out SipUri parsed) || !parsed.IsSip)
            throw new ArgumentException($"{name} must be a sip: or sips: URI, got '{uri}'.", name);
    }

    private static void CheckHeaderValue(string value, string name)
    {
        if (value is null || !Ascii.IsValid(value) || value.AsSpan().IndexOfAny('\r', '\n', '\0') >= 0)
            throw new ArgumentException("Header values must be one line of ASCII.", name);
    }

    private static bool IsUserPart(string user)
    {
        foreach (char c in user)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || "-_.!~*'()&=+$,;?/".Contains(c)))
                return false;
        }
        return true;
    }
}
