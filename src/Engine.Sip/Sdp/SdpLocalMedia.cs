namespace Dialtone.Engine.Sip.Sdp;

/// <summary>
/// Our side of a session, as an offer or answer needs it: the o= identity and version, where we
/// receive RTP, the packet time we want and the direction we want.
/// </summary>
public readonly ref struct SdpLocalMedia
{
    /// <summary>Describes our side.</summary>
    /// <param name="addressType">IP4 or IP6.</param>
    /// <param name="address">The address we receive RTP on (also used in o=).</param>
    /// <param name="rtpPort">The RTP port; RTCP is on the next port unless told otherwise (RFC 3550 §11).</param>
    /// <param name="sessionId">The o= session id, fixed for the call.</param>
    /// <param name="sessionVersion">The o= version; one more for every changed description (RFC 3264 §8).</param>
    public SdpLocalMedia(SdpAddressType addressType, ReadOnlySpan<byte> address, int rtpPort, ulong sessionId, ulong sessionVersion)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(rtpPort);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(rtpPort, ushort.MaxValue);
        AddressType = addressType;
        Address = address;
        RtpPort = rtpPort;
        SessionId = sessionId;
        SessionVersion = sessionVersion;
    }

    /// <summary>IP4 or IP6.</summary>
    public SdpAddressType AddressType { get; }

    /// <summary>The address we receive RTP on.</summary>
    public ReadOnlySpan<byte> Address { get; }

    /// <summary>The RTP port.</summary>
    public int RtpPort { get; }

    /// <summary>The o= session id.</summary>
    public ulong SessionId { get; }

    /// <summary>The o= session version.</summary>
    public ulong SessionVersion { get; }

    /// <summary>The o= user name; empty writes "-".</summary>
    public ReadOnlySpan<byte> Username { get; init; }

    /// <summary>The s= text; empty writes "-".</summary>
    public ReadOnlySpan<byte> SessionName { get; init; }

    /// <summary>The a=ptime to announce in milliseconds; 0 announces none.</summary>
    public int Ptime { get; init; }

    /// <summary>The direction we want (sendonly to put the peer on hold, RFC 3264 §8.4).</summary>
    public SdpDirection Direction { get; init; }
}
