using System.Buffers.Binary;
using Dialtone.Engine.Rtp.Audio;
using Dialtone.Engine.Rtp.Recording;
using Dialtone.Engine.Rtp.Streams;
using Dialtone.Engine.Rtp.Tests.TestSupport;

namespace Dialtone.Engine.Rtp.Tests.Recording;

public sealed class CallRecordingTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("dialtone-recording-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public void Records_the_callee_on_the_left_and_what_we_sent_on_the_right()
    {
        using var media = new ManualMedia();
        (RtpStream call, RtpStream callee) = media.OpenPair();
        call.Play(new ToneAudioSource(1000, 8000, TimeSpan.FromSeconds(5)));
        callee.Play(new ToneAudioSource(600, 8000, TimeSpan.FromSeconds(5)));
        string path = Path.Combine(_folder, "call.wav");

        CallRecording recording = CallRecording.Start(call, path, RecordingChannels.Stereo);
        media.RunDelivered(100, call, callee);
        TimeSpan duration = recording.Stop();

        Assert.Equal(TimeSpan.FromSeconds(2), duration);
        Assert.Equal(Path.GetFullPath(path), recording.FilePath);
        (int channels, short[] samples) = ReadWav(path);
        Assert.Equal(2, channels);
        Assert.Equal(2 * 16000, samples.Length);
        short[] left = samples.Where((_, i) => i % 2 == 0).Skip(8000).ToArray();
        short[] right = samples.Where((_, i) => i % 2 == 1).Skip(8000).ToArray();
        Assert.InRange(PcmMeasure.ZeroCrossingFrequency(left), 590, 610);
        Assert.InRange(PcmMeasure.ZeroCrossingFrequency(right), 990, 1010);
    }

    [Fact]
    public void A_mono_recording_mixes_both_directions()
    {
        using var media = new ManualMedia();
        (RtpStream call, RtpStream callee) = media.OpenPair();
        callee.Play(new ToneAudioSource(600, 8000, TimeSpan.FromSeconds(5)));
        string path = Path.Combine(_folder, "mono.wav");

        using CallRecording recording = CallRecording.Start(call, path);
        media.RunDelivered(50, call, callee);
        TimeSpan duration = recording.Stop();

        Assert.Equal(TimeSpan.FromSeconds(1), duration);
        Assert.Equal(duration, recording.Duration);
        Assert.True(recording.IsStopped);
        (int channels, short[] samples) = ReadWav(path);
        Assert.Equal(1, channels);
        Assert.InRange(PcmMeasure.ZeroCrossingFrequency(samples.AsSpan(4000)), 590, 610);
        Assert.Equal(duration, recording.Stop()); // stopping again changes nothing
    }

    [Fact]
    public void An_existing_file_is_not_overwritten()
    {
        using var media = new ManualMedia();
        RtpStream call = media.Open();
        string path = Path.Combine(_folder, "taken.wav");
        File.WriteAllText(path, "keep me");

        Assert.Throws<IOException>(() => CallRecording.Start(call, path));
        Assert.Equal("keep me", File.ReadAllText(path));
    }

    private static (int Channels, short[] Samples) ReadWav(string path)
    {
        byte[] file = File.ReadAllBytes(path);
        Assert.Equal("RIFF"u8.ToArray(), file[..4]);
        int channels = BinaryPrimitives.ReadInt16LittleEndian(file.AsSpan(22));
        int offset = 12;
        while (offset + 8 <= file.Length)
        {
            int size = BinaryPrimitives.ReadInt32LittleEndian(file.AsSpan(offset + 4));
            if (file.AsSpan(offset, 4).SequenceEqual("data"u8))
            {
                var samples = new short[size / 2];
                LinearPcm.ReadLittleEndian16(file.AsSpan(offset + 8, size), samples);
                return (channels, samples);
            }

            offset += 8 + size + (size & 1);
        }

        throw new InvalidDataException("No data chunk.");
    }
}
