using System.Text;
using CsCheck;
using Dialtone.Engine.Rtp.Packets;
using Dialtone.Engine.Rtp.Tests.TestSupport;

namespace Dialtone.Engine.Rtp.Tests.Packets;

public sealed class RtcpPacketTests
{
    private const string VectorFile = "rtcp/packets.txt";

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
    public void Validates_each_vector_with_its_expected_result(string name, string expected)
    {
        byte[] datagram = Vectors.Named(VectorFile, name);

        RtcpReadResult result = RtcpCompoundReader.TryCreate(datagram, out _);

        Assert.Equal(Enum.Parse<RtcpReadResult>(expected), result);
    }

    [Fact]
    public void Reads_a_sender_report_with_a_block_and_the_cname()
    {
        byte[] datagram = Vectors.Named(VectorFile, "sr-one-block-sdes-cname");
        Assert.Equal(RtcpReadResult.Success, RtcpCompoundReader.TryCreate(datagram, out RtcpCompoundReader reader));

        Assert.True(reader.TryReadNext(out RtcpPacket sr));
        Assert.Equal((byte)RtcpPacketType.SenderReport, sr.Type);
        Assert.Equal(0x11223344u, sr.Ssrc);
        Assert.True(sr.TryGetSenderInfo(out RtcpSenderInfo info));
        Assert.Equal(new RtcpSenderInfo(0xE89A5B3C_80000000, 123456, 100, 16000), info);
        Assert.Equal(1, sr.ReportBlockCount);
        Assert.Equal(new RtcpReportBlock(0x55667788, 25, 3, 0x00010005, 16, 0xB7052000, 0x00054000), sr.GetReportBlock(0));

        Assert.True(reader.TryReadNext(out RtcpPacket sdes));
        Assert.Equal((byte)RtcpPacketType.SourceDescription, sdes.Type);
        Assert.True(sdes.TryGetCname(out uint ssrc, out ReadOnlySpan<byte> cname));
        Assert.Equal(0x11223344u, ssrc);
        Assert.Equal("alice", Encoding.ASCII.GetString(cname));

        Assert.False(reader.TryReadNext(out _));
    }

    [Fact]
    public void Reads_a_goodbye_after_an_empty_receiver_report()
    {
        byte[] datagram = Vectors.Named(VectorFile, "rr-empty-bye-reason");
        Assert.Equal(RtcpReadResult.Success, RtcpCompoundReader.TryCreate(datagram, out RtcpCompoundReader reader));

        Assert.True(reader.TryReadNext(out RtcpPacket rr));
        Assert.Equal(0, rr.ReportBlockCount);
        Assert.True(reader.TryReadNext(out RtcpPacket bye));
        Assert.Equal((byte)RtcpPacketType.Goodbye, bye.Type);
        Assert.Equal(1, bye.Count);
        Assert.Equal(0x55667788u, bye.GetGoodbyeSource(0));
    }

    [Fact]
    public void Sign_extends_a_negative_cumulative_loss()
    {
        byte[] datagram = Vectors.Named(VectorFile, "rr-negative-cumulative-loss");
        RtcpCompoundReader.TryCreate(datagram, out RtcpCompoundReader reader);
        reader.TryReadNext(out RtcpPacket rr);

        RtcpReportBlock block = rr.GetReportBlock(0);

        Assert.Equal(255, block.FractionLost);
        Assert.Equal(-1, block.CumulativeLost);
        Assert.Equal(9u, block.ExtendedHighestSequence);
    }

    [Fact]
    public void Writes_a_compound_that_matches_the_vector_byte_for_byte()
    {
        var buffer = new byte[128];
        var writer = new RtcpCompoundWriter(buffer);
        RtcpReportBlock[] blocks = [new(0x55667788, 25, 3, 0x00010005, 16, 0xB7052000, 0x00054000)];

        Assert.True(writer.TryWriteSenderReport(0x11223344, new RtcpSenderInfo(0xE89A5B3C_80000000, 123456, 100, 16000), blocks));
        Assert.True(writer.TryWriteSourceDescription(0x11223344, "alice"u8));

        Assert.Equal(Vectors.Named(VectorFile, "sr-one-block-sdes-cname"), writer.WrittenSpan.ToArray());
    }

