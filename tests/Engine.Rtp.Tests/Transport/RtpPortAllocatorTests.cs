using System.Net;
using System.Net.Sockets;
using Dialtone.Engine.Rtp.Transport;

namespace Dialtone.Engine.Rtp.Tests.Transport;

public sealed class RtpPortAllocatorTests
{
    // Each test uses its own small range high in the port space, away from the engine tests' ranges.
    [Fact]
    public void Hands_out_even_rtp_ports_with_rtcp_on_the_next_port()
    {
        var allocator = new RtpPortAllocator(41001, 41010);

        using RtpPortPair first = allocator.Allocate(IPAddress.Loopback);
        using RtpPortPair second = allocator.Allocate(IPAddress.Loopback);

        Assert.Equal(41002, first.RtpPort); // 41001 rounded up to even
        Assert.Equal(41003, first.RtcpPort);
        Assert.Equal(41004, second.RtpPort);
        Assert.Equal(new IPEndPoint(IPAddress.Loopback, 41002), first.RtpSocket.LocalEndPoint);
        Assert.Equal(new IPEndPoint(IPAddress.Loopback, 41003), first.RtcpSocket.LocalEndPoint);
        Assert.Equal(4, allocator.Capacity);
        Assert.Equal(2, allocator.InUse);
    }

    [Fact]
    public void Skips_a_pair_whose_rtp_or_rtcp_port_another_socket_holds()
    {
        using var busyRtp = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        busyRtp.Bind(new IPEndPoint(IPAddress.Loopback, 41020));
        using var busyRtcp = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        busyRtcp.Bind(new IPEndPoint(IPAddress.Loopback, 41023));
        var allocator = new RtpPortAllocator(41020, 41027);

        using RtpPortPair pair = allocator.Allocate(IPAddress.Loopback);

        Assert.Equal(41024, pair.RtpPort);
    }

    [Fact]
    public void Exhaustion_is_a_clear_error_and_a_released_pair_can_be_had_again()
    {
        var allocator = new RtpPortAllocator(41030, 41033);
        RtpPortPair first = allocator.Allocate(IPAddress.Loopback);
        using RtpPortPair second = allocator.Allocate(IPAddress.Loopback);

        RtpPortsExhaustedException error = Assert.Throws<RtpPortsExhaustedException>(() => allocator.Allocate(IPAddress.Loopback));
        Assert.Contains("41030-41033", error.Message, StringComparison.Ordinal);
        Assert.False(allocator.TryAllocate(IPAddress.Loopback, out _));

        first.Dispose();
        using RtpPortPair again = allocator.Allocate(IPAddress.Loopback);
        Assert.Equal(41030, again.RtpPort);
    }

    [Fact]
    public void Released_pairs_go_to_the_back_of_the_queue()
    {
        var allocator = new RtpPortAllocator(41040, 41047);
        RtpPortPair first = allocator.Allocate(IPAddress.Loopback);
        first.Dispose();

        using RtpPortPair next = allocator.Allocate(IPAddress.Loopback);

        Assert.Equal(41042, next.RtpPort);
    }

    [Fact]
    public void Releasing_twice_returns_the_pair_once()
    {
        var allocator = new RtpPortAllocator(41050, 41053);
        RtpPortPair pair = allocator.Allocate(IPAddress.Loopback);

        pair.Dispose();
        pair.Dispose();

        Assert.Equal(0, allocator.InUse);
        using RtpPortPair a = allocator.Allocate(IPAddress.Loopback);
        using RtpPortPair b = allocator.Allocate(IPAddress.Loopback);
        Assert.False(allocator.TryAllocate(IPAddress.Loopback, out _));
    }

    [Theory]
    [InlineData(80, 2000)]
    [InlineData(41060, 70000)]
    public void Ranges_outside_the_port_space_are_rejected(int first, int last)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new RtpPortAllocator(first, last));
    }

    [Fact]
    public void A_range_without_a_whole_pair_is_rejected()
    {
        Assert.Throws<ArgumentException>(() => new RtpPortAllocator(41061, 41062));
    }
}
