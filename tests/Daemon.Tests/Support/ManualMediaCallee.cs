using System.Buffers;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Dialtone.Daemon.Orchestration;
using Dialtone.Engine.Sip.UserAgent;

namespace Dialtone.Daemon.Tests.Support;

/// <summary>
/// The far end of the daemon's trunk, on 127.0.0.1: a real SIP user agent that answers every call at
/// once with an SDP of the test's choosing, and one plain UDP socket as its media port, from which the
/// test sends RTP by hand (<see cref="ManualMediaCall"/>) — or nothing, like a far end that vanished.
/// </summary>
public sealed class ManualMediaCallee : ISipIncomingCallHandler, IDisposable
{
    private readonly SipUserAgent _agent;
    private readonly Socket _media = new(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
    private readonly string _answerDirection;
    private readonly TaskCompletionSource<ManualMediaCall> _answered = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <param name="answerDirection">The a= direction of the SDP answer (RFC 3264 §6.1): <c>sendrecv</c>, or <c>inactive</c> for a call the far end holds.</param>
    public ManualMediaCallee(string answerDirection = "sendrecv")
    {
        _answerDirection = answerDirection;
        _media.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        _agent = new SipUserAgent(new SipUserAgentOptions
        {
            ListenEndPoint = new IPEndPoint(IPAddress.Loopback, 0),
            EnableTcp = false,
            ContactUser = "callee",
            UserAgentHeader = "Dialtone test callee",
        }, TimeProvider.System)
        {
            IncomingCalls = this,
        };
    }

    /// <summary>The SIP port (the daemon's trunk points here).</summary>
    public int SipPort => _agent.LocalEndPoint.Port;

    /// <summary>The first call, once answered.</summary>
    public Task<ManualMediaCall> Answered => _answered.Task;

    public void OnIncomingCall(SipCall call, ReadOnlySpan<byte> offer)
    {
        int mediaPort = ((IPEndPoint)_media.LocalEndPoint!).Port;
        // Only to learn where the daemon wants its RTP; the answer sent is the test's own.
        if (!MediaNegotiator.TryAnswer(offer, "127.0.0.1", mediaPort, 1, new ArrayBufferWriter<byte>(), out NegotiatedMedia media, out string? error))
        {
            _answered.TrySetException(new InvalidOperationException($"the daemon's offer was not usable: {error}"));
            call.Reject(488);
            return;
        }

        var answered = new ManualMediaCall(call, _media, media.Remote);
        call.Observer = answered;
        call.Answer(Encoding.ASCII.GetBytes(
            "v=0\r\n" +
            "o=callee 1 1 IN IP4 127.0.0.1\r\n" +
            "s=-\r\n" +
            "c=IN IP4 127.0.0.1\r\n" +
            "t=0 0\r\n" +
            $"m=audio {mediaPort} RTP/AVP 0 101\r\n" +
            "a=rtpmap:0 PCMU/8000\r\n" +
            "a=rtpmap:101 telephone-event/8000\r\n" +
            "a=fmtp:101 0-15\r\n" +
            "a=ptime:20\r\n" +
            $"a={_answerDirection}\r\n"));
        _answered.TrySetResult(answered);
    }

    public void Dispose()
    {
        _agent.Dispose();
        _media.Dispose();
    }
}
