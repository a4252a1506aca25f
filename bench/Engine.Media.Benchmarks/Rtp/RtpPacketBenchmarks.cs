using BenchmarkDotNet.Attributes;
using Dialtone.Engine.Rtp.Packets;

namespace Dialtone.Benchmarks.Rtp;

/// <summary>One 20 ms G.711 packet (12-byte header, 160-byte payload) written and read.</summary>
[MemoryDiagnoser]
public class RtpPacketBenchmarks
{
    private readonly byte[] _buffer = new byte[512];
    private readonly byte[] _payload = new byte[160];
    private byte[] _packet = [];
    private ushort _sequence;

    [GlobalSetup]
    public void Setup()
    {
        RtpPacketWriter.TryWrite(_buffer, new RtpHeader(false, 0, 1, 160, 0x1234), _payload, out int written);
        _packet = _buffer[..written];
    }

    [Benchmark]
    public int WriteRtp()
    {
        RtpPacketWriter.TryWrite(_buffer, new RtpHeader(false, 0, _sequence++, 1600, 0x1234), _payload, out int written);
        return written;
    }

    [Benchmark]
    public int ReadRtp()
    {
        RtpPacket.TryRead(_packet, out RtpPacket packet);
        return packet.SequenceNumber + packet.Payload.Length;
    }
}
