using BenchmarkDotNet.Attributes;
using Dialtone.Engine.Dtmf;
using Dialtone.Engine.Dtmf.Rfc4733;
using Dialtone.Engine.Rtp.Streams;

namespace Dialtone.Benchmarks.Dtmf;

/// <summary>One RFC 4733 update packet's payload, as the stream asks the sender for it at a slot.</summary>
[MemoryDiagnoser]
public class DtmfPacketBenchmarks
{
    private readonly byte[] _payload = new byte[16];
    private readonly byte[] _received = new byte[4];
    private DtmfSender _sender = null!;
    private DtmfReceiver _receiver = null!;
    private uint _slot;
    private ushort _duration;

    [GlobalSetup]
    public void Setup()
    {
        // A 60 s tone so every call is an update of one long event (segments included).
        _sender = new DtmfSender(new DtmfOptions { ToneDuration = TimeSpan.FromSeconds(60), Gap = TimeSpan.Zero });
        for (int i = 0; i < 1000; i++)
        {
            _ = _sender.SendAsync("5");
        }

        _receiver = new DtmfReceiver(TimeProvider.System);
    }

    [GlobalCleanup]
    public void Cleanup() => _receiver.Dispose();

    [Benchmark]
    public int WriteDtmfPacket()
    {
        _sender.TryWritePacket(_slot, 160, _payload, out TelephoneEventPacket packet);
        _slot += 160;
        return packet.PayloadLength;
    }

    /// <summary>An update of an event already reported: parse, de-duplicate, re-arm the lost-end timer.</summary>
    [Benchmark]
    public long ReceiveDtmfUpdate()
    {
        _duration = (ushort)(_duration + 160);
        new TelephoneEvent(5, false, 10, _duration).Write(_received);
        _receiver.OnTelephoneEvent(_received, 0x1234, 8000, marker: false);
        return _receiver.IgnoredPackets;
    }
}
