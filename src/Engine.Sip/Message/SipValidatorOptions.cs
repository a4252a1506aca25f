namespace Dialtone.Engine.Sip.Message;

/// <summary>What a <see cref="SipMessageValidator"/> accepts.</summary>
public sealed class SipValidatorOptions
{
    /// <summary>
    /// Option tags this UAS supports (RFC 3261 §8.2.2.3): a Require listing anything else gets
    /// 420 Bad Extension. Empty by default.
    /// </summary>
    public IReadOnlyList<string> SupportedOptionTags { get; init; } = [];

    /// <summary>
    /// Body types this UAS accepts (RFC 3261 §8.2.3): a non-empty body of another type gets 415.
    /// Default: application/sdp.
    /// </summary>
    public IReadOnlyList<string> AcceptedContentTypes { get; init; } = ["application/sdp"];

    /// <summary>
    /// Body types this UAS answers an INVITE with (RFC 3261 §21.4.7): an INVITE whose Accept
    /// lists none of them (wildcards count) gets 406. Default: application/sdp.
    /// </summary>
    public IReadOnlyList<string> ResponseContentTypes { get; init; } = ["application/sdp"];

    /// <summary>
    /// Known methods this UAS handles; another known method gets 405 (RFC 3261 §8.2.1), an
    /// extension method 501. Null (the default) allows every known method.
    /// </summary>
    public IReadOnlyList<SipMethod>? AllowedMethods { get; init; }

    /// <summary>
    /// True when the element would forward the request (a proxy role). Then Max-Forwards 0 gets
    /// 483 Too Many Hops, except OPTIONS, which the element answers itself (RFC 3261 §16.3 item 2).
    /// A user agent never forwards, so it processes Max-Forwards 0 normally (RFC 4475 §3.3.11).
    /// </summary>
    public bool ForwardsRequests { get; init; }
}
