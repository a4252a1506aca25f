using System.Diagnostics;
using System.Net;
using Dialtone.Engine.Sip.Dns;
using Dialtone.Engine.Sip.Tests.Timing;

namespace Dialtone.Engine.Sip.Tests.Dns;

public sealed class SipTargetResolverTests
{
    private const string Domain = "carrier.example.net";

    [Theory]
    [InlineData("192.0.2.10", null, null, false, SipTargetTransport.Udp, "192.0.2.10:5060")]
    [InlineData("192.0.2.10", 5080, SipTargetTransport.Tcp, false, SipTargetTransport.Tcp, "192.0.2.10:5080")]
    [InlineData("[2001:db8::1]", 5070, null, false, SipTargetTransport.Udp, "[2001:db8::1]:5070")]
    [InlineData("2001:db8::1", null, null, true, SipTargetTransport.Tls, "[2001:db8::1]:5061")]
    [InlineData("127.0.0.1", null, SipTargetTransport.Tcp, true, SipTargetTransport.Tls, "127.0.0.1:5061")]
    public async Task Ip_literal_needs_no_lookup(string host, int? port, SipTargetTransport? transport, bool secure, SipTargetTransport expectedTransport, string expectedEndPoint)
    {
        await using var server = new TestDnsServer();
        var resolver = NewResolver(server);

        var targets = await resolver.ResolveAsync(host, port, transport, secure);

        var target = Assert.Single(targets);
        Assert.Equal(expectedTransport, target.Transport);
        Assert.Equal(IPEndPoint.Parse(expectedEndPoint), target.EndPoint);
        Assert.Empty(server.Questions);
    }

    [Fact]
    public async Task Host_with_a_port_is_resolved_by_address_records_only()
    {
        await using var server = new TestDnsServer();
        server.Add(
            TestDnsRecord.Naptr(Domain, 10, 10, "s", "SIP+D2T", "", "_sip._tcp." + Domain),
            TestDnsRecord.A(Domain, "192.0.2.1"),
            TestDnsRecord.A(Domain, "192.0.2.2"),
            TestDnsRecord.Aaaa(Domain, "2001:db8::5"));
        var resolver = NewResolver(server);

        var targets = await resolver.ResolveAsync(Domain, port: 5080);

        Assert.Equal(["UDP 192.0.2.1:5080", "UDP 192.0.2.2:5080", "UDP [2001:db8::5]:5080"], Describe(targets));
        Assert.Equal([TestDnsRecord.TypeA, TestDnsRecord.TypeAaaa], server.Questions.Select(q => q.Type));
        Assert.All(targets, t => Assert.Equal(Domain, t.Host));
    }

    [Fact]
    public async Task Naptr_leads_to_srv_leads_to_addresses_in_order_and_preference()
    {
        await using var server = new TestDnsServer();
        server.Add(
            TestDnsRecord.Naptr(Domain, 20, 10, "s", "SIPS+D2T", "", "_sips._tcp." + Domain),
            TestDnsRecord.Naptr(Domain, 10, 20, "S", "SIP+D2U", "", "_sip._udp." + Domain),
            TestDnsRecord.Naptr(Domain, 10, 10, "s", "sip+d2t", "", "_sip._tcp." + Domain),
            TestDnsRecord.Srv("_sip._tcp." + Domain, 10, 0, 5060, "tcp1." + Domain),
            TestDnsRecord.Srv("_sip._udp." + Domain, 10, 0, 5062, "udp1." + Domain),
            TestDnsRecord.Srv("_sips._tcp." + Domain, 10, 0, 5061, "tls1." + Domain),
            TestDnsRecord.A("tcp1." + Domain, "192.0.2.11"),
            TestDnsRecord.A("udp1." + Domain, "192.0.2.12"),
            TestDnsRecord.Aaaa("udp1." + Domain, "2001:db8::12"),
            TestDnsRecord.A("tls1." + Domain, "192.0.2.13"));
        var resolver = NewResolver(server);

        var targets = await resolver.ResolveAsync(Domain);

        Assert.Equal(
            ["TCP 192.0.2.11:5060", "UDP 192.0.2.12:5062", "UDP [2001:db8::12]:5062", "TLS 192.0.2.13:5061"],
            Describe(targets));
        Assert.Equal("tls1." + Domain, targets[^1].Host);
        Assert.Equal((Domain, TestDnsRecord.TypeNaptr), (server.Questions[0].Name, server.Questions[0].Type));
    }

