using Dialtone.Engine.Rtp.Receiving;
using Dialtone.Engine.Rtp.Statistics;

namespace Dialtone.Engine.Rtp.Streams;

/// <summary>
/// The buffers and per-call state of one open stream, rented from a pool when the stream opens and
/// returned once nothing can touch them any more (the stream closed, its receive loops, if any, ended
/// and the media thread let go of it). Sized for the longest packet time a stream can use. The buffers
/// a slot works in belong to the media thread instead (<see cref="Media.SlotScratch"/>).
/// </summary>
internal sealed class RtpStreamResources
{
    /// <summary>The longest packet time supported: 60 ms, 480 samples at 8 kHz.</summary>
    public const int MaxSamplesPerPacket = 480;

    public RtpStreamResources(JitterBufferOptions jitterBufferOptions)
    {
        JitterBuffer = new JitterBuffer(jitterBufferOptions, MaxSamplesPerPacket);
    }

    private byte[]? _rtpReceiveBuffer;
    private byte[]? _rtcpReceiveBuffer;

    public byte[] RtcpSendBuffer { get; } = new byte[512];

    /// <summary>
    /// The asynchronous RTP receive loop's buffer, big enough for any datagram on a 1500-octet MTU path
    /// and then some. Made on first use: in <see cref="Media.ReceiveMode.Polling"/> (the default) the
    /// media thread receives into its own buffer, so these 3.5 KB per stream are never needed.
    /// </summary>
    public byte[] RtpReceiveBuffer => _rtpReceiveBuffer ??= new byte[2048];

    /// <summary>The asynchronous RTCP receive loop's buffer, made on first use like <see cref="RtpReceiveBuffer"/>.</summary>
    public byte[] RtcpReceiveBuffer => _rtcpReceiveBuffer ??= new byte[1536];

    public JitterBuffer JitterBuffer { get; }

    public RtpReceiveStatistics Statistics { get; } = new();

    public void Reset()
    {
        JitterBuffer.Reset();
        Statistics.Reset();
    }
}
