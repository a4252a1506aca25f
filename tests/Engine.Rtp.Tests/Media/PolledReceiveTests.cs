using System.Net;
using Dialtone.Engine.Rtp.Audio;
using Dialtone.Engine.Rtp.Bridging;
using Dialtone.Engine.Rtp.Media;
using Dialtone.Engine.Rtp.Packets;
using Dialtone.Engine.Rtp.Streams;
using Dialtone.Engine.Rtp.Tests.TestSupport;

namespace Dialtone.Engine.Rtp.Tests.Media;

/// <summary>
/// <see cref="ReceiveMode.Polling"/>: the media thread that paces a stream reads its packets, at the
/// stream's slot, over real sockets on 127.0.0.1 and a fake clock.
/// </summary>
public sealed class PolledReceiveTests
{
    private static readonly TimeSpan Quiet = TimeSpan.FromMilliseconds(100);

    [Fact]
    public void Polling_is_the_default_and_works_on_linux()
    {
        using var media = new ManualMedia();

        Assert.Equal(ReceiveMode.Polling, new MediaEngineOptions().ReceiveMode);
        Assert.Equal(OperatingSystem.IsLinux() ? ReceiveMode.Polling : ReceiveMode.Async, media.Engine.ReceiveMode);
    }

    [Fact]
    public void A_packet_waits_in_its_socket_until_the_streams_slot_reads_it()
    {
        if (!OperatingSystem.IsLinux())
        {
            return; // polling needs epoll; elsewhere the engine receives asynchronously (covered by the stream tests)
        }

        using var media = new ManualMedia();
        using var peer = new UdpCapture();
        RtpStream stream = media.Open();
        stream.SetRemote(peer.EndPoint, AudioPayloadType.Pcmu);
        media.Run(1);

        peer.Send(RtpBytes(sequence: 1), stream.LocalEndPoint!);
        peer.Send(RtpBytes(sequence: 2), stream.LocalEndPoint!);
        Thread.Sleep(50); // long enough for any other thread to have read them, were there one

        Assert.Null(stream.GetStatistics().TimeSinceLastPacket);
        media.Tick();
        RtpStreamStatistics statistics = stream.GetStatistics();
        Assert.Equal(1, statistics.PacketsReceived); // two arrived; the first is on probation (RFC 3550 §A.1)
        Assert.Equal(0xCAFEu, statistics.RemoteSsrc);
        Assert.Equal(TimeSpan.Zero, statistics.TimeSinceLastPacket); // stamped with the slot's time
    }

    [Fact]
    public void A_stream_with_no_remote_yet_is_not_polled_and_reads_what_waited_once_it_has_one()
    {
        if (!OperatingSystem.IsLinux())
        {
            return; // polling needs epoll; elsewhere the engine receives asynchronously (covered by the stream tests)
        }

        using var media = new ManualMedia();
        using var peer = new UdpCapture();
        RtpStream stream = media.Open(); // our offer is out; no answer yet
        media.Run(1);
        long polledBefore = media.Engine.PolledDatagrams;

        peer.Send(RtpBytes(sequence: 1), stream.LocalEndPoint!);
        peer.Send(RtpBytes(sequence: 2), stream.LocalEndPoint!);
        Thread.Sleep(50);
        media.Run(5);

        Assert.Equal(polledBefore, media.Engine.PolledDatagrams);
        Assert.Null(stream.GetStatistics().TimeSinceLastPacket);

        // The answer arrives: the packets that waited in the socket are read at the next slot.
        stream.SetRemote(peer.EndPoint, AudioPayloadType.Pcmu);
        media.Tick();
        Assert.Equal(polledBefore + 2, media.Engine.PolledDatagrams);
        Assert.Equal(1, stream.GetStatistics().PacketsReceived); // the first is on probation (RFC 3550 §A.1)
    }

    [Fact]
    public void Received_audio_reaches_the_sinks_through_the_jitter_buffer()
    {
        using var media = new ManualMedia();
        (RtpStream a, RtpStream b) = media.OpenPair(AudioPayloadType.Pcma);
        var heard = new CapturingSink();
        b.AddSink(heard);
        a.Play(new ToneAudioSource(1000, 8000, TimeSpan.FromSeconds(1)));

        // No waiting for arrivals: each tick's slot reads what the previous ones sent.
        media.Run(50);

        short[] afterDelay = heard.Received[(10 * 160)..];
        Assert.InRange(PcmMeasure.Rms(afterDelay), 4000, 7000);
        Assert.InRange(PcmMeasure.ZeroCrossingFrequency(afterDelay), 990, 1010);
        Assert.Equal(0, b.GetStatistics().PacketsLost);
        Assert.True(media.Engine.PolledDatagrams >= 49);
    }

