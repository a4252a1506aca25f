using System.Net.Sockets;
using Dialtone.Engine.Sip.Sdp;
using static Dialtone.Engine.Sip.Tests.Sdp.SdpTestData;

namespace Dialtone.Engine.Sip.Tests.Sdp;

public class SdpReaderTests
{
    [Fact]
    public void Reads_every_field_of_the_RFC_4566_example()
    {
        byte[] body = SdpFile("rfc4566-example.sdp");
        Span<SdpLine> index = stackalloc SdpLine[SdpLimits.DefaultMaxLines];

        SdpReadResult result = SdpReader.Read(body, index, out SdpSession session);

        Assert.True(result.Success, result.ToString());
        Assert.Equal(12, session.LineCount);
        Assert.Equal(2, session.MediaCount);

        Assert.True(session.TryGetOrigin(out SdpOrigin origin));
        Assert.Equal("jdoe", Text(origin.Username));
        Assert.True(origin.TryGetSessionId(out ulong id));
        Assert.Equal(2890844526UL, id);
        Assert.True(origin.TryGetSessionVersion(out ulong version));
        Assert.Equal(2890842807UL, version);
        Assert.Equal("IN", Text(origin.NetType));
        Assert.Equal(SdpAddressType.IP4, origin.AddressType);
        Assert.Equal("10.47.16.5", Text(origin.Address));

        Assert.True(session.TryGetSessionName(out ReadOnlySpan<byte> name));
        Assert.Equal("SDP Seminar", Text(name));

        Assert.True(session.TryGetConnection(out SdpConnection connection));
        Assert.Equal(SdpAddressType.IP4, connection.AddressType);
        Assert.Equal("224.2.17.12", Text(connection.Address));
        Assert.Equal(127, connection.Ttl);
        Assert.Equal(1, connection.AddressCount);

        Assert.True(session.TryGetTiming(out ulong start, out ulong stop));
        Assert.Equal(2873397496UL, start);
        Assert.Equal(2873404696UL, stop);
        Assert.Equal(SdpDirection.RecvOnly, session.Direction);

        SdpMedia audio = session.GetMedia(0);
        Assert.Equal("audio", Text(audio.MediaType));
        Assert.Equal(49170, audio.Port);
        Assert.Equal("RTP/AVP", Text(audio.Protocol));
        Assert.Equal([0], PayloadTypes(audio));
        Assert.True(audio.TryGetRtpMap(0, out SdpRtpMap pcmu));
        Assert.True(pcmu.IsStatic);
        Assert.Equal("PCMU", Text(pcmu.EncodingName));
        Assert.Equal(8000, pcmu.ClockRate);
        Assert.Equal(SdpDirection.RecvOnly, audio.Direction);
        Assert.False(audio.HasOwnDirection);
        Assert.False(audio.TryGetConnection(out _));
        Assert.True(audio.TryGetEffectiveConnection(out SdpConnection inherited));
        Assert.Equal("224.2.17.12", Text(inherited.Address));

        SdpMedia video = session.GetMedia(1);
        Assert.Equal("video", Text(video.MediaType));
        Assert.Equal(51372, video.Port);
        Assert.Equal([99], PayloadTypes(video));
        Assert.True(video.TryGetRtpMap(99, out SdpRtpMap h263));
        Assert.False(h263.IsStatic);
        Assert.Equal("h263-1998", Text(h263.EncodingName));
        Assert.True(h263.Matches("H263-1998"u8, 90000));
    }

    [Fact]
    public void Keeps_every_line_including_the_ones_it_does_not_interpret()
    {
        byte[] body = SdpFile("rfc4566-example.sdp");
        Span<SdpLine> index = stackalloc SdpLine[32];
        Assert.True(SdpReader.Read(body, index, out SdpSession session).Success);

        var seen = new List<string>();
        foreach (SdpLineView line in session.Lines)
        {
            seen.Add($"{line.TypeChar}={Text(line.Value)}");
        }

        string[] expected = Text(body).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(expected, seen);
        Assert.Equal("i=A Seminar on the session description protocol", seen[3]);
        Assert.Equal("e=j.doe@example.com (Jane Doe)", seen[5]);
    }

