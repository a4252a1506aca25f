using System.Buffers;
using System.IO.Pipelines;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Dialtone.Engine.Sip.Message;

namespace Dialtone.Engine.Sip.Tests.Message;

public class SipStreamFramerTests
{
    private static readonly byte[] s_options = TestFiles.Bench("options.sip");
    private static readonly byte[] s_invite = TestFiles.Bench("invite.sip");

    private sealed class Segment : ReadOnlySequenceSegment<byte>
    {
        public Segment(ReadOnlyMemory<byte> memory, Segment? previous)
        {
            Memory = memory;
            if (previous is not null)
            {
                RunningIndex = previous.RunningIndex + previous.Memory.Length;
                previous.Next = this;
            }
        }
    }

    /// <summary>A sequence that splits <paramref name="bytes"/> into segments of <paramref name="size"/> bytes.</summary>
    private static ReadOnlySequence<byte> Chunked(byte[] bytes, int size)
    {
        Segment? first = null, last = null;
        for (int i = 0; i < bytes.Length; i += size)
        {
            last = new Segment(bytes.AsMemory(i, Math.Min(size, bytes.Length - i)), last);
            first ??= last;
        }
        return first is null ? ReadOnlySequence<byte>.Empty : new ReadOnlySequence<byte>(first, 0, last!, last!.Memory.Length);
    }

    [Fact]
    public void Frames_one_complete_message()
    {
        using var framer = new SipStreamFramer();
        var frame = framer.Read(new ReadOnlySequence<byte>(s_invite));
        Assert.Equal(SipFrameStatus.Message, frame.Status);
        Assert.Equal(s_invite.Length, frame.Length);
    }

    [Fact]
    public void Frames_back_to_back_messages_and_keepalives()
    {
        byte[] stream = [.. "\r\n\r\n"u8, .. s_options, .. "\r\n"u8, .. s_invite, .. s_options];
        using var framer = new SipStreamFramer();
        var seen = new List<(SipFrameStatus, int)>();
        var buffer = new ReadOnlySequence<byte>(stream);
        while (!buffer.IsEmpty)
        {
            var frame = framer.Read(buffer);
            Assert.NotEqual(SipFrameStatus.Error, frame.Status);
            Assert.NotEqual(SipFrameStatus.NeedMoreData, frame.Status);
            seen.Add((frame.Status, frame.Length));
            buffer = buffer.Slice(frame.Length);
        }
        Assert.Equal([(SipFrameStatus.Ping, 4), (SipFrameStatus.Message, s_options.Length), (SipFrameStatus.Pong, 2),
            (SipFrameStatus.Message, s_invite.Length), (SipFrameStatus.Message, s_options.Length)], seen);
    }

    [Theory]
    [InlineData("\r", SipFrameStatus.NeedMoreData, 0)]
    [InlineData("\r\n", SipFrameStatus.Pong, 2)]
    [InlineData("\r\n\r", SipFrameStatus.NeedMoreData, 0)]
    [InlineData("\r\n\r\n", SipFrameStatus.Ping, 4)]
    [InlineData("\r\n\r\n\r\n", SipFrameStatus.Ping, 4)]
    [InlineData("\r\nO", SipFrameStatus.Pong, 2)]
    [InlineData("\n", SipFrameStatus.Error, 0)]
    [InlineData("\rX", SipFrameStatus.Error, 0)]
    [InlineData("\r\n\rX", SipFrameStatus.Error, 0)]
    [InlineData("", SipFrameStatus.NeedMoreData, 0)]
    public void Reports_keepalives(string text, SipFrameStatus status, int length)
    {
        using var framer = new SipStreamFramer();
        var frame = framer.Read(new ReadOnlySequence<byte>(Encoding.ASCII.GetBytes(text)));
        Assert.Equal(status, frame.Status);
        Assert.Equal(length, frame.Length);
    }

    [Fact]
    public void Needs_more_data_for_every_prefix_then_frames_the_message()
    {
        using var framer = new SipStreamFramer();
        for (int n = 1; n < s_invite.Length; n++)
        {
            var frame = framer.Read(new ReadOnlySequence<byte>(s_invite, 0, n));
            Assert.Equal(SipFrameStatus.NeedMoreData, frame.Status);
        }
        Assert.Equal(s_invite.Length, framer.Read(new ReadOnlySequence<byte>(s_invite)).Length);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(7)]
    [InlineData(64)]
    public void Frames_messages_split_across_segments(int segmentSize)
    {
        byte[] stream = [.. s_invite, .. s_options];
        using var framer = new SipStreamFramer();
        var buffer = Chunked(stream, segmentSize);
        var frame = framer.Read(buffer);
        Assert.Equal(SipFrameStatus.Message, frame.Status);
        Assert.Equal(s_invite.Length, frame.Length);
        var message = new SipMessage();
        Assert.True(message.Parse(buffer.Slice(0, frame.Length).ToArray(), SipFraming.Stream).IsSuccess);
        Assert.Equal(255, message.Body.Length);
        frame = framer.Read(buffer.Slice(frame.Length));
        Assert.Equal(s_options.Length, frame.Length);
    }

