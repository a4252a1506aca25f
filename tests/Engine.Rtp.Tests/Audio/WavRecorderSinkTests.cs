using System.Buffers.Binary;
using Dialtone.Engine.Rtp.Audio;
using Microsoft.Extensions.Time.Testing;

namespace Dialtone.Engine.Rtp.Tests.Audio;

public class WavRecorderSinkTests
{
    private readonly FakeTimeProvider _clock = new();

    [Fact]
    public void Mono_mix_holds_both_directions()
    {
        var file = new MemoryStream();
        var sink = new WavRecorderSink(file, RecordingChannels.MonoMix, timeProvider: _clock);
        short[] caller = Signal.Sine(1000, 8000, 8000, 8000);
        short[] played = Signal.Sine(2000, 8000, 8000, 6000);

        WriteCall(sink, caller, played);
        TimeSpan duration = sink.Complete();

        Assert.Equal(TimeSpan.FromSeconds(1), duration);
        AudioClip recording = AudioClip.FromWav(file.ToArray());
        Assert.Equal(8000, recording.SampleCount);
        Assert.InRange(Signal.ToneAmplitude(recording.Samples.Span, 1000, 8000), 7990, 8010);
        Assert.InRange(Signal.ToneAmplitude(recording.Samples.Span, 2000, 8000), 5990, 6010);
    }

    [Fact]
    public void Mono_mix_saturates()
    {
        var file = new MemoryStream();
        var sink = new WavRecorderSink(file, timeProvider: _clock);
        short[] loud = Enumerable.Repeat((short)30000, 160).ToArray();

        sink.Write(loud, AudioDirection.Received);
        sink.Write(loud, AudioDirection.Sent);
        sink.Complete();

        Assert.All(AudioClip.FromWav(file.ToArray()).Samples.ToArray(), s => Assert.Equal(short.MaxValue, s));
    }