    [Fact]
    public void Writes_a_goodbye_with_its_reason_padded_to_a_word()
    {
        var buffer = new byte[64];
        var writer = new RtcpCompoundWriter(buffer);

        Assert.True(writer.TryWriteReceiverReport(0x55667788, []));
        Assert.True(writer.TryWriteGoodbye(0x55667788, "hangup"u8));

        Assert.Equal(Vectors.Named(VectorFile, "rr-empty-bye-reason"), writer.WrittenSpan.ToArray());
    }

    [Fact]
    public void A_cname_of_any_length_keeps_the_chunk_word_aligned_and_null_terminated()
    {
        for (int length = 0; length <= 20; length++)
        {
            byte[] cname = Enumerable.Repeat((byte)'x', length).ToArray();
            var buffer = new byte[128];
            var writer = new RtcpCompoundWriter(buffer);
            writer.TryWriteReceiverReport(1, []);
            writer.TryWriteSourceDescription(1, cname);

            Assert.Equal(0, writer.BytesWritten % 4);
            Assert.Equal(RtcpReadResult.Success, RtcpCompoundReader.TryCreate(writer.WrittenSpan, out RtcpCompoundReader reader));
            reader.TryReadNext(out _);
            reader.TryReadNext(out RtcpPacket sdes);
            Assert.True(sdes.TryGetCname(out _, out ReadOnlySpan<byte> read));
            Assert.Equal(length, read.Length);
            Assert.Equal(0, buffer[writer.BytesWritten - 1]);
        }
    }

    [Fact]
    public void A_full_buffer_refuses_the_next_packet_and_keeps_what_was_written()
    {
        var buffer = new byte[12];
        var writer = new RtcpCompoundWriter(buffer);

        Assert.True(writer.TryWriteReceiverReport(7, []));
        Assert.False(writer.TryWriteSourceDescription(7, "abc"u8));
        Assert.Equal(8, writer.BytesWritten);
    }

    [Fact]
    public void Arbitrary_bytes_give_a_result_and_accepted_ones_can_be_walked()
    {
        Gen.Byte.Array[0, 120].Sample(bytes =>
        {
            RtcpReadResult result = RtcpCompoundReader.TryCreate(bytes, out RtcpCompoundReader reader);
            Assert.True(Enum.IsDefined(result));
            if (result == RtcpReadResult.Success)
            {
                while (reader.TryReadNext(out RtcpPacket packet))
                {
                    for (int i = 0; i < packet.ReportBlockCount; i++)
                    {
                        packet.GetReportBlock(i);
                    }

                    packet.TryGetSenderInfo(out _);
                    packet.TryGetCname(out _, out _);
                }
            }
        });
    }

    [Fact]
    public void Converts_wallclock_time_to_ntp_and_compact_form()
    {
        var time = new DateTimeOffset(2024, 1, 1, 0, 0, 0, 500, TimeSpan.Zero);

        ulong ntp = NtpTimestamp.FromDateTimeOffset(time);

        // 2024-01-01 is 3,913,056,000 s after 1900-01-01; half a second is 0x80000000 of the fraction.
        Assert.Equal(3_913_056_000UL, ntp >> 32);
        Assert.Equal(0x80000000UL, ntp & 0xFFFFFFFF);
        Assert.Equal(unchecked((uint)((3_913_056_000UL << 16) | 0x8000)), NtpTimestamp.ToCompact(ntp));
        Assert.Equal(0x00054000u, NtpTimestamp.ToCompactDuration(TimeSpan.FromSeconds(5.25)));
        Assert.Equal(TimeSpan.FromSeconds(5.25), NtpTimestamp.FromCompactDuration(0x00054000));
    }
}
