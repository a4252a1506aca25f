using System.Buffers;
using BenchmarkDotNet.Attributes;
using Dialtone.Engine.Sip.Sdp;

namespace Dialtone.Benchmarks.Sdp;

/// <summary>
/// The SDP body of data/invite.sip: read it, read it and use the fields a call needs, and write an
/// offer and an answer. The body is found here by the empty line, so these figures do not depend on
/// the SIP parser. ScanLineEnds is the floor: finding each line end of the same bytes with IndexOf('\n').
/// </summary>
[MemoryDiagnoser]
public class SdpBenchmarks
{
    private static readonly SdpCodec[] Codecs = [SdpCodec.Pcmu, SdpCodec.Pcma, SdpCodec.TelephoneEvent()];

    private readonly SdpLine[] _index = new SdpLine[SdpLimits.DefaultMaxLines];
    private readonly ArrayBufferWriter<byte> _output = new(1024);
    private byte[] _body = [];

    [GlobalSetup]
    public void LoadBody()
    {
        byte[] invite = File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "data", "invite.sip"));
        int end = invite.AsSpan().IndexOf("\r\n\r\n"u8);
        if (end < 0)
        {
            throw new InvalidDataException("data/invite.sip has no empty line before its body");
        }

        _body = invite.AsSpan(end + 4).ToArray();
        if (!SdpReader.Read(_body, _index, out _).Success)
        {
            throw new InvalidDataException("the SDP body of data/invite.sip does not read");
        }
    }

    [Benchmark(Baseline = true)]
    public int ScanLineEnds()
    {
        ReadOnlySpan<byte> rest = _body;
        int lines = 0;
        int end;
        while ((end = rest.IndexOf((byte)'\n')) >= 0)
        {
            lines++;
            rest = rest[(end + 1)..];
        }

        return lines;
    }

    [Benchmark]
    public int Read()
    {
        SdpReader.Read(_body, _index, out SdpSession session);
        return session.LineCount;
    }

    [Benchmark]
    public int ReadAndTypedAccess()
    {
        SdpReader.Read(_body, _index, out SdpSession session);
        session.TryGetConnection(out SdpConnection connection);
        SdpMedia audio = session.GetMedia(0);
        int sum = connection.Address.Length + audio.Port + (int)audio.Direction;
        foreach (int payloadType in audio.PayloadTypes)
        {
            if (audio.TryGetRtpMap(payloadType, out SdpRtpMap map))
            {
                sum += map.ClockRate;
            }
        }

        audio.TryGetFmtp(101, out ReadOnlySpan<byte> events);
        audio.TryGetPtime(out int ptime);
        return sum + events.Length + ptime;
    }

    [Benchmark]
    public int WriteOffer()
    {
        _output.ResetWrittenCount();
        var local = new SdpLocalMedia(SdpAddressType.IP4, "192.0.2.10"u8, 40000, 3848276298, 1) { Ptime = 20 };
        SdpOfferAnswer.WriteOffer(local, Codecs, _output);
        return _output.WrittenCount;
    }

    [Benchmark]
    public int ReadOfferAndWriteAnswer()
    {
        _output.ResetWrittenCount();
        SdpReader.Read(_body, _index, out SdpSession offer);
        var local = new SdpLocalMedia(SdpAddressType.IP4, "192.0.2.10"u8, 40000, 3848276298, 1) { Ptime = 20 };
        return SdpOfferAnswer.Answer(offer, Codecs, local, _output).Codec.PayloadType + _output.WrittenCount;
    }
}