    [Fact]
    public void Reads_the_SDP_of_the_benchmark_INVITE()
    {
        byte[] body = BodyOf(BenchMessage("invite.sip"));
        Span<SdpLine> index = stackalloc SdpLine[SdpLimits.DefaultMaxLines];

        Assert.True(SdpReader.Read(body, index, out SdpSession session).Success);

        Assert.True(session.TryGetConnection(out SdpConnection connection));
        Assert.Equal("192.0.2.101", Text(connection.Address));
        Assert.Equal(1, session.MediaCount);
        SdpMedia audio = session.GetMedia(0);
        Assert.True(audio.IsAudio);
        Assert.True(audio.IsRtpAvp);
        Assert.Equal(49172, audio.Port);
        Assert.Equal([0, 8, 101], PayloadTypes(audio));
        Assert.True(audio.TryGetRtpMap(101, out SdpRtpMap events));
        Assert.True(events.Matches("telephone-event"u8, 8000));
        Assert.True(audio.TryGetFmtp(101, out ReadOnlySpan<byte> fmtp));
        Assert.Equal("0-16", Text(fmtp));
        Assert.True(audio.TryGetPtime(out int ptime));
        Assert.Equal(20, ptime);
        Assert.True(audio.HasOwnDirection);
        Assert.Equal(SdpDirection.SendRecv, audio.Direction);
    }

    [Fact]
    public void Reads_a_carrier_offer_with_rtcp_ptime_maxptime_and_telephone_events()
    {
        byte[] body = SdpFile("carrier-offer.sdp");
        Span<SdpLine> index = stackalloc SdpLine[SdpLimits.DefaultMaxLines];
        Assert.True(SdpReader.Read(body, index, out SdpSession session).Success);

        SdpMedia audio = session.GetMedia(0);
        Assert.Equal([8, 0, 18, 101], PayloadTypes(audio));
        Assert.True(audio.TryGetRtpMap(18, out SdpRtpMap g729));
        Assert.Equal("G729", Text(g729.EncodingName));
        Assert.True(audio.TryGetFmtp(18, out ReadOnlySpan<byte> annexb));
        Assert.Equal("annexb=no", Text(annexb));
        Assert.True(audio.TryGetFmtp(101, out ReadOnlySpan<byte> events));
        Assert.Equal("0-15", Text(events));
        Assert.True(audio.TryFindPayloadType("telephone-event"u8, 8000, out int eventType));
        Assert.Equal(101, eventType);
        Assert.True(audio.TryGetPtime(out int ptime));
        Assert.Equal(20, ptime);
        Assert.True(audio.TryGetMaxPtime(out int maxptime));
        Assert.Equal(40, maxptime);
        Assert.True(audio.TryGetRtcp(out SdpRtcp rtcp));
        Assert.Equal(16385, rtcp.Port);
        Assert.True(rtcp.HasAddress);
        Assert.Equal(SdpAddressType.IP4, rtcp.AddressType);
        Assert.Equal("203.0.113.10", Text(rtcp.Address));
        Assert.False(audio.TryGetFmtp(0, out _));
    }

    [Fact]
    public void A_media_level_direction_overrides_the_session_default()
    {
        byte[] body = SdpFile("session-level-direction.sdp");
        Span<SdpLine> index = stackalloc SdpLine[SdpLimits.DefaultMaxLines];
        Assert.True(SdpReader.Read(body, index, out SdpSession session).Success);

        Assert.Equal(SdpDirection.SendOnly, session.Direction);
        Assert.Equal(SdpDirection.SendOnly, session.GetMedia(0).Direction);
        Assert.False(session.GetMedia(0).HasOwnDirection);
        Assert.Equal(SdpDirection.RecvOnly, session.GetMedia(1).Direction);
        Assert.Equal(SdpDirection.SendOnly, session.GetMedia(2).Direction);

        Assert.True(session.TryGetAttribute("tool"u8, out ReadOnlySpan<byte> tool));
        Assert.Equal("example 1.0", Text(tool));
        Assert.True(session.TryGetConnection(out SdpConnection connection));
        Assert.Equal(SdpAddressType.IP6, connection.AddressType);
        Assert.Equal("2001:db8::20", Text(connection.Address));

        SdpMedia opus = session.GetMedia(0);
        Assert.True(opus.TryGetRtpMap(96, out SdpRtpMap map));
        Assert.Equal("opus", Text(map.EncodingName));
        Assert.Equal(48000, map.ClockRate);
        Assert.Equal(2, map.Channels);
        Assert.True(opus.TryGetFmtp(96, out ReadOnlySpan<byte> fmtp));
        Assert.Equal("useinbandfec=1", Text(fmtp));

        SdpMedia srtp = session.GetMedia(2);
        Assert.False(srtp.IsRtpAvp);
        Assert.Equal("RTP/SAVP", Text(srtp.Protocol));
        Assert.True(srtp.HasAttribute("rtcp-mux"u8));
        Assert.True(srtp.TryGetAttribute("crypto"u8, out ReadOnlySpan<byte> crypto));
        Assert.StartsWith("1 AES_CM_128_HMAC_SHA1_80 ", Text(crypto));
        Assert.False(srtp.HasAttribute("tool"u8));
    }

