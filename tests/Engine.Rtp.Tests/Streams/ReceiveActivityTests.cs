using Dialtone.Engine.Rtp.Media;
using Dialtone.Engine.Rtp.Packets;
using Dialtone.Engine.Rtp.Streams;
using Dialtone.Engine.Rtp.Tests.TestSupport;

namespace Dialtone.Engine.Rtp.Tests.Streams;

/// <summary>
/// <see cref="RtpStream.LastReceiveTimestamp"/>, what a media-timeout watchdog reads: it follows the
/// remote's packets (RTP and RTCP) over real sockets on 127.0.0.1, and stands still when they stop.
/// The clock is fake, so "when" is exact.
/// </summary>
public sealed class ReceiveActivityTests
{
    [Theory]
    [InlineData(ReceiveMode.Polling)]
    [InlineData(ReceiveMode.Async)]
    public void The_clock_starts_when_the_remote_is_set(ReceiveMode mode)
    {
        using var media = new ManualMedia(receiveMode: mode);
        using var peer = new UdpCapture();
        RtpStream stream = media.Open();

        Assert.Equal(0, stream.LastReceiveTimestamp);
        Assert.Null(stream.TimeSinceLastReceive(media.Time.GetTimestamp()));

        media.Time.Advance(TimeSpan.FromSeconds(3));
        long remoteSetAt = media.Time.GetTimestamp();
        stream.SetRemote(peer.EndPoint, AudioPayloadType.Pcmu);
        media.Time.Advance(TimeSpan.FromSeconds(5));

        Assert.Equal(remoteSetAt, stream.LastReceiveTimestamp);
        Assert.Equal(TimeSpan.FromSeconds(5), stream.TimeSinceLastReceive(media.Time.GetTimestamp()));
    }

    [Theory]
    [InlineData(ReceiveMode.Polling)]
    [InlineData(ReceiveMode.Async)]
    public void Rtp_packets_move_it_and_it_stays_when_they_stop(ReceiveMode mode)
    {
        using var media = new ManualMedia(receiveMode: mode);
        using var peer = new UdpCapture();
        RtpStream stream = media.Open();
        stream.SetRemote(peer.EndPoint, AudioPayloadType.Pcmu);

        ushort sequence = 1;
        for (int second = 1; second <= 3; second++)
        {
            media.Time.Advance(TimeSpan.FromSeconds(1));
            long sentAt = media.Time.GetTimestamp();
            peer.Send(RtpBytes(sequence++), stream.LocalEndPoint!);
            media.WaitUntil(() => stream.LastReceiveTimestamp == sentAt, $"packet {sequence - 1} was stamped");
        }

        long lastHeard = stream.LastReceiveTimestamp;

        // The far end falls silent: however long the media side keeps running, the time stands.
        media.Run(100);
        media.Time.Advance(TimeSpan.FromSeconds(10));
        media.Engine.ReceiveNow();

        Assert.Equal(lastHeard, stream.LastReceiveTimestamp);
        Assert.True(stream.TimeSinceLastReceive(media.Time.GetTimestamp()) >= TimeSpan.FromSeconds(12));
    }

    [Theory]
    [InlineData(ReceiveMode.Polling)]
    [InlineData(ReceiveMode.Async)]
    public void Rtcp_alone_counts_as_hearing_from_the_remote(ReceiveMode mode)
    {
        using var media = new ManualMedia(receiveMode: mode);
        using var peer = new UdpCapture();
        RtpStream stream = media.Open();
        stream.SetRemote(peer.EndPoint, AudioPayloadType.Pcmu);
        media.Time.Advance(TimeSpan.FromSeconds(4));
        long sentAt = media.Time.GetTimestamp();

        // A far end on hold (a=inactive) sends no RTP, but its RTCP goes on (RFC 3264 §5.1).
        peer.Send(ReceiverReportBytes(), new System.Net.IPEndPoint(stream.LocalEndPoint!.Address, stream.LocalRtcpPort));
        media.WaitUntil(() => stream.LastReceiveTimestamp == sentAt, "the report was stamped");

        Assert.Equal(0, stream.GetStatistics().PacketsReceived);
    }

    [Theory]
    [InlineData(ReceiveMode.Polling)]
    [InlineData(ReceiveMode.Async)]
    public void Datagrams_that_are_not_rtp_do_not_count(ReceiveMode mode)
    {
        using var media = new ManualMedia(receiveMode: mode);
        using var peer = new UdpCapture();
        RtpStream stream = media.Open();
        stream.SetRemote(peer.EndPoint, AudioPayloadType.Pcmu);
        long remoteSetAt = stream.LastReceiveTimestamp;
        media.Time.Advance(TimeSpan.FromSeconds(2));

        peer.Send([1, 2, 3], stream.LocalEndPoint!);
        media.WaitUntil(() => stream.GetStatistics().MalformedPackets == 1, "the junk was counted");

        Assert.Equal(remoteSetAt, stream.LastReceiveTimestamp);
    }

    [Fact]
    public void A_re_invite_to_the_same_address_keeps_the_clock_and_a_new_address_restarts_it()
    {
        using var media = new ManualMedia();
        using var peer = new UdpCapture();
        using var movedPeer = new UdpCapture();
        RtpStream stream = media.Open();
        stream.SetRemote(peer.EndPoint, AudioPayloadType.Pcmu);
        long first = stream.LastReceiveTimestamp;

        // A session refresh repeats the SDP: silence so far is still silence.
        media.Time.Advance(TimeSpan.FromSeconds(30));
        stream.SetRemote(peer.EndPoint, AudioPayloadType.Pcmu);
        Assert.Equal(first, stream.LastReceiveTimestamp);

        // The far end moved its media: the new address has not had a chance to send yet.
        media.Time.Advance(TimeSpan.FromSeconds(1));
        stream.SetRemote(movedPeer.EndPoint, AudioPayloadType.Pcmu);
        Assert.Equal(media.Time.GetTimestamp(), stream.LastReceiveTimestamp);
    }

    private static byte[] RtpBytes(ushort sequence)
    {
        var buffer = new byte[12 + 160];
        RtpPacketWriter.TryWrite(buffer, new RtpHeader(false, 0, sequence, sequence * 160u, 0xCAFE), new byte[160], out _);
        return buffer;
    }

    private static byte[] ReceiverReportBytes()
    {
        var buffer = new byte[128];
        var writer = new RtcpCompoundWriter(buffer);
        Assert.True(writer.TryWriteReceiverReport(0xCAFE, []));
        Assert.True(writer.TryWriteSourceDescription(0xCAFE, "far-end"u8));
        return writer.WrittenSpan.ToArray();
    }
}
