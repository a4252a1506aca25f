using BenchmarkDotNet.Attributes;
using Dialtone.Engine.Rtp.Packets;

namespace Dialtone.Benchmarks.Rtp;

/// <summary>The compound a stream sends every few seconds: SR with one report block, SDES CNAME.</summary>
[MemoryDiagnoser]
public class RtcpBenchmarks
{
    private readonly byte[] _buffer = new byte[512];
    private readonly RtcpReportBlock[] _blocks = [new(0x55667788, 25, 3, 0x00010005, 16, 0xB7052000, 0x00054000)];
    private byte[] _compound = [];

    [GlobalSetup]
    public void Setup() => _compound = Write().ToArray();

    [Benchmark]
    public int WriteCompound() => Write().Length;

    [Benchmark]
    public long ReadCompound()
    {
        RtcpCompoundReader.TryCreate(_compound, out RtcpCompoundReader reader);
        long sum = 0;
        while (reader.TryReadNext(out RtcpPacket packet))
        {
            sum += packet.ReportBlockCount > 0 ? packet.GetReportBlock(0).InterarrivalJitter : packet.Ssrc;
        }

        return sum;
    }

    private ReadOnlySpan<byte> Write()
    {
        var writer = new RtcpCompoundWriter(_buffer);
        writer.TryWriteSenderReport(0x11223344, new RtcpSenderInfo(0xE89A5B3C_80000000, 123456, 100, 16000), _blocks);
        writer.TryWriteSourceDescription(0x11223344, "abcdefghijklmnop"u8);
        return writer.WrittenSpan;
    }
}
