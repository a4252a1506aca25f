using System.Buffers;
using System.Text;
using CsCheck;
using Dialtone.Engine.Sip.Sdp;

namespace Dialtone.Engine.Sip.Tests.Sdp;

public class SdpWriterRoundTripTests
{
    private static readonly Gen<string> Token =
        Gen.Char["abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._+"].Array[1, 16].Select(chars => new string(chars));

    private static readonly Gen<string> Ip4 =
        Gen.Byte.Array[4].Select(b => $"{b[0]}.{b[1]}.{b[2]}.{b[3]}");

    private static readonly Gen<string> Ip6 =
        Gen.UShort.Array[8].Select(parts => string.Join(':', parts.Select(p => p.ToString("x"))));

    private static readonly Gen<(int PayloadType, string Name, int ClockRate, int Channels, string Fmtp)> Codec =
        Gen.Select(
            Gen.Int[0, 127],
            Token,
            Gen.OneOfConst(8000, 16000, 48000, 90000),
            Gen.Int[1, 2],
            Gen.OneOf(Gen.Const(""), Token.Select(t => t + "=1"), Gen.Const("0-15")));

    [Fact]
    public void Any_session_the_writer_builds_reads_back_to_the_same_fields()
    {
        Gen.Select(
                Gen.Select(Token, Gen.ULong, Gen.ULong, Gen.Bool),
                Gen.Select(Ip4, Ip6, Gen.Int[0, 65535], Gen.Int[0, 200]),
                Codec.Array[1, 6],
                Gen.Enum<SdpDirection>())
            .Sample(
                (identity, transport, codecs, direction) =>
                {
                    (string user, ulong id, ulong version, bool useIp6) = identity;
                    (string ip4, string ip6, int port, int ptime) = transport;
                    string address = useIp6 ? ip6 : ip4;
                    SdpAddressType addressType = useIp6 ? SdpAddressType.IP6 : SdpAddressType.IP4;

                    // One entry per payload type: a description cannot map a number twice.
                    SdpCodec[] formats = codecs
                        .DistinctBy(c => c.PayloadType)
                        .Select(c => new SdpCodec(c.PayloadType, Encoding.ASCII.GetBytes(c.Name), c.ClockRate, c.Channels, Encoding.ASCII.GetBytes(c.Fmtp)))
                        .ToArray();

                    var output = new ArrayBufferWriter<byte>();
                    var writer = new SdpWriter(output);
                    writer.WriteSessionHeader(Encoding.ASCII.GetBytes(user), id, version, addressType, Encoding.ASCII.GetBytes(address));
                    writer.WriteAudioMedia(port, formats, ptime, direction);

                    Span<SdpLine> index = stackalloc SdpLine[SdpLimits.DefaultMaxLines];
                    SdpReadResult result = SdpReader.Read(output.WrittenSpan, index, out SdpSession session);
                    Assert.True(result.Success, result.ToString());

                    Assert.True(session.TryGetOrigin(out SdpOrigin origin));
                    Assert.Equal(user, SdpTestData.Text(origin.Username));
                    Assert.True(origin.TryGetSessionId(out ulong readId));
                    Assert.Equal(id, readId);
                    Assert.True(origin.TryGetSessionVersion(out ulong readVersion));
                    Assert.Equal(version, readVersion);
                    Assert.Equal(addressType, origin.AddressType);
                    Assert.True(session.TryGetConnection(out SdpConnection connection));
                    Assert.Equal(address, SdpTestData.Text(connection.Address));
                    Assert.True(session.TryGetTiming(out ulong start, out ulong stop));
                    Assert.Equal(0UL, start + stop);

                    Assert.Equal(1, session.MediaCount);
                    SdpMedia audio = session.GetMedia(0);
                    Assert.Equal(port, audio.Port);
                    Assert.True(audio.IsAudio && audio.IsRtpAvp);
                    Assert.Equal(direction, audio.Direction);
                    Assert.Equal(ptime > 0, audio.TryGetPtime(out int readPtime));
                    Assert.Equal(ptime, readPtime);

                    int position = 0;
                    foreach (int payloadType in audio.PayloadTypes)
                    {
                        SdpCodec expected = formats[position++];
                        Assert.Equal(expected.PayloadType, payloadType);
                        Assert.True(audio.TryGetRtpMap(payloadType, out SdpRtpMap map));
                        Assert.False(map.IsStatic);
                        Assert.True(expected.Matches(map));
                        Assert.Equal(expected.Channels, map.Channels);
                        Assert.Equal(!expected.FormatParameters.IsEmpty, audio.TryGetFmtp(payloadType, out ReadOnlySpan<byte> fmtp));
                        Assert.Equal(SdpTestData.Text(expected.FormatParameters.Span), SdpTestData.Text(fmtp));
                    }

                    Assert.Equal(formats.Length, position);
                },
                iter: 2_000);
    }
}