    [Fact]
    public void Enumerates_media_and_attributes_in_order()
    {
        byte[] body = SdpFile("session-level-direction.sdp");
        Span<SdpLine> index = stackalloc SdpLine[SdpLimits.DefaultMaxLines];
        Assert.True(SdpReader.Read(body, index, out SdpSession session).Success);

        var media = new List<string>();
        foreach (SdpMedia m in session.Media)
        {
            media.Add($"{m.Index}:{Text(m.MediaType)}:{m.Port}:{Text(m.FormatList)}");
        }

        Assert.Equal(["0:audio:6000:96 97", "1:audio:6002:8", "2:video:6004:31"], media);

        var attributes = new List<string>();
        foreach (SdpAttribute attribute in session.GetMedia(0).Attributes)
        {
            attributes.Add(attribute.HasValue ? $"{Text(attribute.Name)}={Text(attribute.Value)}" : Text(attribute.Name));
        }

        Assert.Equal(["rtpmap=96 opus/48000/2", "fmtp=96 useinbandfec=1", "rtpmap=97 telephone-event/48000"], attributes);

        var sessionAttributes = new List<string>();
        foreach (SdpAttribute attribute in session.Attributes)
        {
            sessionAttributes.Add(Text(attribute.Name));
        }

        Assert.Equal(["sendonly", "tool"], sessionAttributes);
    }

    [Theory]
    [InlineData(0, "PCMU", 8000)]
    [InlineData(3, "GSM", 8000)]
    [InlineData(8, "PCMA", 8000)]
    [InlineData(9, "G722", 8000)]
    [InlineData(18, "G729", 8000)]
    [InlineData(13, "CN", 8000)]
    public void Static_payload_types_resolve_without_an_rtpmap(int payloadType, string encoding, int clockRate)
    {
        byte[] body = Crlf($"v=0\no=- 1 1 IN IP4 192.0.2.1\ns=-\nc=IN IP4 192.0.2.1\nt=0 0\nm=audio 5004 RTP/AVP {payloadType} 96\n");
        Span<SdpLine> index = stackalloc SdpLine[16];
        Assert.True(SdpReader.Read(body, index, out SdpSession session).Success);

        SdpMedia audio = session.GetMedia(0);
        Assert.True(audio.TryGetRtpMap(payloadType, out SdpRtpMap map));
        Assert.True(map.IsStatic);
        Assert.Equal(encoding, Text(map.EncodingName));
        Assert.Equal(clockRate, map.ClockRate);
        Assert.False(audio.TryGetRtpMap(96, out _));
    }

    [Fact]
    public void A_malformed_rtpmap_of_a_static_type_falls_back_to_the_static_table()
    {
        // RFC 4475 wsinv and friends carry "a=rtpmap:31 LPC", which has no clock rate.
        byte[] body = BodyOf(SipVector("rfc4475/wsinv.sip"));
        Span<SdpLine> index = stackalloc SdpLine[32];
        Assert.True(SdpReader.Read(body, index, out SdpSession session).Success);

        Assert.Equal(2, session.MediaCount);
        Assert.Equal([0, 12], PayloadTypes(session.GetMedia(0)));
        Assert.True(session.GetMedia(1).TryGetRtpMap(31, out SdpRtpMap map));
        Assert.True(map.IsStatic);
        Assert.Equal("H261", Text(map.EncodingName));
    }

    [Theory]
    [InlineData("rfc4475/esc01.sip")]
    [InlineData("rfc4475/longreq.sip")]
    [InlineData("rfc4475/unreason.sip")]
    [InlineData("rfc4475/mismatch02.sip")]
    [InlineData("rfc4475/bcast.sip")]
    public void Reads_the_SDP_bodies_of_RFC_4475_messages(string vector)
    {
        byte[] body = BodyOf(SipVector(vector));
        Span<SdpLine> index = stackalloc SdpLine[32];

        SdpReadResult result = SdpReader.Read(body, index, out SdpSession session);

        Assert.True(result.Success, result.ToString());
        Assert.Equal(2, session.MediaCount);
        Assert.Equal(49217, session.GetMedia(0).Port);
        Assert.Equal(3227, session.GetMedia(1).Port);
    }

