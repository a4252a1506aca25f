using System.Net;
using System.Net.Sockets;
using Dialtone.Engine.Rtp.Audio;
using Dialtone.Engine.Rtp.Packets;
using Dialtone.Engine.Sip.UserAgent;

namespace Dialtone.Daemon.Tests.Support;

/// <summary>One call <see cref="ManualMediaCallee"/> answered: RTP sent when the test says, and how the call ended.</summary>
public sealed class ManualMediaCall : ISipCallObserver
{
    private const int SamplesPerPacket = 160;

    private readonly SipCall _sip;
    private readonly Socket _media;
    private readonly IPEndPoint _daemonRtp;
    private readonly TaskCompletionSource<SipCallEnd> _ended = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private long _endedAt;

    internal ManualMediaCall(SipCall sip, Socket media, IPEndPoint daemonRtp)
    {
        _sip = sip;
        _media = media;
        _daemonRtp = daemonRtp;
    }

    /// <summary>Completes when the call ends (the daemon's BYE, or ours), with the end as this side saw it.</summary>
    public Task<SipCallEnd> Ended => _ended.Task;

    /// <summary>When the call ended, in <see cref="TimeProvider.System"/> timestamps.</summary>
    public long EndedAt => Interlocked.Read(ref _endedAt);

    /// <summary>
    /// Sends 20 ms PCMU packets of silence to the daemon from a thread of its own (paced without the
    /// thread pool, so a busy machine does not pause the far end) until <paramref name="stop"/> is
    /// cancelled. Returns when the last packet has left, with its time in <see cref="TimeProvider.System"/> timestamps.
    /// </summary>
    public Task<long> SendRtpUntil(CancellationToken stop)
    {
        var lastSent = new TaskCompletionSource<long>(TaskCreationOptions.RunContinuationsAsynchronously);
        var sender = new Thread(() =>
        {
            var packet = new byte[RtpPacket.FixedHeaderLength + SamplesPerPacket];
            var silence = Enumerable.Repeat(MuLaw.Silence, SamplesPerPacket).ToArray();
            long last = 0;
            for (ushort sequence = 1; !stop.IsCancellationRequested; sequence++)
            {
                RtpPacketWriter.TryWrite(packet, new RtpHeader(sequence == 1, 0, sequence, sequence * (uint)SamplesPerPacket, 0x5EED), silence, out int length);
                _media.SendTo(packet.AsSpan(0, length), SocketFlags.None, _daemonRtp);
                last = TimeProvider.System.GetTimestamp();
                Thread.Sleep(20);
            }
            lastSent.SetResult(last);
        })
        {
            IsBackground = true,
            Name = "far-end-rtp",
        };
        sender.Start();
        return lastSent.Task;
    }

    /// <summary>The far end hangs up (BYE).</summary>
    public bool HangUp() => _sip.HangUp();

    void ISipCallObserver.OnFailed(SipCall call, SipCallEnd end) => _ended.TrySetResult(end);

    void ISipCallObserver.OnEnded(SipCall call, SipCallEnd end)
    {
        Interlocked.Exchange(ref _endedAt, TimeProvider.System.GetTimestamp());
        _ended.TrySetResult(end);
    }
}
