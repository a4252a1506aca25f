using System.Buffers;
using Dialtone.Engine.Sip.Sdp;
using static Dialtone.Engine.Sip.Tests.Sdp.SdpTestData;

namespace Dialtone.Engine.Sip.Tests.Sdp;

public class SdpAllocationTests
{
    private const int Iterations = 1_000;

    [Fact]
    public void Reading_and_typed_access_allocate_nothing()
    {
        byte[] body = BodyOf(BenchMessage("invite.sip"));
        long checksum = ReadAndAccess(body);

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < Iterations; i++)
        {
            checksum += ReadAndAccess(body);
        }

        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal(0, allocated);
        Assert.True(checksum > 0);
    }

    [Fact]
    public void Writing_an_offer_allocates_nothing()
    {
        var output = new ArrayBufferWriter<byte>(1024);
        SdpCodec[] codecs = [SdpCodec.Pcmu, SdpCodec.Pcma, SdpCodec.TelephoneEvent()];
        WriteOffer(output, codecs);
        int size = output.WrittenCount;

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < Iterations; i++)
        {
            output.ResetWrittenCount();
            WriteOffer(output, codecs);
        }

        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal(0, allocated);
        Assert.Equal(size, output.WrittenCount);
    }

    [Fact]
    public void Answering_an_offer_allocates_nothing()
    {
        byte[] offer = SdpFile("carrier-offer.sdp");
        var output = new ArrayBufferWriter<byte>(1024);
        SdpCodec[] supported = [SdpCodec.Pcmu, SdpCodec.Pcma, SdpCodec.TelephoneEvent()];
        Assert.True(Answer(offer, supported, output));

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < Iterations; i++)
        {
            output.ResetWrittenCount();
            Answer(offer, supported, output);
        }

        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal(0, allocated);
    }

    private static long ReadAndAccess(byte[] body)
    {
        Span<SdpLine> index = stackalloc SdpLine[SdpLimits.DefaultMaxLines];
        if (!SdpReader.Read(body, index, out SdpSession session).Success)
        {
            return 0;
        }

        long sum = session.LineCount;
        session.TryGetOrigin(out SdpOrigin origin);
        origin.TryGetSessionVersion(out ulong version);
        sum += (long)(version & 0xFF);
        session.TryGetConnection(out SdpConnection connection);
        sum += connection.Address.Length;
        SdpMedia audio = session.GetMedia(0);
        sum += audio.Port;
        audio.TryGetEffectiveConnection(out SdpConnection effective);
        sum += effective.Address.Length;
        foreach (int payloadType in audio.PayloadTypes)
        {
            if (audio.TryGetRtpMap(payloadType, out SdpRtpMap map))
            {
                sum += map.ClockRate + map.EncodingName.Length;
            }
        }

        audio.TryGetFmtp(101, out ReadOnlySpan<byte> fmtp);
        audio.TryGetPtime(out int ptime);
        sum += fmtp.Length + ptime + (int)audio.Direction;
        foreach (SdpLineView line in session.Lines)
        {
            sum += line.Value.Length;
        }

        return sum;
    }

    private static void WriteOffer(ArrayBufferWriter<byte> output, SdpCodec[] codecs)
    {
        var local = new SdpLocalMedia(SdpAddressType.IP4, "192.0.2.10"u8, 40000, 3848276298, 2) { Ptime = 20 };
        SdpOfferAnswer.WriteOffer(local, codecs, output);
    }

    private static bool Answer(byte[] offerBody, SdpCodec[] supported, ArrayBufferWriter<byte> output)
    {
        Span<SdpLine> index = stackalloc SdpLine[SdpLimits.DefaultMaxLines];
        SdpReader.Read(offerBody, index, out SdpSession offer);
        var local = new SdpLocalMedia(SdpAddressType.IP4, "192.0.2.10"u8, 40000, 3848276298, 2) { Ptime = 20 };
        return SdpOfferAnswer.Answer(offer, supported, local, output).IsAccepted;
    }
}