    [Fact]
    public void Reads_IPv6_addresses_without_brackets_as_in_RFC_5118()
    {
        Span<SdpLine> index = stackalloc SdpLine[32];

        byte[] ipv6 = BodyOf(SipVector("rfc5118/ipv6-in-sdp.sip"));
        Assert.True(SdpReader.Read(ipv6, index, out SdpSession first).Success);
        Assert.True(first.TryGetOrigin(out SdpOrigin origin));
        Assert.Equal(SdpAddressType.IP6, origin.AddressType);
        Assert.True(origin.TryGetSessionId(out ulong id));
        Assert.Equal(971731711378798081UL, id);
        Assert.True(first.TryGetConnection(out SdpConnection connection));
        Assert.Equal("2001:db8::20", Text(connection.Address));
        Assert.True(connection.TryParseAddress(out System.Net.IPAddress? address));
        Assert.Equal(AddressFamily.InterNetworkV6, address!.AddressFamily);

        byte[] mixed = BodyOf(SipVector("rfc5118/mult-ip-in-sdp.sip"));
        Assert.True(SdpReader.Read(mixed, index, out SdpSession second).Success);
        Assert.False(second.TryGetConnection(out _));
        Assert.True(second.TryGetSessionName(out ReadOnlySpan<byte> emptyName));
        Assert.True(emptyName.IsEmpty);
        Assert.True(second.GetMedia(0).TryGetEffectiveConnection(out SdpConnection v4));
        Assert.Equal(SdpAddressType.IP4, v4.AddressType);
        Assert.Equal("192.0.2.1", Text(v4.Address));
        Assert.True(second.GetMedia(1).TryGetEffectiveConnection(out SdpConnection v6));
        Assert.Equal(SdpAddressType.IP6, v6.AddressType);
        Assert.Equal("2001:db8::1", Text(v6.Address));

        byte[] mapped = BodyOf(SipVector("rfc5118/ipv4-mapped-ipv6.sip"));
        Assert.True(SdpReader.Read(mapped, index, out SdpSession third).Success);
        Assert.True(third.TryGetConnection(out SdpConnection mappedConnection));
        Assert.Equal("::ffff:192.0.2.2", Text(mappedConnection.Address));
        Assert.True(mappedConnection.TryParseAddress(out System.Net.IPAddress? mappedAddress));
        Assert.True(mappedAddress!.IsIPv4MappedToIPv6);
    }

    [Fact]
    public void Accepts_bare_LF_line_ends_as_RFC_4566_lets_receivers()
    {
        byte[] crlf = SdpFile("carrier-offer.sdp");
        byte[] lf = System.Text.Encoding.UTF8.GetBytes(Text(crlf).Replace("\r\n", "\n"));
        byte[] mixed = System.Text.Encoding.UTF8.GetBytes(Text(crlf).Replace("a=ptime:20\r\n", "a=ptime:20\n"));
        Span<SdpLine> index = stackalloc SdpLine[32];

        foreach (byte[] body in new[] { lf, mixed })
        {
            Assert.True(SdpReader.Read(body, index, out SdpSession session).Success);
            SdpMedia audio = session.GetMedia(0);
            Assert.Equal([8, 0, 18, 101], PayloadTypes(audio));
            Assert.True(audio.TryGetPtime(out int ptime));
            Assert.Equal(20, ptime);
            Assert.True(audio.TryGetRtcp(out SdpRtcp rtcp));
            Assert.Equal("203.0.113.10", Text(rtcp.Address));
        }
    }

    [Fact]
    public void Reads_a_last_line_without_a_line_end_and_skips_empty_lines()
    {
        byte[] body = "v=0\r\n\r\no=- 1 2 IN IP4 192.0.2.1\r\ns=-\r\n\r\nm=audio 0 RTP/AVP 0"u8.ToArray();
        Span<SdpLine> index = stackalloc SdpLine[8];

        Assert.True(SdpReader.Read(body, index, out SdpSession session).Success);

        Assert.Equal(4, session.LineCount);
        Assert.Equal(6, session.GetLine(3).LineNumber);
        SdpMedia audio = session.GetMedia(0);
        Assert.True(audio.IsRejected);
        Assert.Equal("0", Text(audio.FormatList));
    }

