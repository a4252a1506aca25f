using System.Net;
using System.Net.Sockets;
using Dialtone.Engine.Sip.Tests.Transactions;
using Dialtone.Engine.Sip.Transport;

namespace Dialtone.Engine.Sip.Tests.Transport;

public sealed class SipTransportLayerTests
{
    private static SipTransportOptions Loopback(bool tcp = true) => new() { ListenEndPoint = new IPEndPoint(IPAddress.Loopback, 0), EnableTcp = tcp };

    [Fact]
    public void Udp_and_tcp_listen_on_the_same_port()
    {
        using var layer = new SipTransportLayer(Loopback(), TimeProvider.System);
        var receiver = new RecordingReceiver();
        layer.Start(receiver);
        Assert.True(layer.SupportsTcp);

        using var tcp = new TcpClient();
        tcp.Connect(layer.LocalEndPoint);
        tcp.GetStream().Write(TransportTestMessages.Options(1));
        var received = receiver.Take();
        Assert.Equal(SipTransportProtocol.Tcp, received.Protocol);

        using var udp = new UdpPeer();
        udp.SendTo(TransportTestMessages.Options(2), layer.LocalEndPoint);
        Assert.Equal(SipTransportProtocol.Udp, receiver.Take().Protocol);
    }

    [Fact]
    public void Sends_by_destination_protocol_and_the_tap_sees_both_ways()
    {
        var clock = TimeProvider.System;
        using var layer = new SipTransportLayer(Loopback(), clock);
        var tap = new MessageRecorder(clock);
        layer.Tap = tap;
        var receiver = new RecordingReceiver();
        layer.Start(receiver);
        using var udp = new UdpPeer();
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();

        Assert.True(layer.Send(TransportTestMessages.Options(3), new SipDestination(SipTransportProtocol.Udp, udp.Address)));
        Assert.NotNull(udp.Receive());
        Assert.True(layer.Send(TransportTestMessages.Options(4), new SipDestination(SipTransportProtocol.Tcp, ((IPEndPoint)listener.LocalEndpoint).Serialize())));
        using var accepted = listener.AcceptTcpClient();
        var buffer = new byte[4096];
        Assert.True(accepted.GetStream().Read(buffer) > 0);
        // A response back on the same connection reaches the receiver.
        accepted.GetStream().Write(TransportTestMessages.Options(5));
        var back = receiver.Take();
        Assert.Equal(SipTransportProtocol.Tcp, back.Protocol);
        Assert.NotNull(back.Connection);

        tap.WaitForCount(m => m.Outgoing, 2, "two sends");
        tap.WaitForCount(m => !m.Outgoing, 1, "one receive");
    }

    [Fact]
    public void Without_tcp_a_tcp_destination_is_refused()
    {
        using var layer = new SipTransportLayer(Loopback(tcp: false), TimeProvider.System);
        layer.Start(new RecordingReceiver());
        Assert.False(layer.SupportsTcp);
        Assert.False(layer.Send(TransportTestMessages.Options(6), new SipDestination(SipTransportProtocol.Tcp, new IPEndPoint(IPAddress.Loopback, 9).Serialize())));
    }

    [Fact]
    public void Starting_twice_is_an_error()
    {
        using var layer = new SipTransportLayer(Loopback(tcp: false), TimeProvider.System);
        layer.Start(new RecordingReceiver());
        Assert.Throws<InvalidOperationException>(() => layer.Start(new RecordingReceiver()));
    }
}
