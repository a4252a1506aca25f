using Dialtone.Engine.Rtp.Bridging;
using Dialtone.Engine.Rtp.Media;
using Dialtone.Engine.Rtp.Streams;
using Dialtone.Engine.Rtp.Tests.TestSupport;

namespace Dialtone.Engine.Dtmf.Tests;

/// <summary>DTMF on real streams over 127.0.0.1, packet by packet on a fake clock.</summary>
public sealed class DtmfChannelTests
{
    private static readonly TimeSpan Quiet = TimeSpan.FromMilliseconds(100);

    private static ManualMedia CreateMedia(ReceiveMode mode = ReceiveMode.Polling) => new(firstPort: 44000, lastPort: 44999, receiveMode: mode);

    [Fact]
    public async Task A_digit_shares_the_audio_sequence_space_and_pauses_the_audio()
    {
        using ManualMedia media = CreateMedia();
        using var remote = new UdpCapture();
        RtpStream stream = media.Open();
        stream.SetRemote(remote.EndPoint, AudioPayloadType.Pcmu, telephoneEventPayloadType: 101);
        using var dtmf = new DtmfChannel(stream);
        Task sent = dtmf.SendDigitsAsync("1");

        media.Run(12);
        List<CapturedRtp> packets = Enumerable.Range(0, 12).Select(_ => remote.ReceiveRtp()).ToList();

        uint onset = packets[0].Timestamp;
        for (int i = 0; i < 12; i++)
        {
            Assert.Equal(stream.Ssrc, packets[i].Ssrc);
            Assert.Equal((ushort)(packets[0].SequenceNumber + i), packets[i].SequenceNumber);
        }

        // Slots 0-6: the event (five updates, the end three times), all stamped with the onset.
        Assert.All(packets.Take(7), p => Assert.Equal(101, p.PayloadType));
        Assert.All(packets.Take(7), p => Assert.Equal(onset, p.Timestamp));
        Assert.Equal([true, false, false, false, false, false, false], packets.Take(7).Select(p => p.Marker));
        Assert.Equal([0x01, 0x0A, 0x00, 0xA0], packets[0].Payload);
        Assert.Equal([0x01, 0x8A, 0x03, 0x20], packets[6].Payload);

        // Slot 7 on: audio again, on the RTP clock, starting a new talkspurt.
        Assert.All(packets.Skip(7), p => Assert.Equal(0, p.PayloadType));
        Assert.Equal(onset + (7 * 160), packets[7].Timestamp);
        Assert.True(packets[7].Marker);
        Assert.False(packets[8].Marker);
        Assert.True(sent.IsCompletedSuccessfully);
        await sent;
    }

    [Fact]
    public void Wwww101_sends_four_seconds_of_audio_before_the_first_digit()
    {
        using ManualMedia media = CreateMedia();
        using var remote = new UdpCapture();
        RtpStream stream = media.Open();
        stream.SetRemote(remote.EndPoint, AudioPayloadType.Pcma, telephoneEventPayloadType: 96);
        using var dtmf = new DtmfChannel(stream);
        _ = dtmf.SendDigitsAsync("WWWW101");

        media.Run(201);
        List<CapturedRtp> packets = Enumerable.Range(0, 201).Select(_ => remote.ReceiveRtp()).ToList();

        Assert.All(packets.Take(200), p => Assert.Equal(8, p.PayloadType));
        Assert.Equal(96, packets[200].PayloadType);
        Assert.True(packets[200].Marker);
        Assert.Equal(packets[0].Timestamp + 32000, packets[200].Timestamp); // exactly 4 s on the RTP clock
    }

    [Theory]
    [InlineData(ReceiveMode.Polling)]
    [InlineData(ReceiveMode.Async)]
    public async Task Digits_cross_from_one_stream_to_another(ReceiveMode mode)
    {
        using ManualMedia media = CreateMedia(mode);
        (RtpStream caller, RtpStream callee) = media.OpenPair();
        using var send = new DtmfChannel(caller);
        using var receive = new DtmfChannel(callee);
        var received = new List<DtmfDigit>();
        var completed = new List<DtmfDigit>();
        receive.DigitReceived += d => { lock (received) { received.Add(d); } };
        receive.DigitCompleted += d => { lock (completed) { completed.Add(d); } };

        Task sent = send.SendDigitsAsync("123#*0ABCD");
        media.RunDelivered(110, caller, callee);
        await sent;

        media.WaitUntil(() => completed.Count == 10, "every digit completed");
        Assert.Equal("123#*0ABCD", new string(received.Select(d => d.Digit).ToArray()));
        Assert.All(completed, d => Assert.Equal(TimeSpan.FromMilliseconds(100), d.Duration));
        Assert.All(completed, d => Assert.Equal(DtmfSource.Rfc4733, d.Source));
    }

