using Dialtone.Engine.Sip.Transport;
using Microsoft.Extensions.Time.Testing;

namespace Dialtone.Engine.Sip.Tests.Transactions;

/// <summary>A SIP trace of one transport layer, stamped with a fake clock, that tests can wait on.</summary>
internal sealed class MessageRecorder : ISipMessageTap
{
    private readonly object _lock = new();
    private readonly List<SentMessage> _messages = [];
    private readonly TimeProvider _clock;
    private readonly long _start;

    public MessageRecorder(TimeProvider clock)
    {
        _clock = clock;
        _start = clock.GetTimestamp();
    }

    public void OnSent(ReadOnlySpan<byte> message, in SipDestination destination, bool accepted) =>
        Add(new SentMessage(_clock.GetElapsedTime(_start), true, message.ToArray(), destination.Protocol));

    public void OnReceived(ReadOnlySpan<byte> message, in SipRemote remote) =>
        Add(new SentMessage(_clock.GetElapsedTime(_start), false, message.ToArray(), remote.Protocol));

    private void Add(SentMessage message)
    {
        lock (_lock)
        {
            _messages.Add(message);
            Monitor.PulseAll(_lock);
        }
    }

    public IReadOnlyList<SentMessage> All
    {
        get
        {
            lock (_lock)
                return [.. _messages];
        }
    }

    public IReadOnlyList<SentMessage> Sent => All.Where(m => m.Outgoing).ToList();

    public IReadOnlyList<SentMessage> Received => All.Where(m => !m.Outgoing).ToList();

    public void Clear()
    {
        lock (_lock)
            _messages.Clear();
    }

    /// <summary>Waits (real time) until <paramref name="predicate"/> holds for some message; returns it.</summary>
    public SentMessage WaitFor(Func<SentMessage, bool> predicate, string what, int timeoutMs = 10000)
    {
        var deadline = Environment.TickCount64 + timeoutMs;
        lock (_lock)
        {
            while (true)
            {
                foreach (var m in _messages)
                {
                    if (predicate(m))
                        return m;
                }
                long left = deadline - Environment.TickCount64;
                if (left <= 0)
                    throw new Xunit.Sdk.XunitException($"Timed out waiting for {what}. Trace:\n{string.Join("\n", _messages)}");
                Monitor.Wait(_lock, (int)Math.Min(left, 200));
            }
        }
    }

    /// <summary>Waits until <paramref name="count"/> messages satisfy <paramref name="predicate"/>.</summary>
    public IReadOnlyList<SentMessage> WaitForCount(Func<SentMessage, bool> predicate, int count, string what, int timeoutMs = 10000)
    {
        var deadline = Environment.TickCount64 + timeoutMs;
        lock (_lock)
        {
            while (true)
            {
                var found = _messages.Where(predicate).ToList();
                if (found.Count >= count)
                    return found;
                long left = deadline - Environment.TickCount64;
                if (left <= 0)
                    throw new Xunit.Sdk.XunitException($"Timed out waiting for {count} x {what} (saw {found.Count}). Trace:\n{string.Join("\n", _messages)}");
                Monitor.Wait(_lock, (int)Math.Min(left, 200));
            }
        }
    }

    public override string ToString() => string.Join("\n", All);
}
