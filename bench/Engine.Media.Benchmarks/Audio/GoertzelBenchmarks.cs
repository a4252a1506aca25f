using BenchmarkDotNet.Attributes;
using Dialtone.Engine.Dtmf.InBand;

namespace Dialtone.Benchmarks.Audio;

/// <summary>In-band DTMF detection of one 20 ms frame: on speech-like audio (no candidate blocks) and on a key press (every block a candidate, so the off-frequency probes run too).</summary>
[MemoryDiagnoser]
public class GoertzelBenchmarks
{
    private readonly char[] _digits = new char[DtmfToneDetector.MaxDigitsFor(160)];
    private short[] _audio = [];
    private DtmfToneDetector _detector = null!;
    private int _offset;

    [Params("voice", "dtmf")]
    public string Signal { get; set; } = "";

    [GlobalSetup]
    public void Setup()
    {
        _audio = new short[8000];
        var random = new Random(5);
        for (int i = 0; i < _audio.Length; i++)
        {
            double t = i / 8000.0;
            _audio[i] = Signal == "dtmf"
                ? (short)((Math.Sin(2 * Math.PI * 770 * t) * 7000) + (Math.Sin(2 * Math.PI * 1336 * t) * 8000))
                : (short)((Math.Sin(2 * Math.PI * 180 * t) * 6000) + (Math.Sin(2 * Math.PI * 540 * t) * 4000) + random.Next(-800, 800));
        }

        _detector = new DtmfToneDetector();
    }

    [Benchmark]
    public int ProcessFrame()
    {
        int found = _detector.Process(_audio.AsSpan(_offset, 160), _digits);
        _offset = (_offset + 160) % (_audio.Length - 160);
        return found;
    }
}
