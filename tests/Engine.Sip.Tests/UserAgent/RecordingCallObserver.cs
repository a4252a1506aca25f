using System.Buffers;
using System.Text;
using Dialtone.Engine.Sip.UserAgent;

namespace Dialtone.Engine.Sip.Tests.UserAgent;

/// <summary>
/// Records what happens to calls as short strings ("trying", "ringing 180", "answered",
/// "failed Rejected 486", "ended RemoteHangup", "dtmf 5 160", "modified 200") with their bodies,
/// and lets a test wait for one.
/// </summary>
internal sealed class RecordingCallObserver : ISipCallObserver
{
    private readonly object _lock = new();
    private readonly List<(SipCall Call, string Event, string Body)> _events = [];

    /// <summary>Runs on answer (e.g. hang up at once).</summary>
    public Action<SipCall>? OnAnsweredAction { get; set; }

    /// <summary>Writes an answer to an offer in the dialog; null lets the engine mirror.</summary>
    public Func<byte[], byte[]?>? OfferAnswerer { get; set; }

    public IReadOnlyList<(SipCall Call, string Event, string Body)> Events
    {
        get
        {
            lock (_lock)
                return [.. _events];
        }
    }

    public IReadOnlyList<string> EventNames(SipCall call) => Events.Where(e => e.Call == call).Select(e => e.Event).ToList();

    private void Add(SipCall call, string name, ReadOnlySpan<byte> body = default)
    {
        lock (_lock)
        {
            _events.Add((call, name, Encoding.UTF8.GetString(body)));
            Monitor.PulseAll(_lock);
        }
    }

    public void OnTrying(SipCall call) => Add(call, "trying");

    public void OnRinging(SipCall call, int statusCode, ReadOnlySpan<byte> earlyMediaSdp) => Add(call, $"ringing {statusCode}", earlyMediaSdp);

    public void OnAnswered(SipCall call, ReadOnlySpan<byte> sdp)
    {
        Add(call, "answered", sdp);
        OnAnsweredAction?.Invoke(call);
    }

    public void OnDtmf(SipCall call, char digit, int durationMs) => Add(call, $"dtmf {digit} {durationMs}");

    public bool OnOffer(SipCall call, ReadOnlySpan<byte> offer, IBufferWriter<byte> answer)
    {
        Add(call, "offer", offer);
        if (OfferAnswerer?.Invoke(offer.ToArray()) is not { } bytes)
            return false;
        answer.Write(bytes);
        return true;
    }

    public void OnSessionModified(SipCall call, int statusCode, ReadOnlySpan<byte> answer) => Add(call, $"modified {statusCode}", answer);

    public void OnFailed(SipCall call, SipCallEnd end) => Add(call, $"failed {end.Cause} {end.StatusCode}");

    public void OnEnded(SipCall call, SipCallEnd end) => Add(call, $"ended {end.Cause}");

    /// <summary>Waits (real time) for an event of <paramref name="call"/> (any call when null) starting with <paramref name="prefix"/>.</summary>
    public (SipCall Call, string Event, string Body) WaitFor(string prefix, SipCall? call = null, int timeoutMs = 10000)
    {
        long deadline = Environment.TickCount64 + timeoutMs;
        lock (_lock)
        {
            while (true)
            {
                foreach (var e in _events)
                {
                    if ((call is null || e.Call == call) && e.Event.StartsWith(prefix, StringComparison.Ordinal))
                        return e;
                }
                long left = deadline - Environment.TickCount64;
                if (left <= 0)
                    throw new Xunit.Sdk.XunitException($"No '{prefix}' within {timeoutMs} ms. Events: {string.Join(", ", _events.Select(x => x.Event))}");
                Monitor.Wait(_lock, (int)Math.Min(left, 100));
            }
        }
    }

    public bool Has(string prefix, SipCall? call = null) =>
        Events.Any(e => (call is null || e.Call == call) && e.Event.StartsWith(prefix, StringComparison.Ordinal));
}