    [Fact]
    public void A_burst_beyond_the_slot_bound_is_spread_over_later_slots_and_starves_no_other_stream()
    {
        if (!OperatingSystem.IsLinux())
        {
            return; // polling needs epoll; elsewhere the engine receives asynchronously (covered by the stream tests)
        }

        using var media = new ManualMedia();
        using var flooder = new UdpCapture();
        using var quiet = new UdpCapture();
        RtpStream flooded = media.Open();
        RtpStream other = media.Open();
        flooded.SetRemote(flooder.EndPoint, AudioPayloadType.Pcmu);
        other.SetRemote(quiet.EndPoint, AudioPayloadType.Pcmu);
        media.Run(1);

        const int burst = 100;
        for (int i = 0; i < burst; i++)
        {
            flooder.Send(RtpBytes(sequence: (ushort)(1000 + i)), flooded.LocalEndPoint!);
        }

        quiet.Send(RtpBytes(sequence: 1, ssrc: 0xBEEF), other.LocalEndPoint!);
        quiet.Send(RtpBytes(sequence: 2, ssrc: 0xBEEF), other.LocalEndPoint!);

        // One slot takes at most the bound from the flooded socket, and the other stream still gets its turn.
        media.Run(1);
        Assert.Equal(RtpReceivePoller.MaxDatagramsPerSlot - 1, flooded.GetStatistics().PacketsReceived);
        Assert.Equal(1, other.GetStatistics().PacketsReceived);
        Assert.Equal(1, media.Engine.ReceiveSlotsAtBound);

        // The rest stayed queued in the kernel and comes in over the next slots, none lost.
        int slots = (burst + RtpReceivePoller.MaxDatagramsPerSlot - 1) / RtpReceivePoller.MaxDatagramsPerSlot;
        media.Run(slots);
        RtpStreamStatistics statistics = flooded.GetStatistics();
        Assert.Equal(burst - 1, statistics.PacketsReceived);
        Assert.Equal(0, statistics.PacketsLost);
    }

    [Fact]
    public void Telephone_events_are_handed_to_the_listener_at_the_slot()
    {
        using var media = new ManualMedia();
        using var peer = new UdpCapture();
        RtpStream stream = media.Open();
        stream.SetRemote(peer.EndPoint, AudioPayloadType.Pcmu, telephoneEventPayloadType: 101);
        var listener = new RecordingListener();
        stream.TelephoneEventListener = listener;
        media.Run(1);

        byte[] end = new byte[12 + 4];
        RtpPacketWriter.TryWrite(end, new RtpHeader(true, 101, 7, 1600, 0xD7F0), [0x05, 0x8A, 0x03, 0x20], out _);
        peer.Send(end, stream.LocalEndPoint!);
        Thread.Sleep(20);
        Assert.Empty(listener.Events);

        media.Run(1);
        (byte Event, uint Timestamp, bool Marker) received = Assert.Single(listener.Events);
        Assert.Equal((5, 1600u, true), received);
        Assert.Equal(Environment.CurrentManagedThreadId, listener.ThreadId); // the thread that ticked: the media thread
    }

    [Fact]
    public void A_bridge_relays_what_the_media_threads_read()
    {
        using var media = new ManualMedia(threads: 2, phases: 4);
        (RtpStream caller, RtpStream a) = media.OpenPair(AudioPayloadType.Pcmu);
        (RtpStream b, RtpStream callee) = media.OpenPair(AudioPayloadType.Pcma);
        var atCallee = new CapturingSink();
        callee.AddSink(atCallee);
        caller.Play(new ToneAudioSource(1000, 8000, TimeSpan.FromSeconds(2)));
        using MediaBridge bridge = MediaBridge.Connect(a, b);

        for (int i = 0; i < 4 * 60; i++)
        {
            media.Tick();
            media.Time.Advance(TimeSpan.FromMilliseconds(5));
        }

        short[] heard = atCallee.Received[(30 * 160)..];
        Assert.InRange(PcmMeasure.Rms(heard), 4000, 7000);
        Assert.InRange(PcmMeasure.ZeroCrossingFrequency(heard), 990, 1010);
    }

    [Fact]
    public void The_goodbye_handler_runs_off_the_media_thread()
    {
        using var media = new ManualMedia();
        (RtpStream a, RtpStream b) = media.OpenPair();
        media.Run(2);
        bool? onThreadPool = null;
        using var heard = new ManualResetEventSlim();
        b.RemoteGoodbye += _ =>
        {
            onThreadPool = Thread.CurrentThread.IsThreadPoolThread;
            heard.Set();
        };

        a.Close();
        media.Run(1);

        Assert.True(heard.Wait(TimeSpan.FromSeconds(5)));
        Assert.Equal(media.Engine.ReceiveMode == ReceiveMode.Polling, onThreadPool);
        Assert.True(b.GetStatistics().RemoteGoodbye);
    }

