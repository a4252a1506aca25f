using BenchmarkDotNet.Attributes;
using Dialtone.Engine.Rtp.Receiving;

namespace Dialtone.Benchmarks.Rtp;

/// <summary>One 20 ms frame into the playout buffer and one out, as each received packet costs.</summary>
[MemoryDiagnoser]
public class JitterBufferBenchmarks
{
    private readonly JitterBuffer _buffer = new(new JitterBufferOptions(), 160);
    private readonly byte[] _payload = new byte[160];
    private readonly byte[] _frame = new byte[160];
    private uint _timestamp;

    [Benchmark]
    public int WriteAndReadFrame()
    {
        _buffer.Write(1, _timestamp, _payload);
        _timestamp += 160;
        return _buffer.Read(_frame, 0xFF);
    }
}
