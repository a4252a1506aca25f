using System.Net;
using Dialtone.Engine.Rtp.Audio;
using Dialtone.Engine.Rtp.Media;
using Dialtone.Engine.Rtp.Packets;
using Dialtone.Engine.Rtp.Streams;
using Dialtone.Engine.Rtp.Tests.TestSupport;

namespace Dialtone.Engine.Rtp.Tests.Streams;

/// <summary>Streams over real sockets on 127.0.0.1, paced by hand on a fake clock.</summary>
public sealed class RtpStreamTests
{
    private static readonly TimeSpan Quiet = TimeSpan.FromMilliseconds(100);

    [Theory]
    [InlineData(ReceiveMode.Polling)]
    [InlineData(ReceiveMode.Async)]
    public async Task Two_streams_exchange_audio(ReceiveMode mode)
    {
        using var media = new ManualMedia(receiveMode: mode);
        (RtpStream a, RtpStream b) = media.OpenPair();
        var heardByB = new CapturingSink();
        var heardByA = new CapturingSink();
        b.AddSink(heardByB);
        a.AddSink(heardByA);
        Task<PlaybackResult> toB = a.Play(new ToneAudioSource(1000, 8000, TimeSpan.FromSeconds(1)));
        Task<PlaybackResult> toA = b.Play(new ToneAudioSource(600, 8000, TimeSpan.FromSeconds(1)));

        media.RunDelivered(50, a, b);

        Assert.True(toB.IsCompletedSuccessfully && toA.IsCompletedSuccessfully);
        Assert.Equal(PlaybackResult.Completed, await toB);
        short[] atB = heardByB.Received[(10 * 160)..]; // past the 60 ms jitter delay
        short[] atA = heardByA.Received[(10 * 160)..];
        Assert.InRange(PcmMeasure.Rms(atB), 4000, 7000);
        Assert.InRange(PcmMeasure.ZeroCrossingFrequency(atB), 990, 1010);
        Assert.InRange(PcmMeasure.ZeroCrossingFrequency(atA), 590, 610);
        Assert.Equal(50, heardByB.ReceivedFrames);
        Assert.Equal(50, heardByB.SentFrames);
        RtpStreamStatistics statistics = b.GetStatistics();
        Assert.Equal(a.Ssrc, statistics.RemoteSsrc);
        Assert.Equal(49, statistics.PacketsReceived);
        Assert.Equal(0, statistics.PacketsLost);
    }

    [Fact]
    public async Task Playback_reports_whether_it_completed_was_stopped_replaced_or_closed()
    {
        using var media = new ManualMedia();
        using var capture = new UdpCapture();
        RtpStream stream = media.Open();
        stream.SetRemote(capture.EndPoint, AudioPayloadType.Pcmu);

        Task<PlaybackResult> first = stream.Play(new SilenceAudioSource(TimeSpan.FromSeconds(10)));
        Task<PlaybackResult> second = stream.Play(new SilenceAudioSource(TimeSpan.FromSeconds(10)));
        Assert.Equal(PlaybackResult.Replaced, await first);

        media.Run(2);
        Assert.True(stream.IsPlaying);
        Assert.True(stream.StopPlayback());
        Assert.Equal(PlaybackResult.Stopped, await second);
        Assert.False(stream.StopPlayback());

        Task<PlaybackResult> third = stream.Play(new SilenceAudioSource(TimeSpan.FromSeconds(10)));
        stream.Close();
        Assert.Equal(PlaybackResult.Closed, await third);
        Assert.Equal(PlaybackResult.Closed, await stream.Play(new SilenceAudioSource()));
    }

    [Fact]
    public async Task Playback_completes_at_the_slot_that_takes_the_last_samples()
    {
        using var media = new ManualMedia();
        using var capture = new UdpCapture();
        RtpStream stream = media.Open();
        stream.SetRemote(capture.EndPoint, AudioPayloadType.Pcmu);
        Task<PlaybackResult> playback = stream.Play(new ToneAudioSource(1000, 8000, TimeSpan.FromMilliseconds(100)));

        media.Run(4);
        Assert.False(playback.IsCompleted);
        media.Run(1);
        Assert.True(playback.IsCompleted);
        Assert.Equal(PlaybackResult.Completed, await playback);
    }

