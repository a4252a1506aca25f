using BenchmarkDotNet.Attributes;
using Dialtone.Engine.Rtp.Audio;

namespace Dialtone.Benchmarks.Audio;

/// <summary>Decoding a 10 s WAV file into a clip of 8 kHz samples (done once per file, then cached).</summary>
[MemoryDiagnoser]
public class WavDecodeBenchmarks
{
    private byte[] _file = [];

    [Params("8k-pcm16-mono", "8k-mulaw", "44k1-pcm16-stereo")]
    public string Format { get; set; } = "";

    [GlobalSetup]
    public void Setup()
    {
        (int rate, int channels, WavEncoding encoding) = Format switch
        {
            "8k-mulaw" => (8000, 1, WavEncoding.MuLaw),
            "44k1-pcm16-stereo" => (44100, 2, WavEncoding.Pcm16),
            _ => (8000, 1, WavEncoding.Pcm16),
        };
        var samples = new short[rate * channels * 10];
        for (int i = 0; i < samples.Length; i++)
        {
            samples[i] = (short)(Math.Sin(2 * Math.PI * 440 * (i / channels) / rate) * 12000);
        }

        var stream = new MemoryStream();
        using (var writer = new WavWriter(stream, channels, encoding, rate, leaveOpen: true))
        {
            writer.Write(samples);
        }

        _file = stream.ToArray();
    }

    [Benchmark]
    public int DecodeTenSeconds() => AudioClip.FromWav(_file).SampleCount;
}
