using System.Collections.Concurrent;
using System.Net;
using Dialtone.Daemon.Orchestration;
using Dialtone.Engine.Rtp.Audio;
using Dialtone.Engine.Rtp.Media;
using Dialtone.Engine.Rtp.Recording;
using Dialtone.Engine.Sip.UserAgent;
using CommunityToolkit.HighPerformance.Buffers;
using Microsoft.Extensions.Logging;

namespace Dialtone.Daemon.Demo;

/// <summary>
/// The built-in loopback test carrier of demo mode: a SIP user agent of its own on 127.0.0.1 that
/// takes the daemon's calls like a phone network would: it rings, answers (or is busy, or never
/// answers, by <see cref="DemoNumberPlan"/>), records what it hears to a WAV file per call, decodes
/// the DTMF digits it receives, and logs both, so a newcomer can place a call with curl on a fresh
/// machine and see, hear and check what happened.
/// </summary>
public sealed class DemoCarrier : ISipIncomingCallHandler, IDisposable
{
    private readonly SipUserAgent _agent;
    private readonly MediaEngine _media;
    private readonly string _recordingsDirectory;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly ConcurrentDictionary<SipCall, DemoCarrierCall> _calls = new();
    private readonly ConcurrentQueue<DemoCallReport> _finished = new();

    public DemoCarrier(MediaEngine media, string recordingsDirectory, ILogger logger, TimeProvider time)
    {
        _media = media;
        _recordingsDirectory = recordingsDirectory;
        _logger = logger;
        _time = time;
        Directory.CreateDirectory(recordingsDirectory);
        _agent = new SipUserAgent(new SipUserAgentOptions
        {
            ListenEndPoint = new IPEndPoint(IPAddress.Loopback, 0),
            EnableTcp = false,
            ContactUser = "demo-carrier",
            UserAgentHeader = "Dialtone demo carrier",
        }, time)
        {
            IncomingCalls = this,
        };
    }

    /// <summary>Where the carrier listens (the daemon's demo trunk points here).</summary>
    public IPEndPoint EndPoint => _agent.LocalEndPoint;

    /// <summary>The most recent finished calls (newest last), for GET /demo/carrier.</summary>
    public IReadOnlyList<DemoCallReport> RecentCalls => _finished.ToArray();

    public void OnIncomingCall(SipCall call, ReadOnlySpan<byte> offer)
    {
        string dialed = UserOf(call.LocalParty);
        DemoBehaviour behaviour = DemoNumberPlan.BehaviourOf(dialed);
        if (behaviour.RejectWith != 0)
        {
            call.Observer = new DemoRejectedObserver();
            call.Reject(behaviour.RejectWith);
            Remember(new DemoCallReport(call.CallId, dialed, UserOf(call.RemoteParty), $"rejected {behaviour.RejectWith}", "", null, _time.GetUtcNow()));
            return;
        }

        var stream = _media.CreateStream();
        IPEndPoint local;
        try
        {
            local = stream.Open(IPAddress.Loopback);
        }
        catch (Exception e) when (e is InvalidOperationException or System.Net.Sockets.SocketException or Engine.Rtp.Transport.RtpPortsExhaustedException)
        {
            stream.Close();
            call.Observer = new DemoRejectedObserver();
            call.Reject(503);
            return;
        }
        using var answer = new ArrayPoolBufferWriter<byte>(512);
        if (!MediaNegotiator.TryAnswer(offer, "127.0.0.1", local.Port, (ulong)Environment.TickCount64, answer, out NegotiatedMedia media, out string? error))
        {
            _logger.LogWarning("demo carrier: refusing call {CallId}: {Error}", call.CallId, error);
            stream.Close();
            call.Observer = new DemoRejectedObserver();
            call.Reject(488);
            return;
        }

        var demoCall = new DemoCarrierCall(this, call, new CallMedia(stream), answer.WrittenSpan.ToArray(), dialed, behaviour);
        _calls[call] = demoCall;
        call.Observer = demoCall;
        demoCall.Connect(media);
        call.Ring();
        if (!behaviour.NeverAnswer)
            _ = demoCall.AnswerAfterAsync(behaviour.RingFor);
    }

    internal string StartRecording(DemoCarrierCall call)
    {
        string path = Path.Combine(_recordingsDirectory, $"{_time.GetUtcNow():yyyyMMdd-HHmmss}-{Sanitize(call.Dialed)}-{Sanitize(call.Sip.CallId)}.wav");
        call.Recording = CallRecording.Start(call.Media.Stream, path, RecordingChannels.ReceivedOnly, _time);
        return path;
    }

    internal void Finished(DemoCarrierCall call, string outcome)
    {
        _calls.TryRemove(call.Sip, out _);
        string? path = null;
        if (call.Recording is { } recording)
        {
            recording.Stop();
            path = recording.FilePath;
            recording.Dispose();
        }
        call.Media.Dispose();
        Remember(new DemoCallReport(call.Sip.CallId, call.Dialed, UserOf(call.Sip.RemoteParty), outcome, call.Digits, path, _time.GetUtcNow()));
        _logger.LogInformation("demo carrier: call to {Dialed} {Outcome}; digits heard: '{Digits}'; recording: {Recording}", call.Dialed, outcome, call.Digits, path ?? "none");
    }

    internal TimeProvider Time => _time;

    private void Remember(DemoCallReport report)
    {
        _finished.Enqueue(report);
        while (_finished.Count > 100 && _finished.TryDequeue(out _))
        {
        }
    }

    /// <summary>The user part of a name-addr such as <c>&lt;sip:+15005550123@127.0.0.1&gt;;tag=x</c>.</summary>
    internal static string UserOf(string nameAddr)
    {
        int colon = nameAddr.IndexOf("sip:", StringComparison.OrdinalIgnoreCase);
        if (colon < 0)
            return nameAddr;
        int start = colon + 4;
        int end = nameAddr.IndexOfAny(['@', '>', ';'], start);
        return end < 0 ? nameAddr[start..] : nameAddr[start..end];
    }

    private static string Sanitize(string text) => new(text.Select(c => char.IsAsciiLetterOrDigit(c) || c is '+' or '-' ? c : '_').Take(40).ToArray());

    public void Dispose()
    {
        foreach (DemoCarrierCall call in _calls.Values)
            call.Sip.HangUp();
        _agent.Dispose();
    }

    /// <summary>Observes a call the carrier rejected at once (nothing to do).</summary>
    private sealed class DemoRejectedObserver : ISipCallObserver
    {
        public void OnFailed(SipCall call, SipCallEnd end)
        {
        }

        public void OnEnded(SipCall call, SipCallEnd end)
        {
        }
    }
}
