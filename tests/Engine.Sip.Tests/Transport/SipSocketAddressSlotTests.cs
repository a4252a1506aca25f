using System.Net;
using System.Text;
using Dialtone.Engine.Sip.Transport;

namespace Dialtone.Engine.Sip.Tests.Transport;

public sealed class SipSocketAddressSlotTests
{
    [Fact]
    public void Stores_a_copy_that_equals_the_original_and_reuses_its_storage()
    {
        var slot = new SipSocketAddressSlot();
        SocketAddress original = new IPEndPoint(IPAddress.Parse("192.0.2.7"), 5060).Serialize();
        SocketAddress first = slot.Store(original);
        Assert.Equal(original, first);
        Assert.NotSame(original, first);
        SocketAddress second = slot.Store(new IPEndPoint(IPAddress.Parse("192.0.2.8"), 5070).Serialize());
        Assert.Same(first, second);
        Assert.Equal(5070, SipSocketAddressSlot.GetPort(second));
    }

    [Fact]
    public void Replaces_the_port_and_formats_the_address()
    {
        var slot = new SipSocketAddressSlot();
        SocketAddress stored = slot.Store(new IPEndPoint(IPAddress.Parse("198.51.100.23"), 40000).Serialize(), 5062);
        Assert.Equal(new IPEndPoint(IPAddress.Parse("198.51.100.23"), 5062), (IPEndPoint)new IPEndPoint(IPAddress.Any, 0).Create(stored));
        Span<byte> text = stackalloc byte[64];
        int n = SipSocketAddressSlot.FormatAddress(stored, text);
        Assert.Equal("198.51.100.23", Encoding.ASCII.GetString(text[..n]));
        Assert.True(SipSocketAddressSlot.HostEquals(stored, "198.51.100.23"u8));
        Assert.False(SipSocketAddressSlot.HostEquals(stored, "carrier.example"u8));
    }

    [Fact]
    public void Handles_ipv6()
    {
        var slot = new SipSocketAddressSlot();
        SocketAddress stored = slot.Store(new IPEndPoint(IPAddress.Parse("2001:db8::5"), 5060).Serialize());
        Span<byte> text = stackalloc byte[64];
        int n = SipSocketAddressSlot.FormatAddress(stored, text);
        Assert.Equal("2001:db8::5", Encoding.ASCII.GetString(text[..n]));
        Assert.True(SipSocketAddressSlot.HostEquals(stored, "[2001:db8::5]"u8));
    }

    [Fact]
    public void Storing_ipv4_addresses_allocates_nothing()
    {
        var slot = new SipSocketAddressSlot();
        SocketAddress source = new IPEndPoint(IPAddress.Loopback, 5060).Serialize();
        slot.Store(source);
        slot.StoreIPv4([10, 0, 0, 1], 5060);
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 1000; i++)
        {
            slot.Store(source, 5000 + i);
            slot.StoreIPv4([10, 0, 0, 1], 6000);
        }
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }
}
