using System.Net;
using System.Net.Sockets;
using Dialtone.Engine.Sip.Transport;
using Microsoft.Extensions.Time.Testing;

namespace Dialtone.Engine.Sip.Tests.Transport;

public sealed class TcpSipTransportTests
{
    private static SipTransportOptions Loopback() => new() { ListenEndPoint = new IPEndPoint(IPAddress.Loopback, 0) };

    [Fact]
    public void Frames_messages_split_across_reads_and_coalesced_in_one_read()
    {
        var receiver = new RecordingReceiver();
        using var transport = new TcpSipTransport(Loopback(), receiver, new SipTransportCounters(), TimeProvider.System);
        transport.Start();
        using var peer = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        peer.Connect(transport.LocalEndPoint);

        byte[] first = TransportTestMessages.Options(1, "hello");
        byte[] second = TransportTestMessages.Options(2);
        byte[] third = TransportTestMessages.Options(3, "world!");
        // The first message dribbles in byte by byte; the next two arrive in one write.
        foreach (byte b in first)
            peer.Send(new[] { b });
        peer.Send(second.Concat(third).ToArray());

        Assert.Equal(first, receiver.Take().Bytes);
        Assert.Equal(second, receiver.Take().Bytes);
        var last = receiver.Take();
        Assert.Equal(third, last.Bytes);
        Assert.Equal(SipTransportProtocol.Tcp, last.Protocol);
        Assert.NotNull(last.Connection);
    }

    [Fact]
    public void Answers_a_crlf_ping_with_a_pong()
    {
        var receiver = new RecordingReceiver();
        var counters = new SipTransportCounters();
        using var transport = new TcpSipTransport(Loopback(), receiver, counters, TimeProvider.System);
        transport.Start();
        using var peer = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        peer.Connect(transport.LocalEndPoint);
        peer.ReceiveTimeout = 5000;

        peer.Send("\r\n\r\n"u8.ToArray());
        var pong = new byte[8];
        int n = peer.Receive(pong);

        Assert.Equal("\r\n"u8.ToArray(), pong[..n]);
    }

    [Fact]
    public void Responses_go_back_on_the_connection_the_request_came_on()
    {
        var receiver = new RecordingReceiver();
        using var transport = new TcpSipTransport(Loopback(), receiver, new SipTransportCounters(), TimeProvider.System);
        transport.Start();
        using var peer = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        peer.Connect(transport.LocalEndPoint);
        peer.ReceiveTimeout = 5000;
        peer.Send(TransportTestMessages.Options(1));
        var request = receiver.Take();

        byte[] reply = TransportTestMessages.Options(99);
        Assert.True(transport.Send(reply, request.Connection!));
        // And a new request to the same address reuses the peer's connection (no new connect).
        byte[] later = TransportTestMessages.Options(100);
        Assert.True(transport.Send(later, peer.LocalEndPoint!.Serialize()));

        var buffer = new byte[4096];
        int total = 0;
        while (total < reply.Length + later.Length)
            total += peer.Receive(buffer.AsSpan(total));
        Assert.Equal(reply.Concat(later).ToArray(), buffer[..total]);
    }

    [Fact]
    public void Opens_a_connection_on_first_send_and_reuses_it()
    {
        var serverReceiver = new RecordingReceiver();
        using var server = new TcpSipTransport(Loopback(), serverReceiver, new SipTransportCounters(), TimeProvider.System);
        server.Start();
        var clientCounters = new SipTransportCounters();
        using var client = new TcpSipTransport(Loopback(), new RecordingReceiver(), clientCounters, TimeProvider.System);
        client.Start();

        SocketAddress target = server.LocalEndPoint.Serialize();
        Assert.True(client.Send(TransportTestMessages.Options(1), target));
        Assert.Equal(TransportTestMessages.Options(1), serverReceiver.Take().Bytes);
        Assert.True(client.Send(TransportTestMessages.Options(2), target));
        Assert.Equal(TransportTestMessages.Options(2), serverReceiver.Take().Bytes);

        Assert.Equal(1, clientCounters.ConnectionsOpened);
    }

    [Fact]
    public void Reports_a_send_to_a_closed_port_as_failed()
    {
        var receiver = new RecordingReceiver();
        using var transport = new TcpSipTransport(Loopback(), receiver, new SipTransportCounters(), TimeProvider.System);
        transport.Start();
        // A port that was just free: nothing listens there.
        var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        var closed = (IPEndPoint)probe.LocalEndpoint;
        probe.Stop();

        transport.Send(TransportTestMessages.Options(1), closed.Serialize());

        Assert.True(receiver.SendFailures.TryTake(out IPEndPoint? failed, TimeSpan.FromSeconds(10)));
        Assert.Equal(closed, failed);
    }

    [Fact]
    public void Closes_the_connection_on_a_message_without_content_length()
    {
        var receiver = new RecordingReceiver();
        var counters = new SipTransportCounters();
        using var transport = new TcpSipTransport(Loopback(), receiver, counters, TimeProvider.System);
        transport.Start();
        using var peer = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        peer.Connect(transport.LocalEndPoint);
        peer.ReceiveTimeout = 5000;

        peer.Send("OPTIONS sip:x@127.0.0.1 SIP/2.0\r\nVia: SIP/2.0/TCP 127.0.0.1;branch=z9hG4bK1\r\nCSeq: 1 OPTIONS\r\n\r\n"u8.ToArray());

        var buffer = new byte[16];
        Assert.Equal(0, peer.Receive(buffer)); // orderly close from the transport
        Assert.Equal(1, counters.FramingErrors);
        Assert.Empty(receiver.Messages);
    }

    [Fact]
    public void Closes_idle_connections_after_the_idle_timeout()
    {
        var clock = new FakeTimeProvider();
        var options = Loopback();
        options.TcpIdleTimeout = TimeSpan.FromSeconds(60);
        var counters = new SipTransportCounters();
        using var transport = new TcpSipTransport(options, new RecordingReceiver(), counters, clock);
        transport.Start();
        using var peer = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        peer.Connect(transport.LocalEndPoint);
        peer.ReceiveTimeout = 5000;
        // Accepted counts once the connection is in the table with its activity stamped; the
        // connection count moves earlier (a slot is reserved before the connection exists).
        Assert.True(SpinWait.SpinUntil(() => counters.ConnectionsAccepted == 1, TimeSpan.FromSeconds(5)));

        clock.Advance(TimeSpan.FromSeconds(30));
        Assert.Equal(1, transport.ConnectionCount);
        clock.Advance(TimeSpan.FromSeconds(45));

        Assert.Equal(0, peer.Receive(new byte[16]));
        Assert.True(SpinWait.SpinUntil(() => transport.ConnectionCount == 0, TimeSpan.FromSeconds(5)));
        Assert.Equal(1, counters.ConnectionsClosed);
    }

    [Fact]
    public void Refuses_connections_over_the_limit()
    {
        var options = Loopback();
        options.MaxTcpConnections = 1;
        var counters = new SipTransportCounters();
        using var transport = new TcpSipTransport(options, new RecordingReceiver(), counters, TimeProvider.System);
        transport.Start();
        using var first = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        first.Connect(transport.LocalEndPoint);
        Assert.True(SpinWait.SpinUntil(() => transport.ConnectionCount == 1, TimeSpan.FromSeconds(5)));
        using var second = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        second.Connect(transport.LocalEndPoint);
        second.ReceiveTimeout = 5000;

        Assert.Equal(0, second.Receive(new byte[16]));
        Assert.Equal(1, counters.ConnectionsRefused);
    }
}
