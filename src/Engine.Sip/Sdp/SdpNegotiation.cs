namespace Dialtone.Engine.Sip.Sdp;

/// <summary>
/// What an offer/answer exchange agreed for the audio stream: which m= line, the codec and payload
/// type to send and receive, the telephone-event payload type, and what we may do in which direction.
/// </summary>
public readonly struct SdpNegotiation
{
    internal SdpNegotiation(
        SdpNegotiationOutcome outcome,
        int mediaIndex = -1,
        SdpCodec codec = default,
        int telephoneEventPayloadType = -1,
        SdpDirection direction = SdpDirection.Inactive,
        int remotePort = 0,
        int remotePtime = 0,
        bool remoteAddressIsUnspecified = false)
    {
        Outcome = outcome;
        MediaIndex = mediaIndex;
        Codec = codec;
        TelephoneEventPayloadType = telephoneEventPayloadType;
        Direction = direction;
        RemotePort = remotePort;
        RemotePtime = remotePtime;
        RemoteAddressIsUnspecified = remoteAddressIsUnspecified;
    }

    /// <summary>The outcome.</summary>
    public SdpNegotiationOutcome Outcome { get; }

    /// <summary>True when an audio stream was agreed.</summary>
    public bool IsAccepted => Outcome == SdpNegotiationOutcome.Accepted;

    /// <summary>The index of the agreed audio m= line in the peer's description, -1 when none.</summary>
    public int MediaIndex { get; }

    /// <summary>The voice codec, carrying the payload type number agreed for it.</summary>
    public SdpCodec Codec { get; }

    /// <summary>The RFC 4733 telephone-event payload type to use, -1 when the peer offered none.</summary>
    public int TelephoneEventPayloadType { get; }

    /// <summary>Our direction: whether we may send, receive, both or neither.</summary>
    public SdpDirection Direction { get; }

    /// <summary>The peer's RTP port for the stream.</summary>
    public int RemotePort { get; }

    /// <summary>The peer's a=ptime in milliseconds, 0 when it gave none.</summary>
    public int RemotePtime { get; }

    /// <summary>
    /// True when the peer's c= is 0.0.0.0: the RFC 2543 hold (RFC 3264 §8.4). We then do not send,
    /// whatever the direction attributes say.
    /// </summary>
    public bool RemoteAddressIsUnspecified { get; }
}
