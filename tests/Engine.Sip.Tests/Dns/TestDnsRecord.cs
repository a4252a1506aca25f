using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Dialtone.Engine.Sip.Tests.Dns;

/// <summary>One resource record of the test zone, with its RDATA already in wire format.</summary>
internal sealed record TestDnsRecord(string Name, ushort Type, uint Ttl, byte[] Data)
{
    public const ushort TypeA = 1;
    public const ushort TypeCname = 5;
    public const ushort TypeAaaa = 28;
    public const ushort TypeSrv = 33;
    public const ushort TypeNaptr = 35;

    public static TestDnsRecord A(string name, string address, uint ttl = 300)
    {
        var ip = IPAddress.Parse(address);
        if (ip.AddressFamily != AddressFamily.InterNetwork)
            throw new ArgumentException("not IPv4", nameof(address));
        return new(name, TypeA, ttl, ip.GetAddressBytes());
    }

    public static TestDnsRecord Aaaa(string name, string address, uint ttl = 300)
    {
        var ip = IPAddress.Parse(address);
        if (ip.AddressFamily != AddressFamily.InterNetworkV6)
            throw new ArgumentException("not IPv6", nameof(address));
        return new(name, TypeAaaa, ttl, ip.GetAddressBytes());
    }

    // RFC 2782: priority, weight, port (16 bits each), then the target, never compressed.
    public static TestDnsRecord Srv(string name, ushort priority, ushort weight, ushort port, string target, uint ttl = 300)
    {
        var data = new List<byte>();
        AppendUInt16(data, priority);
        AppendUInt16(data, weight);
        AppendUInt16(data, port);
        AppendName(data, target);
        return new(name, TypeSrv, ttl, [.. data]);
    }

    // RFC 3403 §4.1: order, preference, then flags, services and regexp as <character-string>s,
    // then the replacement domain name.
    public static TestDnsRecord Naptr(string name, ushort order, ushort preference, string flags, string services, string regexp, string replacement, uint ttl = 300)
    {
        var data = new List<byte>();
        AppendUInt16(data, order);
        AppendUInt16(data, preference);
        AppendCharacterString(data, flags);
        AppendCharacterString(data, services);
        AppendCharacterString(data, regexp);
        AppendName(data, replacement);
        return new(name, TypeNaptr, ttl, [.. data]);
    }

    /// <summary>A domain name as labels (RFC 1035 §3.1); "." is the root alone.</summary>
    public static void AppendName(List<byte> output, string name)
    {
        foreach (var label in name.TrimEnd('.').Split('.', StringSplitOptions.RemoveEmptyEntries))
        {
            var bytes = Encoding.ASCII.GetBytes(label);
            output.Add((byte)bytes.Length);
            output.AddRange(bytes);
        }
        output.Add(0);
    }

    public static void AppendUInt16(List<byte> output, ushort value)
    {
        Span<byte> bytes = stackalloc byte[2];
        BinaryPrimitives.WriteUInt16BigEndian(bytes, value);
        output.AddRange(bytes);
    }

    public static void AppendUInt32(List<byte> output, uint value)
    {
        Span<byte> bytes = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(bytes, value);
        output.AddRange(bytes);
    }

    private static void AppendCharacterString(List<byte> output, string text)
    {
        var bytes = Encoding.ASCII.GetBytes(text);
        output.Add((byte)bytes.Length);
        output.AddRange(bytes);
    }
}
