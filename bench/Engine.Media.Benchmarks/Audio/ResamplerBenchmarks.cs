using BenchmarkDotNet.Attributes;
using Dialtone.Engine.Rtp.Audio;

namespace Dialtone.Benchmarks.Audio;

/// <summary>
/// One second of mono PCM resampled to 8 kHz: streamed through a resampler that already exists
/// (what decoding a download costs), and one-shot with <see cref="PcmResampler.To8k"/> (which also
/// builds the filter, as decoding a clip does).
/// </summary>
[MemoryDiagnoser]
public class ResamplerBenchmarks
{
    private short[] _oneSecond = [];
    private short[] _output = [];
    private PcmResampler _resampler = null!;

    [Params(22050, 48000)]
    public int InputRate { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _oneSecond = new short[InputRate];
        for (int i = 0; i < InputRate; i++)
        {
            _oneSecond[i] = (short)(Math.Sin(2 * Math.PI * 440 * i / InputRate) * 12000);
        }

        _resampler = new PcmResampler(InputRate);
        _output = new short[_resampler.MaxOutputFor(InputRate) + 1024];
    }

    [GlobalCleanup]
    public void Cleanup() => _resampler.Dispose();

    [Benchmark]
    public int StreamOneSecond()
    {
        int written = _resampler.Process(_oneSecond, _output);
        return written + _resampler.Flush(_output.AsSpan(written));
    }

    [Benchmark]
    public short[] To8kOneSecond() => PcmResampler.To8k(_oneSecond, InputRate);
}
