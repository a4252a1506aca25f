using CsCheck;
using Dialtone.Engine.Rtp.Packets;
using Dialtone.Engine.Rtp.Tests.TestSupport;

namespace Dialtone.Engine.Rtp.Tests.Packets;

public sealed class RtpPacketTests
{
    private const string VectorFile = "rtp/packets.txt";

    public static TheoryData<string, string> VectorNames()
    {
        var data = new TheoryData<string, string>();
        foreach ((string expected, string name, _) in Vectors.ReadHexLines(VectorFile))
        {
            data.Add(name, expected);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(VectorNames))]
    public void Reads_each_vector_with_its_expected_result(string name, string expected)
    {
        byte[] datagram = Vectors.Named(VectorFile, name);

        RtpReadResult result = RtpPacket.TryRead(datagram, out _);

        Assert.Equal(Enum.Parse<RtpReadResult>(expected), result);
    }

    [Fact]
    public void Reads_the_fixed_header_fields()
    {
        byte[] datagram = Vectors.Named(VectorFile, "pcmu-marker");

        Assert.Equal(RtpReadResult.Success, RtpPacket.TryRead(datagram, out RtpPacket packet));
        Assert.True(packet.Marker);
        Assert.Equal(0, packet.PayloadType);
        Assert.Equal(0x1234, packet.SequenceNumber);
        Assert.Equal(0xA0B0u, packet.Timestamp);
        Assert.Equal(0xDEADBEEFu, packet.Ssrc);
        Assert.Equal(0, packet.CsrcCount);
        Assert.False(packet.HasExtension);
        Assert.Equal(new byte[] { 0xFF, 0xFF, 0xFF, 0xFF }, packet.Payload.ToArray());
    }

    [Fact]
    public void Reads_csrcs_extension_and_strips_padding()
    {
        byte[] datagram = Vectors.Named(VectorFile, "csrc-extension-padding");

        Assert.Equal(RtpReadResult.Success, RtpPacket.TryRead(datagram, out RtpPacket packet));
        Assert.False(packet.Marker);
        Assert.Equal(8, packet.PayloadType);
        Assert.Equal(0xFFFF, packet.SequenceNumber);
        Assert.Equal(0xFFFFFFFFu, packet.Timestamp);
        Assert.Equal(0x01020304u, packet.Ssrc);
        Assert.Equal(2, packet.CsrcCount);
        Assert.Equal(0x11111111u, packet.GetCsrc(0));
        Assert.Equal(0x22222222u, packet.GetCsrc(1));
        Assert.True(packet.HasExtension);
        Assert.Equal(0xBEDE, packet.ExtensionProfile);
        Assert.Equal(new byte[] { 0x10, 0xAA, 0x00, 0x00 }, packet.ExtensionData.ToArray());
        Assert.Equal(new byte[] { 0xD5, 0xD5, 0xD5 }, packet.Payload.ToArray());
        Assert.Equal(3, packet.PaddingLength);
    }

    [Fact]
    public void Padding_may_take_the_whole_payload()
    {
        byte[] datagram = Vectors.Named(VectorFile, "padding-is-whole-payload");

        Assert.Equal(RtpReadResult.Success, RtpPacket.TryRead(datagram, out RtpPacket packet));
        Assert.True(packet.Payload.IsEmpty);
        Assert.Equal(3, packet.PaddingLength);
    }

    [Fact]
    public void Csrc_index_outside_the_list_throws()
    {
        byte[] datagram = Vectors.Named(VectorFile, "csrc-extension-padding");
        RtpPacket.TryRead(datagram, out RtpPacket packet);
        bool threw = false;
        try
        {
            packet.GetCsrc(2);
        }
        catch (ArgumentOutOfRangeException)
        {
            threw = true;
        }

        Assert.True(threw);
    }

    [Fact]
    public void Writes_a_header_that_reads_back()
    {
        var header = new RtpHeader(Marker: true, PayloadType: 8, SequenceNumber: 65535, Timestamp: 0x89ABCDEF, Ssrc: 0x10203040);
        byte[] payload = [1, 2, 3, 4, 5];
        var buffer = new byte[64];

        Assert.True(RtpPacketWriter.TryWrite(buffer, header, payload, out int written));

        Assert.Equal(17, written);
        Assert.Equal("8088FFFF89ABCDEF1020304001020304" + "05", Convert.ToHexString(buffer, 0, written));
        Assert.Equal(RtpReadResult.Success, RtpPacket.TryRead(buffer.AsSpan(0, written), out RtpPacket packet));
        Assert.Equal(header, new RtpHeader(packet.Marker, packet.PayloadType, packet.SequenceNumber, packet.Timestamp, packet.Ssrc));
        Assert.Equal(payload, packet.Payload.ToArray());
    }

    [Fact]
    public void Writing_into_a_short_buffer_fails_without_writing()
    {
        var header = new RtpHeader(false, 0, 1, 2, 3);
        var buffer = new byte[12];

        Assert.False(RtpPacketWriter.TryWrite(buffer, header, new byte[1], out int written));
        Assert.Equal(0, written);
        Assert.Equal(0, RtpPacketWriter.WriteHeader(new byte[11], header));
    }

    [Fact]
    public void Writing_a_payload_type_above_127_throws()
    {
        var header = new RtpHeader(false, 128, 1, 2, 3);

        Assert.Throws<ArgumentOutOfRangeException>(() => RtpPacketWriter.WriteHeader(new byte[12], header));
    }

    [Fact]
    public void Any_header_and_payload_round_trip()
    {
        Gen.Select(Gen.Bool, Gen.Byte[0, 127], Gen.UShort, Gen.UInt, Gen.UInt, Gen.Byte.Array[0, 400])
            .Sample((marker, payloadType, sequence, timestamp, ssrc, payload) =>
            {
                var header = new RtpHeader(marker, payloadType, sequence, timestamp, ssrc);
                var buffer = new byte[512];
                Assert.True(RtpPacketWriter.TryWrite(buffer, header, payload, out int written));
                Assert.Equal(RtpReadResult.Success, RtpPacket.TryRead(buffer.AsSpan(0, written), out RtpPacket packet));
                Assert.Equal(header, new RtpHeader(packet.Marker, packet.PayloadType, packet.SequenceNumber, packet.Timestamp, packet.Ssrc));
                Assert.True(packet.Payload.SequenceEqual(payload));
            });
    }

    [Fact]
    public void Arbitrary_bytes_give_a_result_and_never_read_outside_the_datagram()
    {
        Gen.Byte.Array[0, 80].Sample(bytes =>
        {
            RtpReadResult result = RtpPacket.TryRead(bytes, out RtpPacket packet);
            Assert.True(Enum.IsDefined(result));
            if (result == RtpReadResult.Success)
            {
                int accounted = RtpPacket.FixedHeaderLength + (packet.CsrcCount * 4)
                    + (packet.HasExtension ? 4 + packet.ExtensionData.Length : 0)
                    + packet.Payload.Length + packet.PaddingLength;
                Assert.Equal(bytes.Length, accounted);
            }
        });
    }
}
