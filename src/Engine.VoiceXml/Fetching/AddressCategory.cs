namespace Dialtone.Engine.VoiceXml.Fetching;

/// <summary>What kind of network an IP address belongs to, as far as outbound requests are concerned.</summary>
public enum AddressCategory
{
    /// <summary>A global unicast address: always allowed.</summary>
    Public,

    /// <summary>127.0.0.0/8, ::1 (RFC 1122 §3.2.1.3, RFC 4291 §2.5.3). Refused unless allowed.</summary>
    Loopback,

    /// <summary>10/8, 172.16/12, 192.168/16 (RFC 1918), 100.64/10 (RFC 6598), 198.18/15 (RFC 2544), fc00::/7 (RFC 4193), fec0::/10. Refused unless allowed.</summary>
    Private,

    /// <summary>169.254/16 (RFC 3927), fe80::/10 (RFC 4291 §2.5.6). Always refused.</summary>
    LinkLocal,

    /// <summary>Cloud instance-metadata endpoints (169.254.169.254, fd00:ec2::254, 100.100.100.200). Always refused.</summary>
    Metadata,

    /// <summary>224/4, ff00::/8. Always refused.</summary>
    Multicast,

    /// <summary>0.0.0.0/8, :: (RFC 1122 "this host"). Always refused.</summary>
    Unspecified,

    /// <summary>240/4 and the broadcast address. Always refused.</summary>
    Reserved,
}
