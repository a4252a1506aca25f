namespace Dialtone.Engine.Sip.Sdp;

/// <summary>The &lt;addrtype&gt; of an o=, c= or a=rtcp address (RFC 4566 §5.2, §5.7).</summary>
public enum SdpAddressType
{
    /// <summary>An address type other than IP4 or IP6; the reader keeps it, callers decide.</summary>
    Other = 0,

    /// <summary>"IP4": a dotted-quad address or a host name.</summary>
    IP4 = 4,

    /// <summary>"IP6": an IPv6 address, written without brackets in SDP (RFC 5118 §4.6).</summary>
    IP6 = 6,
}