    [Fact]
    public void Reads_multicast_ttl_and_address_counts()
    {
        byte[] body = Crlf("v=0\nc=IN IP4 224.2.1.1/127/3\nm=audio 5004/2 RTP/AVP 0\nc=IN IP6 FF15::101/3\n");
        Span<SdpLine> index = stackalloc SdpLine[8];
        Assert.True(SdpReader.Read(body, index, out SdpSession session).Success);

        Assert.True(session.TryGetConnection(out SdpConnection v4));
        Assert.Equal("224.2.1.1", Text(v4.Address));
        Assert.Equal(127, v4.Ttl);
        Assert.Equal(3, v4.AddressCount);
        SdpMedia audio = session.GetMedia(0);
        Assert.Equal(2, audio.PortCount);
        Assert.True(audio.TryGetConnection(out SdpConnection v6));
        Assert.Equal("FF15::101", Text(v6.Address));
        Assert.Equal(-1, v6.Ttl);
        Assert.Equal(3, v6.AddressCount);
    }

    [Fact]
    public void Recognises_the_RFC_2543_hold_address()
    {
        byte[] body = SdpFile("hold-null-address.sdp");
        Span<SdpLine> index = stackalloc SdpLine[16];
        Assert.True(SdpReader.Read(body, index, out SdpSession session).Success);

        Assert.True(session.GetMedia(0).TryGetEffectiveConnection(out SdpConnection connection));
        Assert.True(connection.IsUnspecified);
        Assert.Equal(SdpDirection.SendRecv, session.GetMedia(0).Direction);
    }

    [Fact]
    public void Malformed_attribute_values_read_as_absent_instead_of_failing()
    {
        byte[] body = Crlf(
            "v=0\nm=audio 5004 RTP/AVP 96 97 x 300\na=rtpmap:96\na=rtpmap:97 AMR/0\na=ptime:soon\na=maxptime:20.5\na=rtcp:99999\na=fmtp:\nt=later\n");
        Span<SdpLine> index = stackalloc SdpLine[16];
        Assert.True(SdpReader.Read(body, index, out SdpSession session).Success);

        SdpMedia audio = session.GetMedia(0);
        Assert.Equal([96, 97], PayloadTypes(audio));
        Assert.False(audio.TryGetRtpMap(96, out _));
        Assert.False(audio.TryGetRtpMap(97, out _));
        Assert.False(audio.TryGetPtime(out _));
        Assert.True(audio.TryGetMaxPtime(out int maxptime));
        Assert.Equal(20, maxptime);
        Assert.False(audio.TryGetRtcp(out _));
        Assert.False(audio.TryGetFmtp(96, out _));
        Assert.False(session.TryGetOrigin(out _));
        Assert.False(session.TryGetTiming(out _, out _));
        Assert.Equal(SdpDirection.SendRecv, audio.Direction);
    }

    [Fact]
    public void Attribute_names_match_without_ASCII_case()
    {
        byte[] body = Crlf("v=0\nm=audio 5004 RTP/AVP 96 8\na=RTPMAP:96 Speex/16000\na=PTime:30\na=SendOnly\na=Rtcp-Mux\na=rtpmap:8x PCMA/8000\n");
        Span<SdpLine> index = stackalloc SdpLine[16];
        Assert.True(SdpReader.Read(body, index, out SdpSession session).Success);

        SdpMedia audio = session.GetMedia(0);
        Assert.True(audio.TryGetRtpMap(96, out SdpRtpMap speex));
        Assert.Equal("Speex", Text(speex.EncodingName));
        Assert.True(audio.TryGetPtime(out int ptime));
        Assert.Equal(30, ptime);
        Assert.Equal(SdpDirection.SendOnly, audio.Direction);
        Assert.True(audio.HasAttribute("rtcp-mux"u8));
        Assert.False(audio.HasAttribute("rtcp"u8));

        // "rtpmap:8x" is not about payload type 8, so 8 resolves from the static table.
        Assert.True(audio.TryGetRtpMap(8, out SdpRtpMap pcma));
        Assert.True(pcma.IsStatic);
    }

    [Fact]
    public void GetMedia_outside_the_range_is_a_caller_error()
    {
        byte[] body = SdpFile("rfc4566-example.sdp");
        SdpLine[] index = new SdpLine[32];
        Assert.True(SdpReader.Read(body, index, out _).Success);

        Assert.Throws<ArgumentOutOfRangeException>(() =>
        {
            SdpReader.Read(body, index, out SdpSession session);
            session.GetMedia(2);
        });
    }

    private static int[] PayloadTypes(SdpMedia media)
    {
        var types = new List<int>();
        foreach (int payloadType in media.PayloadTypes)
        {
            types.Add(payloadType);
        }

        return [.. types];
    }
}
