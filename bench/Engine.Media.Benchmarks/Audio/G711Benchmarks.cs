using BenchmarkDotNet.Attributes;
using Dialtone.Engine.Rtp.Audio;

namespace Dialtone.Benchmarks.Audio;

/// <summary>G.711 encode, decode and A↔µ transcoding of one 20 ms frame (160 samples) and of one second (8,000).</summary>
[MemoryDiagnoser]
public class G711Benchmarks
{
    private short[] _pcm = [];
    private byte[] _codes = [];
    private byte[] _transcoded = [];
    private short[] _decoded = [];

    [Params(160, 8000)]
    public int Samples { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(1);
        _pcm = new short[Samples];
        for (int i = 0; i < Samples; i++)
        {
            _pcm[i] = (short)((Math.Sin(2 * Math.PI * 1000 * i / 8000) * 12000) + random.Next(-500, 500));
        }

        _codes = new byte[Samples];
        _transcoded = new byte[Samples];
        _decoded = new short[Samples];
        MuLaw.Encode(_pcm, _codes);
    }

    [Benchmark]
    public void MuLawEncode() => MuLaw.Encode(_pcm, _codes);

    [Benchmark]
    public void MuLawDecode() => MuLaw.Decode(_codes, _decoded);

    [Benchmark]
    public void ALawEncode() => ALaw.Encode(_pcm, _transcoded);

    [Benchmark]
    public void ALawDecode() => ALaw.Decode(_codes, _decoded);

    [Benchmark]
    public void TranscodeMuLawToALaw() => G711.TranscodeMuLawToALaw(_codes, _transcoded);
}
