using System.Collections.Concurrent;
using Dialtone.Engine.Sip.UserAgent;

namespace Dialtone.Engine.Sip.Tests.UserAgent;

/// <summary>What a test callee does with an incoming call (the offer is copied).</summary>
internal delegate void IncomingCallScript(SipCall call, byte[] offer);

/// <summary>Our own UAS as a test peer: records incoming calls and runs a script on each.</summary>
internal sealed class ScriptedCallee : ISipIncomingCallHandler
{
    public RecordingCallObserver Observer { get; } = new();

    public BlockingCollection<SipCall> Calls { get; } = new();

    /// <summary>Default: 180, then 200 with the engine's answer.</summary>
    public IncomingCallScript Script { get; set; } = (call, offer) =>
    {
        call.Ring();
        call.Answer(TestSdp.AnswerTo(offer));
    };

    public void OnIncomingCall(SipCall call, ReadOnlySpan<byte> offer)
    {
        call.Observer = Observer;
        Script(call, offer.ToArray());
        Calls.Add(call);
    }

    public SipCall TakeCall()
    {
        Assert.True(Calls.TryTake(out var call, TimeSpan.FromSeconds(10)), "no incoming call within 10 s");
        return call;
    }
}
