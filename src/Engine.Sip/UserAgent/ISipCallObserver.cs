using System.Buffers;

namespace Dialtone.Engine.Sip.UserAgent;

/// <summary>
/// What happens to a call, told to the layer above (the daemon, a test, the demo carrier). Every
/// method but the last two has a do-nothing default, so an observer implements what it needs.
/// Exactly one of <see cref="OnFailed"/> or <see cref="OnEnded"/> is called, last.
/// </summary>
/// <remarks>
/// Called on SIP threads (the receive thread or the timer thread) while the call is locked, in
/// order. An observer may act on the same call from inside (hang up on answer, say), but must not
/// block, and must not act synchronously on another call: hand such work to a queue. Spans are
/// valid only during the call; copy what you keep.
/// </remarks>
public interface ISipCallObserver
{
    /// <summary>Outgoing: 100 Trying arrived (once).</summary>
    void OnTrying(SipCall call)
    {
    }

    /// <summary>
    /// Outgoing: 180/181/182/183 arrived; <paramref name="earlyMediaSdp"/> is its SDP (early media,
    /// usually with 183), or empty. May come several times (forks, 180 then 183).
    /// </summary>
    void OnRinging(SipCall call, int statusCode, ReadOnlySpan<byte> earlyMediaSdp)
    {
    }

    /// <summary>
    /// The call is up. Outgoing: a 2xx arrived and was ACKed; <paramref name="sdp"/> is its SDP
    /// answer. Incoming: our 2xx was ACKed; <paramref name="sdp"/> is the ACK's body (usually empty).
    /// </summary>
    void OnAnswered(SipCall call, ReadOnlySpan<byte> sdp)
    {
    }

    /// <summary>A DTMF digit came in a SIP INFO (application/dtmf-relay or application/dtmf).</summary>
    void OnDtmf(SipCall call, char digit, int durationMs)
    {
    }

    /// <summary>
    /// The peer sent a new offer in the dialog (re-INVITE or UPDATE, e.g. hold or resume). Write the
    /// SDP answer into <paramref name="answer"/> and return true; return false to let the engine
    /// answer with our last SDP, its direction mirrored (RFC 3264 §8.4: sendonly gets recvonly).
    /// </summary>
    bool OnOffer(SipCall call, ReadOnlySpan<byte> offer, IBufferWriter<byte> answer) => false;

    /// <summary>Our re-INVITE (<see cref="SipCall.Reinvite"/>) got its final response: 2xx with the SDP answer, or an error.</summary>
    void OnSessionModified(SipCall call, int statusCode, ReadOnlySpan<byte> answer)
    {
    }

    /// <summary>The call ended before it was answered.</summary>
    void OnFailed(SipCall call, SipCallEnd end);

    /// <summary>The call was answered and is now over.</summary>
    void OnEnded(SipCall call, SipCallEnd end);
}