    [Fact]
    public void Closing_a_stream_with_packets_queued_leaves_the_others_receiving()
    {
        using var media = new ManualMedia();
        using var peer = new UdpCapture();
        (RtpStream a, RtpStream b) = media.OpenPair();
        RtpStream closing = media.Open();
        closing.SetRemote(peer.EndPoint, AudioPayloadType.Pcmu);
        media.Run(2);
        int inUse = media.Engine.Ports.InUse;
        for (int i = 0; i < 10; i++)
        {
            peer.Send(RtpBytes(sequence: (ushort)i), closing.LocalEndPoint!);
        }

        closing.Close();
        Assert.Equal(inUse - 1, media.Engine.Ports.InUse);
        media.Run(10);

        // Twelve slots: B read at each the packet A sent at the one before, the first on probation (RFC 3550 §A.1).
        Assert.Equal(10, b.GetStatistics().PacketsReceived);
        Assert.Equal(0, closing.GetStatistics().PacketsReceived);
        Assert.Equal(2, media.Engine.StreamCount);
    }

    [Fact]
    public void Invalid_receive_options_are_rejected()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new MediaEngine(new MediaEngineOptions { ReceiveMode = (ReceiveMode)7, UseDedicatedThreads = false }));
        Assert.Throws<ArgumentOutOfRangeException>(() => new MediaEngine(new MediaEngineOptions { ReceivePollInterval = TimeSpan.FromMicroseconds(50), UseDedicatedThreads = false }));
        Assert.Throws<ArgumentOutOfRangeException>(() => new MediaEngine(new MediaEngineOptions { ReceivePollInterval = TimeSpan.FromMilliseconds(21), UseDedicatedThreads = false }));
    }

    [Fact]
    public void Dedicated_media_threads_receive_with_latching_and_no_loss()
    {
        using var engine = new MediaEngine(new MediaEngineOptions { MediaThreadCount = 2, FirstPort = 42000, LastPort = 43999 });
        using var announced = new UdpCapture();
        using var actual = new UdpCapture();
        RtpStream a = engine.CreateStream();
        RtpStream b = engine.CreateStream();
        RtpStream natted = engine.CreateStream();
        a.Open(IPAddress.Loopback);
        b.Open(IPAddress.Loopback);
        natted.Open(IPAddress.Loopback);
        a.SetRemote(b.LocalEndPoint!, AudioPayloadType.Pcmu);
        b.SetRemote(a.LocalEndPoint!, AudioPayloadType.Pcmu);
        natted.SetRemote(announced.EndPoint, AudioPayloadType.Pcmu);

        actual.Send(RtpBytes(sequence: 1), natted.LocalEndPoint!);
        Eventually.True(() => actual.EndPoint.Equals(natted.RemoteEndPoint), "the stream latched onto the address its peer's packet came from");
        Assert.NotNull(actual.ReceiveDatagram(TimeSpan.FromSeconds(2)));
        Eventually.True(() => b.GetStatistics().PacketsReceived >= 50 && a.GetStatistics().PacketsReceived >= 50, "a second of audio each way");

        Assert.Equal(0, a.GetStatistics().PacketsLost);
        Assert.Equal(0, b.GetStatistics().PacketsLost);
        Assert.Equal(ReceiveMode.Polling == engine.ReceiveMode, engine.PolledDatagrams > 0);
    }

    private static byte[] RtpBytes(ushort sequence, uint ssrc = 0xCAFE)
    {
        var buffer = new byte[12 + 160];
        RtpPacketWriter.TryWrite(buffer, new RtpHeader(false, 0, sequence, sequence * 160u, ssrc), new byte[160], out _);
        return buffer;
    }

    private sealed class RecordingListener : ITelephoneEventListener
    {
        private readonly Lock _sync = new();
        private readonly List<(byte, uint, bool)> _events = [];

        public int ThreadId { get; private set; }

        public List<(byte Event, uint Timestamp, bool Marker)> Events
        {
            get
            {
                lock (_sync)
                {
                    return [.. _events];
                }
            }
        }

        public void OnTelephoneEvent(ReadOnlySpan<byte> payload, uint ssrc, uint timestamp, bool marker)
        {
            lock (_sync)
            {
                ThreadId = Environment.CurrentManagedThreadId;
                _events.Add((payload[0], timestamp, marker));
            }
        }
    }
}
