using Dialtone.Engine.Sip.UserAgent;

namespace Dialtone.Benchmarks.Calls;

/// <summary>
/// Keeps a number of calls in flight: each call hangs up as soon as it is answered, and each call
/// that ends starts the next one. One observer for every call, so a call costs no observer object.
/// </summary>
internal sealed class CallDriver(SipUserAgent caller, SipCallRequest request) : ISipCallObserver
{
    private long _completed;
    private long _failed;
    private volatile bool _running;

    public long Completed => Interlocked.Read(ref _completed);

    public long Failed => Interlocked.Read(ref _failed);

    public void Start(int concurrency)
    {
        _running = true;
        for (int i = 0; i < concurrency; i++)
            caller.PlaceCall(request, this);
    }

    public void Stop() => _running = false;

    public void OnAnswered(SipCall call, ReadOnlySpan<byte> sdp) => call.HangUp();

    public void OnFailed(SipCall call, SipCallEnd end)
    {
        Interlocked.Increment(ref _failed);
        Next();
    }

    public void OnEnded(SipCall call, SipCallEnd end)
    {
        Interlocked.Increment(ref _completed);
        Next();
    }

    private void Next()
    {
        if (_running)
            caller.PlaceCall(request, this);
    }
}
