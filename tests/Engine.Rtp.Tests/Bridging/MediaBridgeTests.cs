using Dialtone.Engine.Rtp.Audio;
using Dialtone.Engine.Rtp.Bridging;
using Dialtone.Engine.Rtp.Streams;
using Dialtone.Engine.Rtp.Tests.TestSupport;

namespace Dialtone.Engine.Rtp.Tests.Bridging;

/// <summary>
/// Two calls bridged in the middle: caller ⇄ A ═ bridge ═ B ⇄ callee, every leg a real stream on 127.0.0.1.
/// </summary>
public sealed class MediaBridgeTests
{
    [Fact]
    public void Relays_audio_both_ways_transcoding_pcmu_and_pcma()
    {
        using var media = new ManualMedia();
        (RtpStream caller, RtpStream a) = media.OpenPair(AudioPayloadType.Pcmu);
        (RtpStream b, RtpStream callee) = media.OpenPair(AudioPayloadType.Pcma);
        var atCallee = new CapturingSink();
        var atCaller = new CapturingSink();
        callee.AddSink(atCallee);
        caller.AddSink(atCaller);
        caller.Play(new ToneAudioSource(1000, 8000, TimeSpan.FromSeconds(2)));
        callee.Play(new ToneAudioSource(600, 8000, TimeSpan.FromSeconds(2)));

        using MediaBridge bridge = MediaBridge.Connect(a, b);
        media.RunDelivered(40, caller, a, b, callee);

        // The callee's stream only plays out PCMA (payload type 8), the caller's only PCMU: hearing the
        // tones at all proves each leg sent its own law.
        short[] heardByCallee = atCallee.Received[(20 * 160)..];
        short[] heardByCaller = atCaller.Received[(20 * 160)..];
        Assert.InRange(PcmMeasure.Rms(heardByCallee), 4000, 7000);
        Assert.InRange(PcmMeasure.ZeroCrossingFrequency(heardByCallee), 990, 1010);
        Assert.InRange(PcmMeasure.Rms(heardByCaller), 4000, 7000);
        Assert.InRange(PcmMeasure.ZeroCrossingFrequency(heardByCaller), 590, 610);
        Assert.True(bridge.IsConnected);
    }

    [Fact]
    public void Same_codec_legs_pass_the_payload_through_unchanged()
    {
        using var media = new ManualMedia();
        using var callee = new UdpCapture();
        (RtpStream caller, RtpStream a) = media.OpenPair(AudioPayloadType.Pcmu);
        RtpStream b = media.Open();
        b.SetRemote(callee.EndPoint, AudioPayloadType.Pcmu);
        short[] ramp = Enumerable.Range(0, 8000).Select(i => (short)((i * 37 % 4000) - 2000)).ToArray();
        caller.Play(AudioClip.FromSamples(ramp).CreateSource());

        using MediaBridge bridge = MediaBridge.Connect(a, b);
        media.RunDelivered(30, caller, a);

        byte[] relayed = callee.Drain(TimeSpan.FromMilliseconds(100)).SelectMany(d => d[12..]).ToArray();
        var encoded = new byte[ramp.Length];
        MuLaw.Encode(ramp, encoded);
        byte[] expectedStart = encoded[..800];
        int at = IndexOf(relayed, expectedStart);
        Assert.True(at >= 0, "the caller's µ-law bytes appear unchanged in what B sent");
        Assert.Equal(encoded[..(relayed.Length - at)], relayed[at..]);
    }

    [Fact]
    public void Sequence_numbers_and_timestamps_run_on_through_playback_bridge_and_back()
    {
        using var media = new ManualMedia();
        using var callee = new UdpCapture();
        (RtpStream caller, RtpStream a) = media.OpenPair(AudioPayloadType.Pcmu);
        RtpStream b = media.Open();
        b.SetRemote(callee.EndPoint, AudioPayloadType.Pcma);
        b.Play(new ToneAudioSource(440, 8000, TimeSpan.FromSeconds(10)));
        caller.Play(new ToneAudioSource(1000, 8000, TimeSpan.FromSeconds(10)));

        media.RunDelivered(5, caller, a);
        MediaBridge bridge = MediaBridge.Connect(a, b);
        media.RunDelivered(5, caller, a);
        bridge.Dispose();
        Assert.False(bridge.IsConnected);
        Assert.False(b.IsBridged);
        media.RunDelivered(5, caller, a);

        List<CapturedRtp> packets = Enumerable.Range(0, 15).Select(_ => callee.ReceiveRtp()).ToList();
        for (int i = 1; i < packets.Count; i++)
        {
            Assert.Equal(packets[0].Ssrc, packets[i].Ssrc);
            Assert.Equal((ushort)(packets[0].SequenceNumber + i), packets[i].SequenceNumber);
            Assert.Equal(packets[0].Timestamp + (uint)(160 * i), packets[i].Timestamp);
            Assert.False(packets[i].Marker);
            Assert.Equal(8, packets[i].PayloadType);
        }
    }

    [Fact]
    public void Closing_a_leg_ends_the_bridge_and_the_other_leg_goes_on()
    {
        using var media = new ManualMedia();
        using var callee = new UdpCapture();
        (RtpStream caller, RtpStream a) = media.OpenPair();
        RtpStream b = media.Open();
        b.SetRemote(callee.EndPoint, AudioPayloadType.Pcmu);
        MediaBridge bridge = MediaBridge.Connect(a, b);
        media.Run(3);

        a.Close();

        Assert.False(bridge.IsConnected);
        Assert.False(b.IsBridged);
        media.Run(3);
        Assert.Equal(6, callee.Drain(TimeSpan.FromMilliseconds(100)).Count);
    }

    [Fact]
    public void Bridging_is_refused_for_the_same_stream_an_unopened_one_or_one_already_bridged()
    {
        using var media = new ManualMedia();
        RtpStream a = media.Open();
        RtpStream b = media.Open();
        RtpStream c = media.Open();
        RtpStream unopened = media.Engine.CreateStream();

        Assert.Throws<ArgumentException>(() => MediaBridge.Connect(a, a));
        Assert.Throws<InvalidOperationException>(() => MediaBridge.Connect(a, unopened));
        Assert.False(a.IsBridged); // the half-made bridge was undone
        using MediaBridge bridge = MediaBridge.Connect(a, b);
        Assert.Throws<InvalidOperationException>(() => MediaBridge.Connect(c, a));
        Assert.False(c.IsBridged);
    }

    private static int IndexOf(byte[] haystack, byte[] needle)
    {
        for (int i = 0; i + needle.Length <= haystack.Length; i++)
        {
            if (haystack.AsSpan(i, needle.Length).SequenceEqual(needle))
            {
                return i;
            }
        }

        return -1;
    }
}