    [Fact]
    public async Task Sips_uses_only_sips_naptr_records()
    {
        await using var server = new TestDnsServer();
        server.Add(
            TestDnsRecord.Naptr(Domain, 10, 10, "s", "SIP+D2U", "", "_sip._udp." + Domain),
            TestDnsRecord.Naptr(Domain, 20, 10, "s", "SIPS+D2T", "", "_sips._tcp.tls-pool.example.net"),
            TestDnsRecord.Srv("_sip._udp." + Domain, 10, 0, 5060, "udp1." + Domain),
            TestDnsRecord.Srv("_sips._tcp.tls-pool.example.net", 10, 0, 5061, "tls1." + Domain),
            TestDnsRecord.A("udp1." + Domain, "192.0.2.12"),
            TestDnsRecord.A("tls1." + Domain, "192.0.2.13"));
        var resolver = NewResolver(server);

        var targets = await resolver.ResolveAsync(Domain, secure: true);
        var withPort = await resolver.ResolveAsync("tls1." + Domain, port: 5071, secure: true);

        Assert.Equal(["TLS 192.0.2.13:5061"], Describe(targets));
        Assert.Equal(["TLS 192.0.2.13:5071"], Describe(withPort));
        Assert.Equal((Domain, TestDnsRecord.TypeNaptr), (server.Questions[0].Name, server.Questions[0].Type));
    }

    [Fact]
    public async Task Unusable_naptr_records_are_skipped()
    {
        await using var server = new TestDnsServer();
        server.Add(
            TestDnsRecord.Naptr(Domain, 1, 1, "u", "E2U+sip", "!^.*$!sip:info@example.com!", ""),
            TestDnsRecord.Naptr(Domain, 2, 1, "s", "SIP+D2S", "", "_sip._sctp." + Domain),
            TestDnsRecord.Naptr(Domain, 3, 1, "a", "SIP+D2U", "", "udp1." + Domain),
            TestDnsRecord.Naptr(Domain, 4, 1, "s", "SIP+D2T", "", "_sip._tcp." + Domain),
            TestDnsRecord.Srv("_sip._sctp." + Domain, 10, 0, 5060, "sctp1." + Domain),
            TestDnsRecord.Srv("_sip._tcp." + Domain, 10, 0, 5060, "tcp1." + Domain),
            TestDnsRecord.A("sctp1." + Domain, "192.0.2.20"),
            TestDnsRecord.A("udp1." + Domain, "192.0.2.21"),
            TestDnsRecord.A("tcp1." + Domain, "192.0.2.22"));
        var resolver = NewResolver(server);

        var targets = await resolver.ResolveAsync(Domain);

        Assert.Equal(["TCP 192.0.2.22:5060"], Describe(targets));
    }

    [Fact]
    public async Task Without_naptr_srv_is_queried_for_each_supported_transport()
    {
        await using var server = new TestDnsServer();
        server.Add(
            TestDnsRecord.A(Domain, "192.0.2.99"),
            TestDnsRecord.Srv("_sip._udp." + Domain, 10, 0, 5060, "sip1." + Domain),
            TestDnsRecord.Srv("_sip._tcp." + Domain, 10, 0, 5060, "sip1." + Domain),
            TestDnsRecord.A("sip1." + Domain, "192.0.2.30"));
        var resolver = NewResolver(server);

        var targets = await resolver.ResolveAsync(Domain);

        Assert.Equal(["UDP 192.0.2.30:5060", "TCP 192.0.2.30:5060"], Describe(targets));
        Assert.Contains(server.Questions, q => q.Name == "_sips._tcp." + Domain && q.Type == TestDnsRecord.TypeSrv);
    }

