using System.Net;
using Dialtone.Engine.Sip.Tests.Transactions;
using Dialtone.Engine.Sip.Transport;
using Dialtone.Engine.Sip.Trunks;
using Dialtone.Engine.Sip.UserAgent;
using Microsoft.Extensions.Time.Testing;

namespace Dialtone.Engine.Sip.Tests.UserAgent;

/// <summary>
/// Two user agents on 127.0.0.1 (ephemeral ports): a caller with a trunk pointing at a callee
/// whose incoming calls a <see cref="ScriptedCallee"/> handles. Both share one clock: the real
/// one, or a fake one moved by <see cref="Advance"/>. Each side's messages are traced.
/// </summary>
internal sealed class CallTestBed : IDisposable
{
    public CallTestBed(bool fakeClock = false, SipUserAgentOptions? calleeOptions = null, Func<SipTrunkOptions, SipTrunkOptions>? trunk = null,
        SipUserAgentOptions? callerOptions = null)
    {
        Fake = fakeClock ? new FakeTimeProvider(new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero)) : null;
        TimeProvider clock = Fake ?? TimeProvider.System;
        Callee = new SipUserAgent(calleeOptions ?? Loopback(), clock);
        CalleeTrace = new MessageRecorder(clock);
        Callee.Tap = CalleeTrace;
        Callee.IncomingCalls = Handler;
        Caller = new SipUserAgent(callerOptions ?? Loopback(), clock);
        CallerTrace = new MessageRecorder(clock);
        Caller.Tap = CallerTrace;
        var options = new SipTrunkOptions
        {
            Name = "callee",
            Host = "127.0.0.1",
            Port = Callee.LocalEndPoint.Port,
            Transport = SipTransportProtocol.Udp,
        };
        Trunk = Caller.AddTrunk(trunk is null ? options : trunk(options));
    }

    public static SipUserAgentOptions Loopback(TimeSpan? tryingDelay = null) => new()
    {
        ListenEndPoint = new IPEndPoint(IPAddress.Loopback, 0),
        TryingDelay = tryingDelay ?? TimeSpan.FromMilliseconds(200),
    };

    public FakeTimeProvider? Fake { get; }

    public SipUserAgent Caller { get; }

    public SipUserAgent Callee { get; }

    public MessageRecorder CallerTrace { get; }

    public MessageRecorder CalleeTrace { get; }

    public ScriptedCallee Handler { get; } = new();

    public RecordingCallObserver Observer { get; } = new();

    public SipTrunk Trunk { get; }

    public SipCallRequest Request(string user = "bob", TimeSpan? ringTimeout = null, byte[]? offer = null, SipTrunk? trunk = null) => new()
    {
        Trunk = trunk ?? Trunk,
        RequestUri = $"sip:{user}@127.0.0.1:{Callee.LocalEndPoint.Port}",
        CallerId = "+15550001111",
        DisplayName = "Test Caller",
        SdpOffer = offer ?? TestSdp.Offer,
        RingTimeout = ringTimeout ?? TimeSpan.FromSeconds(60),
    };

    public SipCall Place(SipCallRequest? request = null) => Caller.PlaceCall(request ?? Request(), Observer);

    /// <summary>
    /// Moves the fake clock in 10 ms steps. When a step made either side send or receive something,
    /// the clock waits (in real time) until both sides have gone quiet, so that the network looks
    /// faster than one tick and the receive threads are never starved by the ticking.
    /// </summary>
    public void Advance(TimeSpan span)
    {
        if (Fake is null)
            throw new InvalidOperationException("The bed runs on the real clock.");
        for (var done = TimeSpan.Zero; done < span; done += TransactionTestBed.Tick)
        {
            int before = MessageCount;
            Fake.Advance(TransactionTestBed.Tick);
            WaitForQuiet(before);
            // The fake clock's lock is taken by every reader of the time (a receive thread
            // scheduling a timer, the trace stamping a message); a tight loop of steps would
            // starve them, so each step gives the processor away once.
            Thread.Sleep(0);
        }
    }

    /// <summary>Waits until no message has been sent or received for a little while.</summary>
    public void Settle()
    {
        int now = MessageCount;
        while (true)
        {
            Thread.Sleep(50);
            int later = MessageCount;
            if (later == now)
                return;
            now = later;
        }
    }

    private int MessageCount => CallerTrace.All.Count + CalleeTrace.All.Count;

    private void WaitForQuiet(int before)
    {
        int now = MessageCount;
        if (now == before)
            return;
        while (true)
        {
            Thread.Sleep(20);
            int later = MessageCount;
            if (later == now)
                return;
            now = later;
        }
    }

    /// <summary>Advances the fake clock until every transaction, dialog and call of both sides is gone.</summary>
    public void DrainTimers()
    {
        // Let both receive threads finish what they got before time moves (an ACK arriving after
        // the jump would start its timers then, and end 5 s after it).
        Settle();
        Thread.Sleep(100);
        Advance(TimeSpan.FromSeconds(40));
        Settle();
        Advance(TimeSpan.FromSeconds(40));
    }

    public void AssertNothingLeft()
    {
        foreach (var agent in new[] { Caller, Callee })
        {
            Assert.Equal(0, agent.Counters.ActiveCalls);
            Assert.Equal(0, agent.Counters.ActiveDialogs);
            Assert.Equal(0, agent.Counters.ActiveClientTransactions);
            Assert.Equal(0, agent.Counters.ActiveServerTransactions);
        }
    }

    public void Dispose()
    {
        Caller.Dispose();
        Callee.Dispose();
    }
}