    [Fact]
    public void Stereo_puts_received_on_the_left_and_sent_on_the_right()
    {
        var file = new MemoryStream();
        var sink = new WavRecorderSink(file, RecordingChannels.Stereo, timeProvider: _clock);
        short[] caller = Enumerable.Range(0, 800).Select(i => (short)i).ToArray();
        short[] played = Enumerable.Range(0, 800).Select(i => (short)-i).ToArray();

        WriteCall(sink, caller, played);
        Assert.Equal(TimeSpan.FromMilliseconds(100), sink.Complete());

        byte[] bytes = file.ToArray();
        Assert.Equal(2, BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(22)));
        Assert.Equal(3200u, BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(40)));
        for (int i = 0; i < 800; i++)
        {
            Assert.Equal(caller[i], BinaryPrimitives.ReadInt16LittleEndian(bytes.AsSpan(44 + (i * 4))));
            Assert.Equal(played[i], BinaryPrimitives.ReadInt16LittleEndian(bytes.AsSpan(46 + (i * 4))));
        }
    }

    [Fact]
    public void Received_only_ignores_what_was_sent()
    {
        var file = new MemoryStream();
        var sink = new WavRecorderSink(file, RecordingChannels.ReceivedOnly, WavEncoding.MuLaw, _clock);
        short[] caller = Signal.Sine(1000, 8000, 1600, 8000);

        WriteCall(sink, caller, Signal.Sine(2000, 8000, 1600, 8000));
        sink.Complete();

        AudioClip recording = AudioClip.FromWav(file.ToArray());
        Assert.Equal(1600, recording.SampleCount);
        Assert.True(Signal.ToneAmplitude(recording.Samples.Span, 2000, 8000) < 30);
    }

    [Fact]
    public void Writes_on_the_timer_and_rewrites_the_header_about_every_second()
    {
        var file = new MemoryStream();
        var sink = new WavRecorderSink(file, timeProvider: _clock);
        var frame = new short[160];

        for (int i = 0; i < 5; i++)
        {
            sink.Write(frame, AudioDirection.Received);
            sink.Write(frame, AudioDirection.Sent);
        }

        Assert.Equal(44, file.Length); // nothing written on the media thread
        _clock.Advance(TimeSpan.FromMilliseconds(200));
        Assert.Equal(44 + 1600, file.Length);
        Assert.Equal(TimeSpan.FromMilliseconds(100), sink.Duration);
        Assert.Equal(uint.MaxValue, BinaryPrimitives.ReadUInt32LittleEndian(file.ToArray().AsSpan(40)));

        _clock.Advance(TimeSpan.FromMilliseconds(800));
        Assert.Equal(1600u, BinaryPrimitives.ReadUInt32LittleEndian(file.ToArray().AsSpan(40)));

        // A crash now (no Complete) leaves a valid file of everything up to the last header update.
        sink.Write(frame, AudioDirection.Received);
        sink.Write(frame, AudioDirection.Sent);
        _clock.Advance(TimeSpan.FromMilliseconds(200));
        Assert.Equal(44 + 1920, file.Length);
        Assert.Equal(800, AudioClip.FromWav(file.ToArray()).SampleCount);
        sink.Complete();
    }

    [Fact]
    public void A_silent_direction_is_filled_with_silence_once_it_lags_too_far()
    {
        var file = new MemoryStream();
        var sink = new WavRecorderSink(file, timeProvider: _clock);
        short[] caller = Signal.Sine(1000, 8000, 16000, 8000);

        for (int offset = 0; offset < caller.Length; offset += 160)
        {
            sink.Write(caller.AsSpan(offset, 160), AudioDirection.Received); // nothing is ever sent
            _clock.Advance(TimeSpan.FromMilliseconds(20));
        }

        Assert.InRange(sink.Duration.TotalSeconds, 1.4, 1.6); // at most MaxSkew behind
        Assert.Equal(TimeSpan.FromSeconds(2), sink.Complete());
        Assert.Equal(caller, AudioClip.FromWav(file.ToArray()).Samples.ToArray());
    }

    [Fact]
    public void Drops_and_counts_frames_when_the_writer_falls_behind_never_blocks()
    {
        var file = new MemoryStream();
        var sink = new WavRecorderSink(file, RecordingChannels.ReceivedOnly, timeProvider: _clock, bufferDuration: TimeSpan.FromMilliseconds(100));
        var frame = new short[160];

        for (int i = 0; i < 50; i++)
        {
            sink.Write(frame, AudioDirection.Received); // the timer never runs: the ring fills
        }

        Assert.Equal(8000 - 800, sink.DroppedSamples);
        Assert.Equal(TimeSpan.FromMilliseconds(100), sink.Complete());
    }

    [Fact]
    public void Ignores_frames_after_completion()
    {
        var file = new MemoryStream();
        var sink = new WavRecorderSink(file, RecordingChannels.ReceivedOnly, timeProvider: _clock);
        sink.Write(new short[160], AudioDirection.Received);

        Assert.Equal(TimeSpan.FromMilliseconds(20), sink.Complete());
        sink.Write(new short[160], AudioDirection.Received);
        Assert.Equal(TimeSpan.FromMilliseconds(20), sink.Complete());
        sink.Dispose();
    }

    [Fact]
    public void A_disk_error_ends_the_recording_and_is_reported()
    {
        var sink = new WavRecorderSink(new FailingStream(failAfterBytes: 1000), timeProvider: _clock);
        var frame = new short[160];
        for (int i = 0; i < 20; i++)
        {
            sink.Write(frame, AudioDirection.Received);
            sink.Write(frame, AudioDirection.Sent);
        }

        _clock.Advance(TimeSpan.FromMilliseconds(200));

        Assert.IsType<IOException>(sink.Error);
        sink.Write(frame, AudioDirection.Received); // still safe to call
        Assert.Throws<IOException>(() => sink.Complete());
        sink.Dispose();
    }

    [Fact]
    public void Records_into_a_new_file_and_refuses_to_overwrite_one()
    {
        string folder = Directory.CreateTempSubdirectory("dialtone-recording-").FullName;
        try
        {
            string path = Path.Combine(folder, "call.wav");
            using (WavRecorderSink sink = WavRecorderSink.Create(path, RecordingChannels.Stereo, timeProvider: _clock))
            {
                WriteCall(sink, new short[8000], new short[8000]);
                Assert.Equal(TimeSpan.FromSeconds(1), sink.Complete());
            }

            Assert.Equal(44 + 32000, new FileInfo(path).Length);
            Assert.Equal(8000, AudioClip.FromWav(File.ReadAllBytes(path)).SampleCount);
            Assert.Throws<IOException>(() => WavRecorderSink.Create(path));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public void Write_allocates_nothing()
    {
        var sink = new WavRecorderSink(new MemoryStream(), RecordingChannels.Stereo, timeProvider: _clock, bufferDuration: TimeSpan.FromSeconds(60));
        short[] frame = Signal.Sine(1000, 8000, 160, 5000);

        long allocated = Allocations.Measure(() =>
        {
            sink.Write(frame, AudioDirection.Received);
            sink.Write(frame, AudioDirection.Sent);
        });

        Assert.Equal(0, allocated);
        sink.Complete();
    }

    [Fact]
    public void Rejects_bad_arguments()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new WavRecorderSink(new MemoryStream(), (RecordingChannels)7));
        Assert.Throws<ArgumentOutOfRangeException>(() => new WavRecorderSink(new MemoryStream(), flushInterval: TimeSpan.Zero));
        Assert.Throws<ArgumentOutOfRangeException>(() => new WavRecorderSink(new MemoryStream(), bufferDuration: TimeSpan.FromMilliseconds(10)));
        Assert.Throws<ArgumentNullException>(() => new WavRecorderSink(null!));
    }

    private void WriteCall(WavRecorderSink sink, short[] received, short[] sent)
    {
        for (int offset = 0; offset < received.Length; offset += 160)
        {
            int length = Math.Min(160, received.Length - offset);
            sink.Write(received.AsSpan(offset, length), AudioDirection.Received);
            sink.Write(sent.AsSpan(offset, length), AudioDirection.Sent);
            _clock.Advance(TimeSpan.FromMilliseconds(20));
        }
    }

    private sealed class FailingStream(int failAfterBytes) : MemoryStream
    {
        public override void Write(ReadOnlySpan<byte> buffer) => Write(buffer.ToArray(), 0, buffer.Length);

        public override void Write(byte[] buffer, int offset, int count)
        {
            if (Length + count > failAfterBytes)
            {
                throw new IOException("No space left on device");
            }

            base.Write(buffer, offset, count);
        }
    }
}
