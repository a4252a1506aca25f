using System.Net;
using System.Net.Sockets;
using Dialtone.Engine.Sip.Transport;

namespace Dialtone.Engine.Sip.Tests.Transport;

public sealed class UdpSipTransportTests
{
    private static SipTransportOptions Loopback() => new() { ListenEndPoint = new IPEndPoint(IPAddress.Loopback, 0) };

    [Fact]
    public void Delivers_each_datagram_as_one_message_with_its_source()
    {
        var receiver = new RecordingReceiver();
        using var transport = new UdpSipTransport(Loopback(), receiver, new SipTransportCounters());
        transport.Start();
        using var peer = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        peer.Bind(new IPEndPoint(IPAddress.Loopback, 0));

        byte[] message = TransportTestMessages.Options(1);
        peer.SendTo(message, transport.LocalEndPoint);

        var received = receiver.Take();
        Assert.Equal(message, received.Bytes);
        Assert.Equal(peer.LocalEndPoint, received.From);
        Assert.Equal(SipTransportProtocol.Udp, received.Protocol);
    }

    [Fact]
    public void Sends_to_a_socket_address()
    {
        var receiver = new RecordingReceiver();
        using var transport = new UdpSipTransport(Loopback(), receiver, new SipTransportCounters());
        using var peer = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        peer.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        peer.ReceiveTimeout = 5000;

        byte[] message = TransportTestMessages.Options(2);
        Assert.True(transport.Send(message, peer.LocalEndPoint!.Serialize()));

        var buffer = new byte[2048];
        int n = peer.Receive(buffer);
        Assert.Equal(message, buffer[..n]);
    }

    [Fact]
    public void Swallows_crlf_keepalives_and_stun_and_counts_them()
    {
        var receiver = new RecordingReceiver();
        var counters = new SipTransportCounters();
        using var transport = new UdpSipTransport(Loopback(), receiver, counters);
        transport.Start();
        using var peer = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);

        peer.SendTo("\r\n\r\n"u8.ToArray(), transport.LocalEndPoint);
        peer.SendTo(new byte[] { 0x00, 0x01, 0x00, 0x00, 0x21, 0x12, 0xA4, 0x42 }, transport.LocalEndPoint);
        peer.SendTo(TransportTestMessages.Options(3), transport.LocalEndPoint);

        var received = receiver.Take();
        Assert.Equal(TransportTestMessages.Options(3), received.Bytes);
        Assert.Equal(2, counters.KeepAlives);
        Assert.Equal(1, counters.Received);
    }

    [Fact]
    public void Drops_datagrams_over_the_size_limit()
    {
        var receiver = new RecordingReceiver();
        var options = Loopback();
        options.MaxMessageSize = 1024;
        using var transport = new UdpSipTransport(options, receiver, new SipTransportCounters());
        transport.Start();
        using var peer = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);

        peer.SendTo(TransportTestMessages.Options(4, new string('x', 2000)), transport.LocalEndPoint);
        peer.SendTo(TransportTestMessages.Options(5), transport.LocalEndPoint);

        var received = receiver.Take();
        Assert.Equal(TransportTestMessages.Options(5), received.Bytes);
        Assert.Empty(receiver.Messages);
    }

    [Fact]
    public void Receiving_and_sending_allocate_nothing_once_warm()
    {
        var sink = new CountingReceiver();
        using var transport = new UdpSipTransport(Loopback(), sink, new SipTransportCounters());
        transport.Start();
        using var peer = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        peer.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        byte[] message = TransportTestMessages.Options(6);
        SocketAddress target = peer.LocalEndPoint!.Serialize();
        peer.ReceiveTimeout = 10_000;
        var buffer = new byte[2048];
        SocketAddress from = new(AddressFamily.InterNetwork);

        // Warm up both directions.
        for (int i = 0; i < 200; i++)
        {
            transport.Send(message, target);
            peer.ReceiveFrom(buffer, SocketFlags.None, from);
            peer.SendTo(message, SocketFlags.None, transport.LocalEndPoint.Serialize());
        }
        SpinWait.SpinUntil(() => sink.Count == 200, TimeSpan.FromSeconds(10));

        SocketAddress transportAddress = transport.LocalEndPoint.Serialize();
        long fewestSent = long.MaxValue, fewestReceived = long.MaxValue;
        // Batches small enough never to overflow a socket buffer (a lost datagram would hang a receive).
        // The runtime (its sockets, the JIT finishing a method in the background) allocates a few
        // bytes now and then when the machine is loaded; the path itself allocates in every batch or
        // never, so the quietest batch is the figure.
        for (int batch = 0; batch < 20; batch++)
        {
            sink.ResetAllocationWindow();
            long before = GC.GetAllocatedBytesForCurrentThread();
            for (int i = 0; i < 50; i++)
                transport.Send(message, target);
            fewestSent = Math.Min(fewestSent, GC.GetAllocatedBytesForCurrentThread() - before);
            for (int i = 0; i < 50; i++)
                peer.ReceiveFrom(buffer, SocketFlags.None, from);

            for (int i = 0; i < 50; i++)
                peer.SendTo(message, SocketFlags.None, transportAddress);
            int expected = 200 + (batch + 1) * 50;
            Assert.True(SpinWait.SpinUntil(() => sink.Count == expected, TimeSpan.FromSeconds(10)));
            fewestReceived = Math.Min(fewestReceived, sink.AllocatedOnReceiveThread);
        }

        Assert.Equal(0, fewestSent);
        Assert.Equal(0, fewestReceived);
    }

    /// <summary>Counts messages and measures what the receive thread allocates between calls.</summary>
    private sealed class CountingReceiver : ISipTransportReceiver
    {
        private int _count;
        private long _lastAllocated = -1;
        private long _allocated;

        public int Count => Volatile.Read(ref _count);

        public long AllocatedOnReceiveThread => Interlocked.Read(ref _allocated);

        public void ResetAllocationWindow()
        {
            Interlocked.Exchange(ref _allocated, 0);
            Interlocked.Exchange(ref _lastAllocated, -1);
        }

        public void OnMessageReceived(ReadOnlyMemory<byte> message, in SipRemote remote)
        {
            long now = GC.GetAllocatedBytesForCurrentThread();
            long last = Interlocked.Exchange(ref _lastAllocated, now);
            if (last >= 0)
                Interlocked.Add(ref _allocated, now - last);
            Interlocked.Increment(ref _count);
        }

        public void OnSendFailed(in SipRemote remote)
        {
        }
    }
}