    [Fact]
    public async Task Without_naptr_or_srv_the_addresses_are_used_on_the_default_port()
    {
        await using var server = new TestDnsServer();
        server.Add(TestDnsRecord.A(Domain, "192.0.2.40"), TestDnsRecord.Aaaa(Domain, "2001:db8::40"));
        var resolver = NewResolver(server);

        var plain = await resolver.ResolveAsync(Domain);
        var secure = await resolver.ResolveAsync(Domain, secure: true);

        Assert.Equal(["UDP 192.0.2.40:5060", "UDP [2001:db8::40]:5060"], Describe(plain));
        Assert.Equal(["TLS 192.0.2.40:5061", "TLS [2001:db8::40]:5061"], Describe(secure));
    }

    [Fact]
    public async Task Explicit_transport_queries_its_srv_only_then_falls_back_to_addresses()
    {
        await using var server = new TestDnsServer();
        server.Add(
            TestDnsRecord.Naptr(Domain, 10, 10, "s", "SIP+D2U", "", "_sip._udp." + Domain),
            TestDnsRecord.Srv("_sip._tcp." + Domain, 10, 0, 5090, "tcp1." + Domain),
            TestDnsRecord.A("tcp1." + Domain, "192.0.2.50"),
            TestDnsRecord.A("other.example.net", "192.0.2.51"));
        var resolver = NewResolver(server);

        var withSrv = await resolver.ResolveAsync(Domain, transport: SipTargetTransport.Tcp);
        var withoutSrv = await resolver.ResolveAsync("other.example.net", transport: SipTargetTransport.Tcp);

        Assert.Equal(["TCP 192.0.2.50:5090"], Describe(withSrv));
        Assert.Equal(["TCP 192.0.2.51:5060"], Describe(withoutSrv));
        Assert.DoesNotContain(server.Questions, q => q.Type == TestDnsRecord.TypeNaptr);
    }

    [Fact]
    public async Task Srv_priority_is_strict_and_weight_decides_the_order_within_it()
    {
        await using var server = new TestDnsServer();
        server.Add(
            TestDnsRecord.Srv("_sip._udp." + Domain, 20, 100, 5060, "backup." + Domain),
            TestDnsRecord.Srv("_sip._udp." + Domain, 10, 10, 5060, "light." + Domain),
            TestDnsRecord.Srv("_sip._udp." + Domain, 10, 90, 5060, "heavy." + Domain),
            TestDnsRecord.Srv("_sip._udp." + Domain, 10, 0, 5060, "zero." + Domain),
            TestDnsRecord.A("backup." + Domain, "192.0.2.60"),
            TestDnsRecord.A("light." + Domain, "192.0.2.61"),
            TestDnsRecord.A("heavy." + Domain, "192.0.2.62"),
            TestDnsRecord.A("zero." + Domain, "192.0.2.63"));
        var resolver = NewResolver(server, random: new Random(2782));
        var firsts = new Dictionary<string, int>();

        const int Rounds = 2000;
        for (int i = 0; i < Rounds; i++)
        {
            var targets = await resolver.ResolveAsync(Domain, transport: SipTargetTransport.Udp);
            Assert.Equal(4, targets.Count);
            Assert.Equal("backup." + Domain, targets[^1].Host);
            firsts[targets[0].Host] = firsts.GetValueOrDefault(targets[0].Host) + 1;
        }

        // RFC 2782: chance of coming first = weight / (sum + 1): 90/101, 10/101, 1/101 for weight 0.
        Assert.InRange(firsts.GetValueOrDefault("heavy." + Domain), Rounds * 0.84, Rounds * 0.93);
        Assert.InRange(firsts.GetValueOrDefault("light." + Domain), Rounds * 0.06, Rounds * 0.14);
        Assert.InRange(firsts.GetValueOrDefault("zero." + Domain), 1, Rounds * 0.03);
    }