    [Fact]
    public async Task A_source_that_throws_fails_its_playback_and_the_stream_goes_on()
    {
        using var media = new ManualMedia();
        using var capture = new UdpCapture();
        RtpStream stream = media.Open();
        stream.SetRemote(capture.EndPoint, AudioPayloadType.Pcmu);

        Task<PlaybackResult> playback = stream.Play(new ThrowingSource());
        media.Run(3);

        await Assert.ThrowsAsync<IOException>(() => playback);
        Assert.Equal(3, capture.Drain(Quiet).Count);
    }

    [Fact]
    public void Hold_stops_audio_keeps_rtcp_and_resumes_with_a_marker()
    {
        using var media = new ManualMedia();
        using var rtp = new UdpCapture();
        using var rtcp = new UdpCapture();
        RtpStream stream = media.Open();
        stream.SetRemote(rtp.EndPoint, AudioPayloadType.Pcmu, remoteRtcp: rtcp.EndPoint);
        media.Run(5);
        List<byte[]> before = rtp.Drain(Quiet);
        Assert.Equal(5, before.Count);

        stream.Direction = MediaDirection.ReceiveOnly;
        media.Run(500); // 10 s on hold

        Assert.Empty(rtp.Drain(Quiet));
        List<byte[]> reports = rtcp.Drain(Quiet);
        Assert.NotEmpty(reports);
        Assert.All(reports, r => Assert.Equal(RtcpReadResult.Success, RtcpCompoundReader.TryCreate(r, out _)));

        stream.Direction = MediaDirection.SendReceive;
        media.Run(1);
        CapturedRtp resumed = rtp.ReceiveRtp();
        Assert.True(resumed.Marker);
        Assert.True(RtpPacket.TryRead(before[^1], out RtpPacket last) == RtpReadResult.Success);
        Assert.Equal((ushort)(last.SequenceNumber + 1), resumed.SequenceNumber);
        Assert.Equal(last.Timestamp + (501 * 160u), resumed.Timestamp);
    }

    [Theory]
    [InlineData(ReceiveMode.Polling)]
    [InlineData(ReceiveMode.Async)]
    public void Symmetric_rtp_sends_to_where_the_peer_packets_come_from(ReceiveMode mode)
    {
        using var media = new ManualMedia(receiveMode: mode);
        using var announced = new UdpCapture();
        using var actual = new UdpCapture();
        RtpStream stream = media.Open();
        stream.SetRemote(announced.EndPoint, AudioPayloadType.Pcmu);

        // Junk from the actual address does not latch; a valid RTP packet does.
        actual.Send([1, 2, 3], stream.LocalEndPoint!);
        media.WaitUntil(() => stream.GetStatistics().MalformedPackets == 1, "the junk was counted");
        Assert.Equal(announced.EndPoint, stream.RemoteEndPoint);
        actual.Send(RtpBytes(sequence: 1), stream.LocalEndPoint!);
        media.WaitUntil(() => actual.EndPoint.Equals(stream.RemoteEndPoint), "the stream latched");

        media.Run(1);
        Assert.NotNull(actual.ReceiveDatagram(TimeSpan.FromSeconds(2)));
        Assert.Null(announced.ReceiveDatagram(Quiet));
    }

