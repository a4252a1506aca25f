namespace Dialtone.Engine.Sip.Message;

/// <summary>
/// Header fields the parser recognises by name (full or compact form, any case). Every other
/// header is <see cref="Other"/> and is found by name.
/// </summary>
public enum SipHeaderId : byte
{
    /// <summary>A header not listed here.</summary>
    Other = 0,
    /// <summary>Via (compact v), RFC 3261 §20.42.</summary>
    Via,
    /// <summary>From (compact f), RFC 3261 §20.20.</summary>
    From,
    /// <summary>To (compact t), RFC 3261 §20.39.</summary>
    To,
    /// <summary>Call-ID (compact i), RFC 3261 §20.8.</summary>
    CallId,
    /// <summary>CSeq, RFC 3261 §20.16.</summary>
    CSeq,
    /// <summary>Contact (compact m), RFC 3261 §20.10.</summary>
    Contact,
    /// <summary>Max-Forwards, RFC 3261 §20.22.</summary>
    MaxForwards,
    /// <summary>Content-Length (compact l), RFC 3261 §20.14.</summary>
    ContentLength,
    /// <summary>Content-Type (compact c), RFC 3261 §20.15.</summary>
    ContentType,
    /// <summary>Route, RFC 3261 §20.34.</summary>
    Route,
    /// <summary>Record-Route, RFC 3261 §20.30.</summary>
    RecordRoute,
    /// <summary>Allow, RFC 3261 §20.5.</summary>
    Allow,
    /// <summary>Supported (compact k), RFC 3261 §20.37.</summary>
    Supported,
    /// <summary>Require, RFC 3261 §20.32.</summary>
    Require,
    /// <summary>Proxy-Require, RFC 3261 §20.29.</summary>
    ProxyRequire,
    /// <summary>Unsupported, RFC 3261 §20.40.</summary>
    Unsupported,
    /// <summary>WWW-Authenticate, RFC 3261 §20.44.</summary>
    WwwAuthenticate,
    /// <summary>Proxy-Authenticate, RFC 3261 §20.27.</summary>
    ProxyAuthenticate,
    /// <summary>Authorization, RFC 3261 §20.7.</summary>
    Authorization,
    /// <summary>Proxy-Authorization, RFC 3261 §20.28.</summary>
    ProxyAuthorization,
    /// <summary>RSeq, RFC 3262 §7.1.</summary>
    RSeq,
    /// <summary>RAck, RFC 3262 §7.2.</summary>
    RAck,
    /// <summary>Session-Expires (compact x), RFC 4028 §4.</summary>
    SessionExpires,
    /// <summary>Min-SE, RFC 4028 §5.</summary>
    MinSE,
    /// <summary>Expires, RFC 3261 §20.19.</summary>
    Expires,
    /// <summary>User-Agent, RFC 3261 §20.41.</summary>
    UserAgent,
    /// <summary>Server, RFC 3261 §20.35.</summary>
    Server,
    /// <summary>Event (compact o), RFC 6665 §8.2.1.</summary>
    Event,
    /// <summary>Content-Encoding (compact e), RFC 3261 §20.12.</summary>
    ContentEncoding,
    /// <summary>Accept, RFC 3261 §20.1.</summary>
    Accept,
    /// <summary>Refer-To (compact r), RFC 3515 §2.1.</summary>
    ReferTo,
    /// <summary>P-Asserted-Identity, RFC 3325 §9.1.</summary>
    PAssertedIdentity,
    /// <summary>Reason, RFC 3326.</summary>
    Reason,
    /// <summary>Retry-After, RFC 3261 §20.33.</summary>
    RetryAfter,
    /// <summary>Timestamp, RFC 3261 §20.38.</summary>
    Timestamp,
    /// <summary>Subject (compact s), RFC 3261 §20.36.</summary>
    Subject,
    /// <summary>Date, RFC 3261 §20.17.</summary>
    Date,
    /// <summary>Min-Expires, RFC 3261 §20.23.</summary>
    MinExpires,
    /// <summary>Warning, RFC 3261 §20.43.</summary>
    Warning,
    /// <summary>Accept-Encoding, RFC 3261 §20.2.</summary>
    AcceptEncoding,
    /// <summary>Accept-Language, RFC 3261 §20.3.</summary>
    AcceptLanguage,
    /// <summary>Alert-Info, RFC 3261 §20.4.</summary>
    AlertInfo,
    /// <summary>Call-Info, RFC 3261 §20.9.</summary>
    CallInfo,
    /// <summary>Content-Disposition, RFC 3261 §20.11.</summary>
    ContentDisposition,
    /// <summary>Content-Language, RFC 3261 §20.13.</summary>
    ContentLanguage,
    /// <summary>Error-Info, RFC 3261 §20.18.</summary>
    ErrorInfo,
    /// <summary>In-Reply-To, RFC 3261 §20.21.</summary>
    InReplyTo,
    /// <summary>MIME-Version, RFC 3261 §20.24.</summary>
    MimeVersion,
    /// <summary>Organization, RFC 3261 §20.25.</summary>
    Organization,
    /// <summary>Priority, RFC 3261 §20.26.</summary>
    Priority,
    /// <summary>Reply-To, RFC 3261 §20.31.</summary>
    ReplyTo,
    /// <summary>Authentication-Info, RFC 3261 §20.6.</summary>
    AuthenticationInfo,
    /// <summary>Allow-Events (compact u), RFC 6665 §8.2.2.</summary>
    AllowEvents,
    /// <summary>Subscription-State, RFC 6665 §8.2.3.</summary>
    SubscriptionState,
    /// <summary>Referred-By (compact b), RFC 3892.</summary>
    ReferredBy,
    /// <summary>Replaces, RFC 3891.</summary>
    Replaces,
    /// <summary>Path, RFC 3327.</summary>
    Path,
    /// <summary>Service-Route, RFC 3608.</summary>
    ServiceRoute,
    /// <summary>P-Preferred-Identity, RFC 3325 §9.2.</summary>
    PPreferredIdentity,
    /// <summary>Privacy, RFC 3323.</summary>
    Privacy,
    /// <summary>Identity (compact y), RFC 8224.</summary>
    Identity,
    /// <summary>Accept-Contact (compact a), RFC 3841.</summary>
    AcceptContact,
    /// <summary>Reject-Contact (compact j), RFC 3841.</summary>
    RejectContact,
    /// <summary>Request-Disposition (compact d), RFC 3841.</summary>
    RequestDisposition,
    /// <summary>Diversion, RFC 5806.</summary>
    Diversion,
    /// <summary>History-Info, RFC 7044.</summary>
    HistoryInfo,
}
