using Dialtone.Daemon.Operations;
using Microsoft.Extensions.Time.Testing;

namespace Dialtone.Daemon.Tests.Operations;

public sealed class MetricsRegistryTests
{
    [Fact]
    public void Metrics_render_in_the_prometheus_text_format()
    {
        var registry = new MetricsRegistry();
        var packets = registry.Counter("dialtone_rtp_packets_total", "RTP packets sent.");
        var sip = registry.CounterFamily("dialtone_sip_messages_total", "SIP messages by method and code.", "method", "code");
        var depth = registry.Gauge("dialtone_queue_depth", "Things waiting.");
        registry.ObservedGauge("dialtone_cache_bytes", "Bytes held.\nSecond line.", () => 1.5);
        packets.Add(3);
        sip.WithLabels("INVITE", "200").Increment();
        sip.WithLabels("BYE", "200").Increment();
        sip.WithLabels("INVITE", "200").Increment();
        sip.WithLabels("x\"y", "a\\b").Increment();
        depth.Set(4);
        depth.Decrement();

        var text = registry.Render();

        Assert.Equal(
            """
            # HELP dialtone_rtp_packets_total RTP packets sent.
            # TYPE dialtone_rtp_packets_total counter
            dialtone_rtp_packets_total 3
            # HELP dialtone_sip_messages_total SIP messages by method and code.
            # TYPE dialtone_sip_messages_total counter
            dialtone_sip_messages_total{method="BYE",code="200"} 1
            dialtone_sip_messages_total{method="INVITE",code="200"} 2
            dialtone_sip_messages_total{method="x\"y",code="a\\b"} 1
            # HELP dialtone_queue_depth Things waiting.
            # TYPE dialtone_queue_depth gauge
            dialtone_queue_depth 3
            # HELP dialtone_cache_bytes Bytes held.\nSecond line.
            # TYPE dialtone_cache_bytes gauge
            dialtone_cache_bytes 1.5

            """.Replace("\r\n", "\n"), text);
    }

    [Fact]
    public void Counting_allocates_nothing_once_a_series_exists()
    {
        var registry = new MetricsRegistry();
        var counter = registry.Counter("c_total", "c");
        var family = registry.CounterFamily("f_total", "f", "method", "code");
        var gauge = registry.Gauge("g", "g");
        const string method = "INVITE", code = "180";
        for (var i = 0; i < 100; i++)
        {
            counter.Increment();
            family.WithLabels(method, code).Increment();
            gauge.Increment();
        }

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 10_000; i++)
        {
            counter.Increment();
            family.WithLabels(method, code).Increment();
            gauge.Increment();
            gauge.Decrement();
        }
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(0, allocated);
        Assert.Equal(10_100, family.WithLabels(method, code).Value);
    }

    [Fact]
    public void Names_are_checked_and_unique()
    {
        var registry = new MetricsRegistry();
        registry.Counter("ok_total", "x");

        Assert.Throws<InvalidOperationException>(() => registry.Counter("ok_total", "x"));
        Assert.Throws<ArgumentException>(() => registry.Counter("1bad", "x"));
        Assert.Throws<ArgumentException>(() => registry.CounterFamily("fam_total", "x", "bad-label"));
        Assert.Throws<ArgumentException>(() => registry.CounterFamily("fam2_total", "x", "__reserved"));
        Assert.Throws<ArgumentException>(() => registry.CounterFamily("fam3_total", "x", "a").WithLabels("1", "2"));
        Assert.Throws<ArgumentOutOfRangeException>(() => registry.Counter("neg_total", "x").Add(-1));
    }

    [Fact]
    public void A_failing_observer_reads_as_NaN_instead_of_breaking_the_page()
    {
        var registry = new MetricsRegistry();
        registry.ObservedGauge("broken", "b", () => throw new InvalidOperationException());

        Assert.Contains("broken NaN\n", registry.Render());
    }

    [Fact]
    public void The_rate_meter_reports_the_last_whole_second()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UnixEpoch.AddSeconds(100));
        var meter = new RateMeter(clock);

        for (var i = 0; i < 5; i++)
            meter.Mark();
        Assert.Equal(0, meter.PerSecond);
        clock.Advance(TimeSpan.FromSeconds(1));
        meter.Mark();
        Assert.Equal(5, meter.PerSecond);
        clock.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(1, meter.PerSecond);
        clock.Advance(TimeSpan.FromSeconds(5));
        Assert.Equal(0, meter.PerSecond);
    }
}
