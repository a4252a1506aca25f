namespace Dialtone.Engine.Sip.UserAgent;

/// <summary>
/// Takes incoming calls. Called on the receive thread with the call locked: set
/// <see cref="SipCall.Observer"/>, then ring, answer or reject now or later (from any thread).
/// </summary>
public interface ISipIncomingCallHandler
{
    /// <summary>A new INVITE; <paramref name="offer"/> is its SDP (valid during the call only).</summary>
    void OnIncomingCall(SipCall call, ReadOnlySpan<byte> offer);
}
