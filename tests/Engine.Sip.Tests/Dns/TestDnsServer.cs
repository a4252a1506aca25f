using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Dialtone.Engine.Sip.Tests.Dns;

/// <summary>
/// A small authoritative DNS server for tests: UDP (and optionally TCP, same port) on 127.0.0.1,
/// answering NAPTR/SRV/A/AAAA from a table in hand-encoded RFC 1035 wire format, or misbehaving
/// as <see cref="Mode"/> says. Logs every question it receives.
/// </summary>
internal sealed class TestDnsServer : IAsyncDisposable
{
    private readonly List<TestDnsRecord> _zone = [];
    private readonly ConcurrentQueue<(string Name, ushort Type, bool Tcp)> _questions = new();
    private readonly Socket _udp;
    private readonly TcpListener? _tcp;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _udpLoop;
    private readonly Task _tcpLoop;
    private readonly Random _random = new(2782);

    public TestDnsServer(bool withTcp = false)
    {
        for (int attempt = 0; ; attempt++)
        {
            _udp = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
            _udp.Bind(new IPEndPoint(IPAddress.Loopback, 0));
            EndPoint = (IPEndPoint)_udp.LocalEndPoint!;
            if (!withTcp)
                break;
            try
            {
                _tcp = new TcpListener(EndPoint);
                _tcp.Start();
                break;
            }
            catch (SocketException) when (attempt < 10)
            {
                // The TCP port twin of the UDP port was taken: pick another port.
                _udp.Dispose();
            }
        }
        _udpLoop = Task.Run(ServeUdpAsync);
        _tcpLoop = _tcp is null ? Task.CompletedTask : Task.Run(ServeTcpAsync);
    }

    public IPEndPoint EndPoint { get; }

    public TestDnsServerMode Mode { get; set; } = TestDnsServerMode.Answer;

    /// <summary>Names that get no answer at all, whatever the mode.</summary>
    public HashSet<string> SilentNames { get; } = new(StringComparer.OrdinalIgnoreCase);

    public IReadOnlyList<(string Name, ushort Type, bool Tcp)> Questions => [.. _questions];

    public void Add(params TestDnsRecord[] records)
    {
        lock (_zone)
            _zone.AddRange(records);
    }

    public void ClearQuestions() => _questions.Clear();

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _udp.Dispose();
        _tcp?.Stop();
        await Task.WhenAll(_udpLoop, _tcpLoop).WaitAsync(TimeSpan.FromSeconds(10)).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        _stop.Dispose();
    }

    private async Task ServeUdpAsync()
    {
        var buffer = new byte[4096];
        while (!_stop.IsCancellationRequested)
        {
            SocketReceiveFromResult received;
            try
            {
                received = await _udp.ReceiveFromAsync(buffer, SocketFlags.None, new IPEndPoint(IPAddress.Any, 0), _stop.Token);
            }
            catch (Exception) when (_stop.IsCancellationRequested)
            {
                return;
            }
            catch (SocketException)
            {
                continue;
            }

            var reply = Reply(buffer.AsSpan(0, received.ReceivedBytes), tcp: false);
            if (reply is not null)
                await _udp.SendToAsync(reply, SocketFlags.None, received.RemoteEndPoint);
        }
    }

    private async Task ServeTcpAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _tcp!.AcceptTcpClientAsync(_stop.Token);
            }
            catch (Exception) when (_stop.IsCancellationRequested)
            {
                return;
            }

            _ = Task.Run(async () =>
            {
                using (client)
                {
                    try
                    {
                        var stream = client.GetStream();
                        var lengthBytes = new byte[2];
                        await stream.ReadExactlyAsync(lengthBytes, _stop.Token);
                        var query = new byte[BinaryPrimitives.ReadUInt16BigEndian(lengthBytes)];
                        await stream.ReadExactlyAsync(query, _stop.Token);
                        var reply = Reply(query, tcp: true);
                        if (reply is null)
                            return;
                        BinaryPrimitives.WriteUInt16BigEndian(lengthBytes, (ushort)reply.Length);
                        await stream.WriteAsync(lengthBytes, _stop.Token);
                        await stream.WriteAsync(reply, _stop.Token);
                    }
                    catch (Exception) when (_stop.IsCancellationRequested)
                    {
                    }
                    catch (IOException)
                    {
                    }
                }
            });
        }
    }

    private byte[]? Reply(ReadOnlySpan<byte> query, bool tcp)
    {
        if (query.Length < 12 || BinaryPrimitives.ReadUInt16BigEndian(query[4..]) < 1)
            return null;
        int offset = 12;
        var name = new StringBuilder();
        while (offset < query.Length && query[offset] != 0)
        {
            int length = query[offset++];
            if (length > 63 || offset + length > query.Length)
                return null;
            if (name.Length > 0)
                name.Append('.');
            name.Append(Encoding.ASCII.GetString(query.Slice(offset, length)));
            offset += length;
        }
        offset++;
        if (offset + 4 > query.Length)
            return null;
        ushort type = BinaryPrimitives.ReadUInt16BigEndian(query[offset..]);
        var question = query[12..(offset + 4)];
        string qname = name.ToString().ToLowerInvariant();
        _questions.Enqueue((qname, type, tcp));

        if (Mode == TestDnsServerMode.Silent || SilentNames.Contains(qname))
            return null;

        ushort id = BinaryPrimitives.ReadUInt16BigEndian(query);
        if (Mode == TestDnsServerMode.Garbage)
        {
            var garbage = new byte[_random.Next(12, 200)];
            _random.NextBytes(garbage);
            BinaryPrimitives.WriteUInt16BigEndian(garbage, id);
            garbage[2] |= 0x80; // QR: it claims to be a response.
            return garbage;
        }

        List<TestDnsRecord> answers;
        bool nameExists;
        lock (_zone)
        {
            answers = _zone.Where(r => r.Type == type && string.Equals(r.Name, qname, StringComparison.OrdinalIgnoreCase)).ToList();
            nameExists = _zone.Any(r => string.Equals(r.Name, qname, StringComparison.OrdinalIgnoreCase));
        }

        bool truncate = Mode == TestDnsServerMode.TruncateUdp && !tcp;
        int rcode = Mode == TestDnsServerMode.ServerFailure ? 2 : nameExists ? 0 : 3;
        if (truncate || rcode != 0)
            answers = [];

        var reply = new List<byte>(512);
        TestDnsRecord.AppendUInt16(reply, id);
        // QR, opcode 0, AA, TC when truncating, RD copied, RA; then the RCODE (RFC 1035 §4.1.1).
        int flags = 0x8000 | 0x0400 | (truncate ? 0x0200 : 0) | (query[2] & 0x01) << 8 | 0x0080 | rcode;
        TestDnsRecord.AppendUInt16(reply, (ushort)flags);
        TestDnsRecord.AppendUInt16(reply, 1);
        TestDnsRecord.AppendUInt16(reply, (ushort)(Mode == TestDnsServerMode.LyingCounts ? 5 : answers.Count));
        TestDnsRecord.AppendUInt16(reply, 0);
        TestDnsRecord.AppendUInt16(reply, 0);
        reply.AddRange(question);
        foreach (var record in answers)
        {
            TestDnsRecord.AppendName(reply, record.Name);
            TestDnsRecord.AppendUInt16(reply, record.Type);
            TestDnsRecord.AppendUInt16(reply, 1);
            TestDnsRecord.AppendUInt32(reply, record.Ttl);
            TestDnsRecord.AppendUInt16(reply, (ushort)record.Data.Length);
            reply.AddRange(record.Data);
        }
        return [.. reply];
    }
}