    [Fact]
    public void Digits_pass_through_a_bridge_with_the_far_legs_payload_type_and_clock()
    {
        using ManualMedia media = CreateMedia();
        (RtpStream caller, RtpStream a) = media.OpenPair(AudioPayloadType.Pcmu);
        RtpStream b = media.Open();
        RtpStream callee = media.Open();
        b.SetRemote(callee.LocalEndPoint!, AudioPayloadType.Pcma, telephoneEventPayloadType: 96);
        callee.SetRemote(b.LocalEndPoint!, AudioPayloadType.Pcma, telephoneEventPayloadType: 96);
        using MediaBridge bridge = MediaBridge.Connect(a, b);
        using var send = new DtmfChannel(caller);
        using var receive = new DtmfChannel(callee);
        var completed = new List<DtmfDigit>();
        receive.DigitCompleted += d => { lock (completed) { completed.Add(d); } };

        _ = send.SendDigitsAsync("1w59#");
        media.RunDelivered(100, caller, a, b, callee);

        media.WaitUntil(() => completed.Count == 4, "every digit crossed the bridge");
        Assert.Equal("159#", new string(completed.Select(d => d.Digit).ToArray()));
        Assert.All(completed, d => Assert.Equal(TimeSpan.FromMilliseconds(100), d.Duration));
        Assert.Equal(0, receive.IgnoredPackets);
    }

    [Fact]
    public void Sip_info_digits_are_reported_with_their_source()
    {
        using ManualMedia media = CreateMedia();
        RtpStream stream = media.Open();
        using var dtmf = new DtmfChannel(stream);
        var received = new List<DtmfDigit>();
        dtmf.DigitReceived += received.Add;

        dtmf.ReceiveInfoDigit('5', 160);
        dtmf.ReceiveInfoDigit('b', 250);

        Assert.Equal(
            [new DtmfDigit('5', TimeSpan.FromMilliseconds(160), DtmfSource.SipInfo), new DtmfDigit('B', TimeSpan.FromMilliseconds(250), DtmfSource.SipInfo)],
            received);
        Assert.Throws<ArgumentException>(() => dtmf.ReceiveInfoDigit('x', 100));
        Assert.Throws<ArgumentOutOfRangeException>(() => dtmf.ReceiveInfoDigit('1', -5));
    }

    [Fact]
    public void In_band_digits_are_ignored_once_the_stream_carries_rfc_4733_events()
    {
        using ManualMedia media = CreateMedia();
        (RtpStream caller, RtpStream callee) = media.OpenPair();
        using var send = new DtmfChannel(caller);
        using var receive = new DtmfChannel(callee);
        var received = new List<DtmfDigit>();
        receive.DigitReceived += d => { lock (received) { received.Add(d); } };

        Assert.True(receive.ReceiveInBandDigit('4', 100));
        _ = send.SendDigitsAsync("7");
        media.RunDelivered(12, caller, callee);
        media.WaitUntil(() => received.Count == 2, "the event arrived");

        Assert.False(receive.ReceiveInBandDigit('7', 100));
        Assert.Equal([DtmfSource.InBand, DtmfSource.Rfc4733], received.Select(d => d.Source));
    }

    [Fact]
    public void Sending_without_a_negotiated_telephone_event_is_refused()
    {
        using ManualMedia media = CreateMedia();
        using var remote = new UdpCapture();
        RtpStream stream = media.Open();
        stream.SetRemote(remote.EndPoint, AudioPayloadType.Pcmu, telephoneEventPayloadType: -1);
        using var dtmf = new DtmfChannel(stream);

        Assert.Throws<InvalidOperationException>(() => { _ = dtmf.SendDigitsAsync("1"); });
        Assert.Throws<ArgumentException>(() => { _ = dtmf.SendDigitsAsync("1x"); });
    }

    [Fact]
    public void Disposing_detaches_from_the_stream()
    {
        using ManualMedia media = CreateMedia();
        RtpStream stream = media.Open();
        var dtmf = new DtmfChannel(stream);

        dtmf.Dispose();

        Assert.Null(stream.TelephoneEventSource);
        Assert.Null(stream.TelephoneEventListener);
        Assert.Throws<ObjectDisposedException>(() => { _ = dtmf.SendDigitsAsync("1"); });
    }
}