    [Theory]
    [InlineData(ReceiveMode.Polling)]
    [InlineData(ReceiveMode.Async)]
    public void Without_symmetric_rtp_the_announced_address_is_kept(ReceiveMode mode)
    {
        using var media = new ManualMedia(receiveMode: mode);
        using var announced = new UdpCapture();
        using var actual = new UdpCapture();
        RtpStream stream = media.Open();
        stream.SymmetricRtp = false;
        stream.SetRemote(announced.EndPoint, AudioPayloadType.Pcmu);

        actual.Send(RtpBytes(sequence: 1), stream.LocalEndPoint!);
        actual.Send(RtpBytes(sequence: 2), stream.LocalEndPoint!);
        media.WaitUntil(() => stream.GetStatistics().PacketsReceived == 1, "the packets arrived");
        media.Run(1);

        Assert.NotNull(announced.ReceiveDatagram(TimeSpan.FromSeconds(2)));
        Assert.Null(actual.ReceiveDatagram(Quiet));
        Assert.Equal(announced.EndPoint, stream.RemoteEndPoint);
    }

    [Theory]
    [InlineData(ReceiveMode.Polling)]
    [InlineData(ReceiveMode.Async)]
    public void Rtcp_reports_flow_both_ways_and_give_a_round_trip_time(ReceiveMode mode)
    {
        using var media = new ManualMedia(receiveMode: mode);
        (RtpStream a, RtpStream b) = media.OpenPair();

        media.RunDelivered(1000, a, b); // 20 s: several report intervals
        media.WaitUntil(() => a.GetStatistics().RoundTripTime is not null && b.GetStatistics().RoundTripTime is not null, "both sides measured a round trip");

        RtpStreamStatistics atA = a.GetStatistics();
        Assert.True(atA.RtcpPacketsSent >= 3, $"A sent {atA.RtcpPacketsSent} reports");
        Assert.True(atA.RtcpPacketsReceived >= 3);
        Assert.InRange(atA.RoundTripTime!.Value, TimeSpan.Zero, TimeSpan.FromMilliseconds(40));
        Assert.Equal(0, atA.RemotePacketsLost);
        Assert.Equal(0, atA.RemoteFractionLost);
    }

    [Fact]
    public void Rtcp_intervals_follow_the_randomised_five_second_rule()
    {
        using var media = new ManualMedia();
        using var rtp = new UdpCapture();
        using var rtcp = new UdpCapture();
        RtpStream stream = media.Open();
        stream.SetRemote(rtp.EndPoint, AudioPayloadType.Pcmu, remoteRtcp: rtcp.EndPoint);
        var sentAt = new List<TimeSpan>();
        long start = media.Time.GetTimestamp();
        long reports = 0;

        media.Run(3000, () =>
        {
            long now = stream.GetStatistics().RtcpPacketsSent;
            if (now != reports)
            {
                reports = now;
                sentAt.Add(media.Time.GetElapsedTime(start));
            }
        });

        // First report after 2.5 s * [0.5, 1.5] / 1.218; then 5 s * [0.5, 1.5] / 1.218 apart (RFC 3550 §6.3.1).
        Assert.InRange(sentAt[0].TotalSeconds, 1.0, 3.1);
        for (int i = 1; i < sentAt.Count; i++)
        {
            Assert.InRange((sentAt[i] - sentAt[i - 1]).TotalSeconds, 2.0, 6.2);
        }

        Assert.InRange(sentAt.Count, 10, 30); // 60 s at a mean of 4.1 s
    }

    [Theory]
    [InlineData(ReceiveMode.Polling)]
    [InlineData(ReceiveMode.Async)]
    public void Closing_sends_an_rtcp_bye_the_peer_hears(ReceiveMode mode)
    {
        using var media = new ManualMedia(receiveMode: mode);
        (RtpStream a, RtpStream b) = media.OpenPair();
        using var heard = new ManualResetEventSlim();
        b.RemoteGoodbye += _ => heard.Set();
        media.RunDelivered(5, a, b);
        int inUse = media.Engine.Ports.InUse;

        a.Close();

        media.WaitUntil(() => heard.IsSet, "the peer heard the BYE");
        Assert.True(b.GetStatistics().RemoteGoodbye);
        Assert.Equal(inUse - 1, media.Engine.Ports.InUse);
        Assert.False(a.IsOpen);
        Assert.Equal(5, a.GetStatistics().PacketsSent); // kept after close
        a.Close(); // twice is harmless
    }

