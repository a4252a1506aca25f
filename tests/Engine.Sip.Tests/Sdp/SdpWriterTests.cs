using System.Buffers;
using Dialtone.Engine.Sip.Sdp;
using static Dialtone.Engine.Sip.Tests.Sdp.SdpTestData;

namespace Dialtone.Engine.Sip.Tests.Sdp;

public class SdpWriterTests
{
    [Fact]
    public void Writes_an_audio_offer_byte_for_byte()
    {
        var output = new ArrayBufferWriter<byte>();
        var writer = new SdpWriter(output);
        SdpCodec[] codecs = [SdpCodec.Pcmu, SdpCodec.Pcma, SdpCodec.TelephoneEvent(101)];

        writer.WriteSessionHeader("dialtone"u8, 3848276298, 1, SdpAddressType.IP4, "192.0.2.10"u8);
        writer.WriteAudioMedia(40000, codecs, 20, SdpDirection.SendRecv);

        Assert.Equal(
            "v=0\r\n"
            + "o=dialtone 3848276298 1 IN IP4 192.0.2.10\r\n"
            + "s=-\r\n"
            + "c=IN IP4 192.0.2.10\r\n"
            + "t=0 0\r\n"
            + "m=audio 40000 RTP/AVP 0 8 101\r\n"
            + "a=rtpmap:0 PCMU/8000\r\n"
            + "a=rtpmap:8 PCMA/8000\r\n"
            + "a=rtpmap:101 telephone-event/8000\r\n"
            + "a=fmtp:101 0-16\r\n"
            + "a=ptime:20\r\n"
            + "a=sendrecv\r\n",
            Text(output.WrittenSpan));
        Assert.Equal(output.WrittenCount, writer.BytesWritten);
    }

    [Fact]
    public void Writes_each_line_kind()
    {
        var output = new ArrayBufferWriter<byte>();
        var writer = new SdpWriter(output);

        writer.WriteVersion();
        writer.WriteOrigin(default, ulong.MaxValue, 0, SdpAddressType.IP6, "2001:db8::1"u8);
        writer.WriteSessionName("Call me soon, please!"u8);
        writer.WriteConnection(SdpAddressType.IP6, "2001:db8::1"u8);
        writer.WriteTiming(3338481189, 3370017201);
        writer.WriteMediaLine("video"u8, 0, "RTP/AVP"u8, "31 32"u8);
        writer.WriteMediaLine("audio"u8, 6000, "RTP/AVP"u8, [new SdpCodec(96, "opus"u8.ToArray(), 48000, 2)]);
        writer.WriteRtpMap(new SdpCodec(96, "opus"u8.ToArray(), 48000, 2));
        writer.WriteRtpMap(9, "G722"u8, 8000);
        writer.WriteFmtp(96, "useinbandfec=1"u8);
        writer.WriteMaxPtime(60);
        writer.WriteRtcp(6001);
        writer.WriteDirection(SdpDirection.Inactive);
        writer.WriteAttribute("rtcp-mux"u8);
        writer.WriteAttribute("tool"u8, "example 1.0"u8);
        writer.WriteLine((byte)'b', "AS:64"u8);

        Assert.Equal(
            "v=0\r\n"
            + "o=- 18446744073709551615 0 IN IP6 2001:db8::1\r\n"
            + "s=Call me soon, please!\r\n"
            + "c=IN IP6 2001:db8::1\r\n"
            + "t=3338481189 3370017201\r\n"
            + "m=video 0 RTP/AVP 31 32\r\n"
            + "m=audio 6000 RTP/AVP 96\r\n"
            + "a=rtpmap:96 opus/48000/2\r\n"
            + "a=rtpmap:9 G722/8000\r\n"
            + "a=fmtp:96 useinbandfec=1\r\n"
            + "a=maxptime:60\r\n"
            + "a=rtcp:6001\r\n"
            + "a=inactive\r\n"
            + "a=rtcp-mux\r\n"
            + "a=tool:example 1.0\r\n"
            + "b=AS:64\r\n",
            Text(output.WrittenSpan));
    }

    [Fact]
    public void Copying_every_line_reproduces_a_canonical_description()
    {
        byte[] body = SdpFile("session-level-direction.sdp");
        Span<SdpLine> index = stackalloc SdpLine[SdpLimits.DefaultMaxLines];
        Assert.True(SdpReader.Read(body, index, out SdpSession session).Success);
        var output = new ArrayBufferWriter<byte>();
        var writer = new SdpWriter(output);

        foreach (SdpLineView line in session.Lines)
        {
            writer.CopyLine(line);
        }

        Assert.Equal(body, output.WrittenSpan.ToArray());
    }

    [Fact]
    public void Refuses_values_that_would_break_the_line_structure()
    {
        var output = new ArrayBufferWriter<byte>();

        Assert.Throws<ArgumentException>(() => new SdpWriter(output).WriteSessionName("x\r\na=injected"u8));
        Assert.Throws<ArgumentException>(() => new SdpWriter(output).WriteConnection(SdpAddressType.IP4, "192.0.2.1 x"u8));
        Assert.Throws<ArgumentException>(() => new SdpWriter(output).WriteConnection(SdpAddressType.IP4, default));
        Assert.Throws<ArgumentException>(() => new SdpWriter(output).WriteOrigin("a b"u8, 1, 1, SdpAddressType.IP4, "h"u8));
        Assert.Throws<ArgumentException>(() => new SdpWriter(output).WriteAttribute("tool"u8, "a\0b"u8));
        Assert.Throws<ArgumentException>(() => new SdpWriter(output).WriteLine((byte)'=', "x"u8));
        Assert.Throws<ArgumentException>(() => new SdpWriter(output).WriteMediaLine("audio"u8, 5004, "RTP/AVP"u8, ReadOnlySpan<SdpCodec>.Empty));
        Assert.Throws<ArgumentOutOfRangeException>(() => new SdpWriter(output).WriteMediaLine("audio"u8, 70000, "RTP/AVP"u8, "0"u8));
        Assert.Throws<ArgumentOutOfRangeException>(() => new SdpWriter(output).WriteFmtp(128, "x"u8));
        Assert.Throws<ArgumentOutOfRangeException>(() => new SdpWriter(output).WriteConnection(SdpAddressType.Other, "x"u8));
        Assert.Throws<ArgumentOutOfRangeException>(() => new SdpCodec(200, "X"u8.ToArray(), 8000));
        Assert.Throws<ArgumentNullException>(() => new SdpWriter(null!));
        Assert.Equal(0, output.WrittenCount);
    }
}