    [Fact]
    public async Task Srv_target_dot_means_no_service_there()
    {
        await using var server = new TestDnsServer();
        server.Add(
            TestDnsRecord.Srv("_sip._udp." + Domain, 10, 0, 5060, "."),
            TestDnsRecord.Srv("_sip._tcp." + Domain, 10, 0, 5060, "tcp1." + Domain),
            TestDnsRecord.A("tcp1." + Domain, "192.0.2.70"));
        var resolver = NewResolver(server);

        var targets = await resolver.ResolveAsync(Domain);

        Assert.Equal(["TCP 192.0.2.70:5060"], Describe(targets));
    }

    [Fact]
    public async Task Nonexistent_domain_is_a_not_found_error_naming_the_host()
    {
        await using var server = new TestDnsServer();
        var resolver = NewResolver(server);

        var error = await Assert.ThrowsAsync<SipResolutionException>(() => resolver.ResolveAsync("nowhere.example.net"));

        Assert.Equal(SipResolutionError.NotFound, error.Error);
        Assert.Equal("nowhere.example.net", error.Host);
        Assert.Contains("nowhere.example.net", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Silent_server_is_a_timeout_error_in_bounded_time()
    {
        await using var server = new TestDnsServer { Mode = TestDnsServerMode.Silent };
        var resolver = NewResolver(server, timeout: TimeSpan.FromMilliseconds(200), retries: 1);
        var clock = Stopwatch.StartNew();

        var error = await Assert.ThrowsAsync<SipResolutionException>(() => resolver.ResolveAsync(Domain));

        Assert.Equal(SipResolutionError.Timeout, error.Error);
        // One query, two tries: the resolution stops at the first timeout instead of timing out
        // again on every SRV and address query.
        Assert.Equal(2, server.Questions.Count);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), $"took {clock.Elapsed}");
    }

    [Fact]
    public async Task Timeout_after_some_targets_returns_the_targets_found()
    {
        await using var server = new TestDnsServer();
        server.Add(
            TestDnsRecord.Srv("_sip._udp." + Domain, 10, 0, 5060, "good." + Domain),
            TestDnsRecord.Srv("_sip._udp." + Domain, 20, 0, 5060, "mute." + Domain),
            TestDnsRecord.A("good." + Domain, "192.0.2.80"),
            TestDnsRecord.A("mute." + Domain, "192.0.2.81"));
        server.SilentNames.Add("mute." + Domain);
        // Long enough for the answering queries even on a busy machine; the mute one costs it once.
        var resolver = NewResolver(server, timeout: TimeSpan.FromSeconds(1), retries: 0);

        var targets = await resolver.ResolveAsync(Domain, transport: SipTargetTransport.Udp);

        Assert.Equal(["UDP 192.0.2.80:5060"], Describe(targets));
    }

    [Fact]
    public async Task Truncated_udp_answer_is_fetched_again_over_tcp()
    {
        await using var server = new TestDnsServer(withTcp: true) { Mode = TestDnsServerMode.TruncateUdp };
        server.Add(TestDnsRecord.A(Domain, "192.0.2.90"));
        var resolver = NewResolver(server);

        var targets = await resolver.ResolveAsync(Domain, port: 5060);

        Assert.Equal(["UDP 192.0.2.90:5060"], Describe(targets));
        Assert.Contains(server.Questions, q => q.Tcp);
    }

