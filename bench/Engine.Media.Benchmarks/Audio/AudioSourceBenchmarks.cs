using BenchmarkDotNet.Attributes;
using Dialtone.Engine.Rtp.Audio;

namespace Dialtone.Benchmarks.Audio;

/// <summary>What one 20 ms Read costs the media thread for each kind of source, and the recorder's Write.</summary>
[MemoryDiagnoser]
public class AudioSourceBenchmarks
{
    private readonly short[] _frame = new short[160];
    private IAudioSource _clip = null!;
    private IAudioSource _tone = null!;
    private IAudioSource _dualTone = null!;
    private WavRecorderSink _recorder = null!;

    [GlobalSetup]
    public void Setup()
    {
        _clip = AudioClip.FromSamples(new short[8000 * 60]).CreateSource(loops: 0);
        _tone = new ToneAudioSource(1000, 8000);
        _dualTone = new ToneAudioSource(941, 7000, 1336, 8000);
        _recorder = new WavRecorderSink(Stream.Null, RecordingChannels.Stereo);
    }

    [GlobalCleanup]
    public void Cleanup() => _recorder.Complete();

    [Benchmark]
    public int ReadClip() => _clip.Read(_frame);

    [Benchmark]
    public int ReadTone() => _tone.Read(_frame);

    [Benchmark]
    public int ReadDualTone() => _dualTone.Read(_frame);

    [Benchmark]
    public void RecorderWriteBothDirections()
    {
        _recorder.Write(_frame, AudioDirection.Received);
        _recorder.Write(_frame, AudioDirection.Sent);
    }
}
