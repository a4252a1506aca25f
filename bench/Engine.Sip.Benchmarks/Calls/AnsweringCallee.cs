using Dialtone.Engine.Sip.UserAgent;

namespace Dialtone.Benchmarks.Calls;

/// <summary>The benchmark's UAS: rings and answers every call at once, and observes it (no-op).</summary>
internal sealed class AnsweringCallee(byte[] answer) : ISipIncomingCallHandler, ISipCallObserver
{
    public void OnIncomingCall(SipCall call, ReadOnlySpan<byte> offer)
    {
        call.Observer = this;
        call.Ring();
        call.Answer(answer);
    }

    public void OnFailed(SipCall call, SipCallEnd end)
    {
    }

    public void OnEnded(SipCall call, SipCallEnd end)
    {
    }
}