    [Fact]
    public void Finds_a_folded_compact_content_length()
    {
        byte[] bytes = TestFiles.Crlf("MESSAGE sip:a@b SIP/2.0", "l:", "  5", "", "hello");
        using var framer = new SipStreamFramer();
        Assert.Equal(bytes.Length, framer.Read(new ReadOnlySequence<byte>(bytes)).Length);
    }

    [Theory]
    [InlineData(new[] { "OPTIONS sip:a@b SIP/2.0", "Call-ID: x", "", "" }, SipParseError.MissingContentLength)]
    [InlineData(new[] { "OPTIONS sip:a@b SIP/2.0", "Content-Length: -3", "", "" }, SipParseError.InvalidContentLength)]
    [InlineData(new[] { "OPTIONS sip:a@b SIP/2.0", "Content-Length: 1", "l: 2", "", "" }, SipParseError.ConflictingContentLength)]
    [InlineData(new[] { "OPTIONS sip:a@b SIP/2.0", "Content-Length: 9999999", "", "" }, SipParseError.MessageTooLarge)]
    public void Rejects_streams_it_cannot_frame(string[] lines, SipParseError error)
    {
        using var framer = new SipStreamFramer();
        var frame = framer.Read(new ReadOnlySequence<byte>(TestFiles.Crlf(lines)));
        Assert.Equal(SipFrameStatus.Error, frame.Status);
        Assert.Equal(error, frame.Error);
        Assert.Contains("Error", frame.ToString());
    }

    [Fact]
    public void Headers_without_an_end_beyond_the_maximum_are_too_large()
    {
        byte[] endless = Encoding.ASCII.GetBytes("OPTIONS sip:a@b SIP/2.0\r\n" + new string('X', 2000));
        using var framer = new SipStreamFramer(maxMessageSize: 1024);
        var frame = framer.Read(new ReadOnlySequence<byte>(endless));
        Assert.Equal(SipFrameStatus.Error, frame.Status);
        Assert.Equal(SipParseError.MessageTooLarge, frame.Error);
        Assert.Equal(SipFrameStatus.NeedMoreData, framer.Read(new ReadOnlySequence<byte>(endless, 0, 1000)).Status);
    }

    [Fact]
    public void Slow_arrival_is_scanned_incrementally()
    {
        // 60 KiB of headers arriving 16 bytes at a time: each call only searches the new bytes.
        var sb = new StringBuilder("OPTIONS sip:a@b SIP/2.0\r\n");
        while (sb.Length < 60_000)
            sb.Append("X-Filler: 0123456789abcdef\r\n");
        sb.Append("Content-Length: 0\r\n\r\n");
        byte[] bytes = Encoding.ASCII.GetBytes(sb.ToString());
        using var framer = new SipStreamFramer();
        var sw = System.Diagnostics.Stopwatch.StartNew();
        for (int n = 16; n < bytes.Length; n += 16)
            Assert.Equal(SipFrameStatus.NeedMoreData, framer.Read(new ReadOnlySequence<byte>(bytes, 0, n)).Status);
        Assert.Equal(bytes.Length, framer.Read(new ReadOnlySequence<byte>(bytes)).Length);
        Assert.True(sw.Elapsed < TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task Frames_messages_arriving_over_a_real_tcp_connection()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        int port = ((IPEndPoint)listener.LocalEndpoint).Port;
        byte[] stream = [.. s_invite, .. "\r\n\r\n"u8, .. s_options, .. s_invite];

        var sender = Task.Run(async () =>
        {
            using var client = new TcpClient();
            await client.ConnectAsync(IPAddress.Loopback, port);
            using var ns = client.GetStream();
            // Dribble the bytes in odd-sized writes so messages straddle reads.
            for (int i = 0; i < stream.Length; i += 37)
            {
                await ns.WriteAsync(stream.AsMemory(i, Math.Min(37, stream.Length - i)));
                await ns.FlushAsync();
                if (i % 370 == 0)
                    await Task.Delay(1);
            }
        });

        using var server = await listener.AcceptTcpClientAsync();
        var reader = PipeReader.Create(server.GetStream());
        using var framer = new SipStreamFramer();
        var message = new SipMessage();
        var seen = new List<string>();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        while (seen.Count < 4)
        {
            ReadResult read = await reader.ReadAsync(timeout.Token);
            ReadOnlySequence<byte> buffer = read.Buffer;
            while (true)
            {
                SipFrame frame = framer.Read(buffer);
                if (frame.Status == SipFrameStatus.NeedMoreData)
                    break;
                Assert.NotEqual(SipFrameStatus.Error, frame.Status);
                if (frame.Status == SipFrameStatus.Message)
                {
                    Assert.True(message.Parse(buffer.Slice(0, frame.Length).ToArray(), SipFraming.Stream).IsSuccess);
                    seen.Add(Encoding.ASCII.GetString(message.MethodName));
                }
                else
                {
                    seen.Add(frame.Status.ToString());
                }
                buffer = buffer.Slice(frame.Length);
            }
            reader.AdvanceTo(buffer.Start, buffer.End);
            Assert.False(read.IsCompleted && seen.Count < 4, "stream ended early");
        }
        await sender;
        await reader.CompleteAsync();
        Assert.Equal(["INVITE", "Ping", "OPTIONS", "INVITE"], seen);
    }
}
