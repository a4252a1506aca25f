using System.Net;
using Dialtone.Engine.Sip.Message;
using Dialtone.Engine.Sip.Transactions;
using Dialtone.Engine.Sip.Transport;
using Microsoft.Extensions.Time.Testing;

namespace Dialtone.Engine.Sip.Tests.Transactions;

/// <summary>
/// A transaction layer on a real UDP socket (127.0.0.1, ephemeral port) and a fake clock, a bare
/// UDP peer, a recording TU and a trace of every message the layer sends and receives.
/// </summary>
internal sealed class TransactionTestBed : IDisposable
{
    public static readonly TimeSpan Tick = TimeSpan.FromMilliseconds(10);

    private int _callIds;

    public TransactionTestBed(SipTransactionOptions? options = null, bool tcp = false)
    {
        Clock = new FakeTimeProvider(new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero));
        Transport = new SipTransportLayer(new SipTransportOptions { ListenEndPoint = new IPEndPoint(IPAddress.Loopback, 0), EnableTcp = tcp }, Clock);
        Trace = new MessageRecorder(Clock);
        Transport.Tap = Trace;
        Layer = new SipTransactionLayer(Transport, Handler, options, Clock);
        Layer.Start();
    }

    public FakeTimeProvider Clock { get; }

    public SipTransportLayer Transport { get; }

    public SipTransactionLayer Layer { get; }

    public RecordingRequestHandler Handler { get; } = new();

    public MessageRecorder Trace { get; }

    public UdpPeer Peer { get; } = new();

    public int LayerPort => Transport.LocalEndPoint.Port;

    public SipSignalingCounters Counters => Layer.Counters;

    public SipDestination PeerDestination => new(SipTransportProtocol.Udp, Peer.Address);

    public string NewCallId() => $"call-{Interlocked.Increment(ref _callIds)}@test";

    /// <summary>Moves the fake clock in 10 ms steps, as the wheel's ticker would see real time pass.</summary>
    public void Advance(TimeSpan span)
    {
        for (var done = TimeSpan.Zero; done < span; done += Tick)
        {
            Clock.Advance(Tick);
            // Readers of the fake clock on other threads take its lock too: do not starve them.
            Thread.Sleep(0);
        }
    }

    /// <summary>Sends a message from the peer to the layer.</summary>
    public void SendToLayer(byte[] message) => Peer.SendTo(message, Transport.LocalEndPoint);

    /// <summary>Starts a client transaction that sends <paramref name="method"/> to the peer.</summary>
    public SipClientTransaction StartClient(SipMethod method, ISipClientTransactionOwner owner, string callId, int cseq = 1, SipDestination? destination = null)
    {
        var tx = Layer.CreateClientTransaction(method, destination ?? PeerDestination, owner);
        byte[] request = SipTemplates.Transaction("request-to-send.sip",
            ("method", System.Text.Encoding.ASCII.GetString(SipMethods.GetName(method))), ("peerPort", Peer.Port), ("layerPort", LayerPort),
            ("branch", System.Text.Encoding.ASCII.GetString(tx.Branch)), ("callId", callId), ("cseq", cseq));
        tx.RequestBuffer.CopyFrom(request);
        tx.Start();
        return tx;
    }

    /// <summary>A response from the peer to a request the layer sent.</summary>
    public byte[] ResponseTo(SipClientTransaction tx, int status, string callId, int cseq = 1, string? toTag = "peer-tag", string? method = null) =>
        SipTemplates.Transaction("response.sip",
            ("status", status), ("reason", System.Text.Encoding.ASCII.GetString(SipReasonPhrases.Get(status))),
            ("layerPort", LayerPort), ("branch", System.Text.Encoding.ASCII.GetString(tx.Branch)),
            ("toTagParam", toTag is null ? "" : ";tag=" + toTag), ("callId", callId), ("cseq", cseq),
            ("method", method ?? System.Text.Encoding.ASCII.GetString(SipMethods.GetName(tx.Method))));

    /// <summary>A request from the peer (Transactions/vectors/{name}).</summary>
    public byte[] PeerRequest(string name, string branch, string callId, int cseq = 1, string toTag = "") =>
        SipTemplates.Transaction(name, ("layerPort", LayerPort), ("peerPort", Peer.Port), ("branch", branch), ("callId", callId),
            ("cseq", cseq), ("toTag", toTag));

    /// <summary>Waits (real time) until <paramref name="condition"/> holds.</summary>
    public static void WaitUntil(Func<bool> condition, string what, int timeoutMs = 10000)
    {
        long deadline = Environment.TickCount64 + timeoutMs;
        while (!condition())
        {
            if (Environment.TickCount64 > deadline)
                throw new Xunit.Sdk.XunitException("Timed out waiting for " + what);
            Thread.Sleep(5);
        }
    }

    public void Dispose()
    {
        Layer.Dispose();
        Transport.Dispose();
        Peer.Dispose();
    }
}