    [Fact]
    public async Task Truncated_answer_without_tcp_is_a_clear_error()
    {
        await using var server = new TestDnsServer(withTcp: false) { Mode = TestDnsServerMode.TruncateUdp };
        server.Add(TestDnsRecord.A(Domain, "192.0.2.90"));
        var resolver = NewResolver(server, timeout: TimeSpan.FromMilliseconds(300), retries: 0);
        var clock = Stopwatch.StartNew();

        var error = await Assert.ThrowsAsync<SipResolutionException>(() => resolver.ResolveAsync(Domain, port: 5060));

        Assert.NotEqual(SipResolutionError.NotFound, error.Error);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), $"took {clock.Elapsed}");
    }

    [Theory]
    [InlineData("garbage", true)]
    [InlineData("garbage", false)]
    [InlineData("lying-counts", true)]
    [InlineData("lying-counts", false)]
    public async Task Unreadable_answer_is_a_clear_error_never_a_hang(string misbehaviour, bool tcpFallback)
    {
        // The TCP listener answers as badly as UDP: DnsClient retries an unreadable UDP answer over TCP.
        await using var server = new TestDnsServer(withTcp: true)
        {
            Mode = misbehaviour == "garbage" ? TestDnsServerMode.Garbage : TestDnsServerMode.LyingCounts,
        };
        server.Add(TestDnsRecord.A(Domain, "192.0.2.90"));
        var resolver = NewResolver(server, timeout: TimeSpan.FromSeconds(1), retries: 0, configure: o => o with { UseTcpFallback = tcpFallback });
        var clock = Stopwatch.StartNew();

        var error = await Assert.ThrowsAsync<SipResolutionException>(() => resolver.ResolveAsync(Domain, port: 5060));

        // A header that lies is unreadable; random bytes may not even pass for an answer to our
        // query, in which case DnsClient discards them and waits out the timeout (as a resolver
        // should, against spoofing): either way a clear error, in bounded time.
        var expected = misbehaviour == "garbage"
            ? new[] { SipResolutionError.MalformedResponse, SipResolutionError.Timeout }
            : [SipResolutionError.MalformedResponse];
        Assert.True(expected.Contains(error.Error), $"{error.Error}: {error.Message} {error.InnerException}");
        Assert.Contains(Domain, error.Message, StringComparison.Ordinal);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), $"took {clock.Elapsed}");
    }

    [Fact]
    public async Task Unreachable_name_server_is_a_clear_error()
    {
        var closedPort = new TestDnsServer();
        var endPoint = closedPort.EndPoint;
        await closedPort.DisposeAsync();
        var resolver = new SipTargetResolver(new SipTargetResolverOptions
        {
            NameServers = [endPoint],
            QueryTimeout = TimeSpan.FromMilliseconds(300),
            Retries = 0,
        });
        var clock = Stopwatch.StartNew();

        var error = await Assert.ThrowsAsync<SipResolutionException>(() => resolver.ResolveAsync(Domain));

        Assert.True(error.Error is SipResolutionError.ServerFailure or SipResolutionError.Timeout, $"{error.Error}: {error.Message}");
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), $"took {clock.Elapsed}");
    }

    [Fact]
    public async Task Server_failure_is_reported_as_such()
    {
        await using var server = new TestDnsServer { Mode = TestDnsServerMode.ServerFailure };
        var resolver = NewResolver(server);

        var error = await Assert.ThrowsAsync<SipResolutionException>(() => resolver.ResolveAsync(Domain));

        Assert.Equal(SipResolutionError.ServerFailure, error.Error);
    }

    [Fact]
    public async Task Answers_are_cached_for_their_ttl()
    {
        await using var server = new TestDnsServer();
        server.Add(TestDnsRecord.A(Domain, "192.0.2.100", ttl: 60), TestDnsRecord.Aaaa(Domain, "2001:db8::100", ttl: 120));
        var clock = new ManualTimeProvider();
        var resolver = NewResolver(server, clock: clock);

        await resolver.ResolveAsync(Domain, port: 5060);
        int afterFirst = server.Questions.Count;
        clock.Advance(TimeSpan.FromSeconds(59));
        var cached = await resolver.ResolveAsync(Domain, port: 5060);
        int afterCached = server.Questions.Count;
        clock.Advance(TimeSpan.FromSeconds(2));
        await resolver.ResolveAsync(Domain, port: 5060);

        Assert.Equal(2, afterFirst);
        Assert.Equal(afterFirst, afterCached);
        Assert.Equal(2, cached.Count);
        // The A answer (TTL 60) expired; the AAAA answer (TTL 120) did not.
        Assert.Equal([(Domain, TestDnsRecord.TypeA)], server.Questions.Skip(afterCached).Select(q => (q.Name, q.Type)));
    }

    [Fact]
    public async Task Nonexistent_names_are_cached_for_the_negative_ttl()
    {
        await using var server = new TestDnsServer();
        var clock = new ManualTimeProvider();
        var resolver = NewResolver(server, clock: clock);

        await Assert.ThrowsAsync<SipResolutionException>(() => resolver.ResolveAsync("nowhere.example.net", port: 5060));
        int afterFirst = server.Questions.Count;
        await Assert.ThrowsAsync<SipResolutionException>(() => resolver.ResolveAsync("nowhere.example.net", port: 5060));
        int afterSecond = server.Questions.Count;
        clock.Advance(TimeSpan.FromSeconds(31));
        await Assert.ThrowsAsync<SipResolutionException>(() => resolver.ResolveAsync("nowhere.example.net", port: 5060));

        Assert.Equal(afterFirst, afterSecond);
        Assert.Equal(2 * afterFirst, server.Questions.Count);
    }

    [Fact]
    public async Task Cache_is_bounded()
    {
        await using var server = new TestDnsServer();
        for (int i = 0; i < 20; i++)
            server.Add(TestDnsRecord.A($"h{i}.example.net", $"192.0.2.{i + 1}"));
        var resolver = NewResolver(server, cacheCapacity: 8);

        for (int i = 0; i < 20; i++)
            await resolver.ResolveAsync($"h{i}.example.net", port: 5060);

        Assert.InRange(resolver.CachedAnswerCount, 1, 8);
    }

    [Fact]
    public async Task Target_marked_failed_goes_last_until_its_hold_down_ends()
    {
        await using var server = new TestDnsServer();
        server.Add(
            TestDnsRecord.Srv("_sip._udp." + Domain, 10, 0, 5060, "a." + Domain),
            TestDnsRecord.Srv("_sip._udp." + Domain, 20, 0, 5060, "b." + Domain),
            TestDnsRecord.A("a." + Domain, "192.0.2.110"),
            TestDnsRecord.A("b." + Domain, "192.0.2.111"));
        var clock = new ManualTimeProvider();
        var resolver = NewResolver(server, clock: clock);
        var first = (await resolver.ResolveAsync(Domain, transport: SipTargetTransport.Udp))[0];

        resolver.MarkFailed(first, TimeSpan.FromSeconds(30));
        var whileFailed = await resolver.ResolveAsync(Domain, transport: SipTargetTransport.Udp);
        clock.Advance(TimeSpan.FromSeconds(31));
        var afterHoldDown = await resolver.ResolveAsync(Domain, transport: SipTargetTransport.Udp);
        resolver.MarkFailed(first);
        resolver.MarkSucceeded(first);
        var afterSuccess = await resolver.ResolveAsync(Domain, transport: SipTargetTransport.Udp);

        Assert.Equal(["UDP 192.0.2.111:5060", "UDP 192.0.2.110:5060"], Describe(whileFailed));
        Assert.Equal(["UDP 192.0.2.110:5060", "UDP 192.0.2.111:5060"], Describe(afterHoldDown));
        Assert.Equal(["UDP 192.0.2.110:5060", "UDP 192.0.2.111:5060"], Describe(afterSuccess));
        Assert.False(resolver.IsMarkedFailed(first));
    }

    [Fact]
    public async Task Ipv6_can_be_preferred_or_left_out()
    {
        await using var server = new TestDnsServer();
        server.Add(TestDnsRecord.A(Domain, "192.0.2.120"), TestDnsRecord.Aaaa(Domain, "2001:db8::120"));

        var preferred = await NewResolver(server, configure: o => o with { PreferIPv6 = true }).ResolveAsync(Domain, port: 5060);
        var ipv4Only = await NewResolver(server, configure: o => o with { UseIPv6 = false }).ResolveAsync(Domain, port: 5060);

        Assert.Equal(["UDP [2001:db8::120]:5060", "UDP 192.0.2.120:5060"], Describe(preferred));
        Assert.Equal(["UDP 192.0.2.120:5060"], Describe(ipv4Only));
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("bad host.example.net")]
    [InlineData("a..b.example.net")]
    [InlineData("exa$mple.net")]
    [InlineData("[not-an-address]")]
    [InlineData("[192.0.2.1]")]
    [InlineData("2001:db8::zz")]
    public async Task Invalid_hosts_are_rejected_before_any_query(string host)
    {
        await using var server = new TestDnsServer();
        var resolver = NewResolver(server);

        await Assert.ThrowsAnyAsync<ArgumentException>(() => resolver.ResolveAsync(host));
        Assert.Empty(server.Questions);
    }

    [Fact]
    public async Task Over_long_names_bad_ports_and_sips_over_udp_are_rejected()
    {
        await using var server = new TestDnsServer();
        var resolver = NewResolver(server);

        await Assert.ThrowsAsync<ArgumentException>(() => resolver.ResolveAsync(new string('a', 64) + ".example.net"));
        await Assert.ThrowsAsync<ArgumentException>(() => resolver.ResolveAsync(string.Join('.', Enumerable.Repeat("abcdefghi", 30))));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => resolver.ResolveAsync(Domain, port: 0));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => resolver.ResolveAsync(Domain, port: 70000));
        await Assert.ThrowsAsync<ArgumentException>(() => resolver.ResolveAsync(Domain, transport: SipTargetTransport.Udp, secure: true));
        Assert.Empty(server.Questions);
    }

    [Fact]
    public void Options_without_name_servers_are_rejected()
    {
        Assert.Throws<ArgumentException>(() => new SipTargetResolver(new SipTargetResolverOptions { NameServers = [] }));
        Assert.Throws<ArgumentOutOfRangeException>(() => new SipTargetResolver(new SipTargetResolverOptions
        {
            NameServers = [new IPEndPoint(IPAddress.Loopback, 53)],
            QueryTimeout = TimeSpan.Zero,
        }));
    }

    [Fact]
    public async Task Cancellation_stops_a_pending_resolution()
    {
        await using var server = new TestDnsServer { Mode = TestDnsServerMode.Silent };
        var resolver = NewResolver(server, timeout: TimeSpan.FromSeconds(10), retries: 0);
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(100));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => resolver.ResolveAsync(Domain, cancellationToken: cancel.Token));
    }

    private static SipTargetResolver NewResolver(
        TestDnsServer server,
        TimeSpan? timeout = null,
        int retries = 0,
        int cacheCapacity = 1024,
        TimeProvider? clock = null,
        Random? random = null,
        Func<SipTargetResolverOptions, SipTargetResolverOptions>? configure = null)
    {
        var options = new SipTargetResolverOptions
        {
            NameServers = [server.EndPoint],
            QueryTimeout = timeout ?? TimeSpan.FromSeconds(2),
            Retries = retries,
            CacheCapacity = cacheCapacity,
        };
        return new SipTargetResolver(configure?.Invoke(options) ?? options, clock, random);
    }

    private static List<string> Describe(IEnumerable<SipTarget> targets) =>
        targets.Select(t => $"{t.Transport.ToString().ToUpperInvariant()} {t.EndPoint}").ToList();
}