    [Theory]
    [InlineData(ReceiveMode.Polling)]
    [InlineData(ReceiveMode.Async)]
    public void Malformed_datagrams_are_counted_and_the_stream_carries_on(ReceiveMode mode)
    {
        using var media = new ManualMedia(receiveMode: mode);
        (RtpStream a, RtpStream b) = media.OpenPair();
        using var attacker = new UdpCapture();

        attacker.Send([0x80], b.LocalEndPoint!); // too short for RTP
        attacker.Send([0x40, 0, 0, 1, 0, 0, 0, 2, 0, 0, 0, 3], b.LocalEndPoint!); // version 1
        attacker.Send([0x80, 0xC9, 0, 9, 1, 2, 3, 4], new IPEndPoint(IPAddress.Loopback, b.LocalRtcpPort)); // RTCP length past end
        attacker.Send(new byte[3000], b.LocalEndPoint!); // larger than the receive buffer

        media.WaitUntil(() => b.GetStatistics().MalformedPackets == 4, "all four were counted");
        var heard = new CapturingSink();
        b.AddSink(heard);
        a.Play(new ToneAudioSource(1000, 8000, TimeSpan.FromSeconds(1)));
        media.RunDelivered(20, a, b);
        Assert.True(PcmMeasure.Rms(heard.Received.AsSpan(10 * 160)) > 4000);
    }

    [Fact]
    public void Misuse_is_reported_clearly()
    {
        using var media = new ManualMedia();
        RtpStream stream = media.Engine.CreateStream();
        var remote = new IPEndPoint(IPAddress.Loopback, 9);

        Assert.Throws<InvalidOperationException>(() => stream.SetRemote(remote, AudioPayloadType.Pcmu));
        Assert.Throws<InvalidOperationException>(() => { _ = stream.Play(new SilenceAudioSource()); });
        stream.Open(IPAddress.Loopback);
        Assert.Throws<InvalidOperationException>(() => stream.Open(IPAddress.Loopback));
        Assert.Throws<ArgumentException>(() => stream.SetRemote(new IPEndPoint(IPAddress.IPv6Loopback, 9), AudioPayloadType.Pcmu));
        Assert.Throws<ArgumentOutOfRangeException>(() => stream.SetRemote(remote, (AudioPayloadType)3));
        Assert.Throws<ArgumentOutOfRangeException>(() => stream.SetRemote(remote, AudioPayloadType.Pcmu, telephoneEventPayloadType: 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => stream.SetRemote(remote, AudioPayloadType.Pcmu, telephoneEventPayloadType: 128));
    }

    [Fact]
    public void Every_stream_gets_its_own_random_ssrc_sequence_and_timestamp()
    {
        using var media = new ManualMedia();
        using var capture = new UdpCapture();
        var first = new List<CapturedRtp>();
        for (int i = 0; i < 4; i++)
        {
            RtpStream stream = media.Open();
            stream.SetRemote(capture.EndPoint, AudioPayloadType.Pcmu);
        }

        media.Run(1);
        for (int i = 0; i < 4; i++)
        {
            first.Add(capture.ReceiveRtp());
        }

        Assert.Equal(4, first.Select(p => p.Ssrc).Distinct().Count());
        Assert.True(first.Select(p => p.Timestamp).Distinct().Count() > 1);
        Assert.True(first.Select(p => p.SequenceNumber).Distinct().Count() > 1);
    }

    private static byte[] RtpBytes(ushort sequence)
    {
        var buffer = new byte[12 + 160];
        RtpPacketWriter.TryWrite(buffer, new RtpHeader(false, 0, sequence, sequence * 160u, 0xCAFE), new byte[160], out _);
        return buffer;
    }

    private sealed class ThrowingSource : IAudioSource
    {
        public bool Completed => false;

        public int Read(Span<short> destination) => throw new IOException("The download failed.");

        public void Dispose()
        {
        }
    }
}
