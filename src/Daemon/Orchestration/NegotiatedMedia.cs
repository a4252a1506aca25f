using System.Net;
using Dialtone.Engine.Rtp.Streams;
using Dialtone.Engine.Sip.Sdp;

namespace Dialtone.Daemon.Orchestration;

/// <summary>What offer/answer settled for a call's audio: where to send, which law, DTMF payload type, ptime, direction.</summary>
/// <param name="Remote">The far end's RTP address (c= and m= port).</param>
/// <param name="PayloadType">PCMU or PCMA.</param>
/// <param name="TelephoneEventPayloadType">RFC 4733 payload type, or -1 when the far end did not offer telephone-event.</param>
/// <param name="PacketTimeMilliseconds">20 unless the far end asked for another multiple of 20 ms.</param>
/// <param name="Direction">Our direction after offer/answer (hold makes it sendonly or inactive).</param>
public readonly record struct NegotiatedMedia(
    IPEndPoint Remote,
    AudioPayloadType PayloadType,
    int TelephoneEventPayloadType,
    int PacketTimeMilliseconds,
    SdpDirection Direction);
