using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace Dialtone.Daemon.Operations;

/// <summary>
/// Every metric the daemon exposes at <c>/metrics</c>, written in the Prometheus text exposition
/// format (version 0.0.4). Any layer adds its own: <c>registry.Counter("dialtone_rtp_packets_total", "...")</c>
/// once at start, then <see cref="Operations.Counter.Increment"/> on the hot path (no allocation, no lock).
/// </summary>
public sealed partial class MetricsRegistry
{
    public const string ContentType = "text/plain; version=0.0.4; charset=utf-8";

    private readonly Lock _lock = new();
    private readonly List<Entry> _entries = [];
    private readonly HashSet<string> _names = new(StringComparer.Ordinal);

    private abstract record Entry(string Name, string Help, string Type);

    private sealed record CounterEntry(string Name, string Help, Counter Counter) : Entry(Name, Help, "counter");

    private sealed record GaugeEntry(string Name, string Help, Gauge Gauge) : Entry(Name, Help, "gauge");

    private sealed record ObservedEntry(string Name, string Help, string Kind, Func<double> Observe) : Entry(Name, Help, Kind);

    private sealed record CounterFamilyEntry(MetricFamily<Counter> Family) : Entry(Family.Name, Family.Help, "counter");

    private sealed record GaugeFamilyEntry(MetricFamily<Gauge> Family) : Entry(Family.Name, Family.Help, "gauge");

    private sealed record ObservedFamilyEntry(string Name, string Help, string Kind, string[] LabelNames, Action<ObservedSeries> Observe) : Entry(Name, Help, Kind);

    public Counter Counter(string name, string help)
    {
        var counter = new Counter();
        Register(new CounterEntry(name, help, counter));
        return counter;
    }

    public Gauge Gauge(string name, string help)
    {
        var gauge = new Gauge();
        Register(new GaugeEntry(name, help, gauge));
        return gauge;
    }

    public MetricFamily<Counter> CounterFamily(string name, string help, params string[] labelNames)
    {
        var family = new MetricFamily<Counter>(name, help, "counter", ValidLabels(labelNames));
        Register(new CounterFamilyEntry(family));
        return family;
    }

    public MetricFamily<Gauge> GaugeFamily(string name, string help, params string[] labelNames)
    {
        var family = new MetricFamily<Gauge>(name, help, "gauge", ValidLabels(labelNames));
        Register(new GaugeFamilyEntry(family));
        return family;
    }

    /// <summary>A gauge read when scraped (queue depths, cache sizes): the owner keeps the truth, the registry asks.</summary>
    public void ObservedGauge(string name, string help, Func<double> observe) =>
        Register(new ObservedEntry(name, help, "gauge", observe));

    /// <summary>A counter read when scraped, for layers that keep their own counts (e.g. cache statistics).</summary>
    public void ObservedCounter(string name, string help, Func<double> observe) =>
        Register(new ObservedEntry(name, help, "counter", observe));

    /// <summary>
    /// A labelled family read when scraped, for layers that keep their own counters (SIP messages by
    /// method and status class): <paramref name="observe"/> adds one sample per series.
    /// </summary>
    public void ObservedFamily(string name, string help, string kind, string[] labelNames, Action<ObservedSeries> observe) =>
        Register(new ObservedFamilyEntry(name, help, kind, ValidLabels(labelNames), observe));

    /// <summary>The exposition text: HELP and TYPE lines, then the samples; series sorted by label values.</summary>
    public string Render()
    {
        Entry[] entries;
        lock (_lock)
            entries = [.. _entries];
        var text = new StringBuilder(4096);
        foreach (var entry in entries)
        {
            text.Append("# HELP ").Append(entry.Name).Append(' ').Append(EscapeHelp(entry.Help)).Append('\n');
            text.Append("# TYPE ").Append(entry.Name).Append(' ').Append(entry.Type).Append('\n');
            switch (entry)
            {
                case CounterEntry c:
                    Sample(text, c.Name, null, null, c.Counter.Value);
                    break;
                case GaugeEntry g:
                    Sample(text, g.Name, null, null, g.Gauge.Value);
                    break;
                case ObservedEntry o:
                    Sample(text, o.Name, null, null, Observe(o.Observe));
                    break;
                case CounterFamilyEntry cf:
                    foreach (var (labels, counter) in Sorted(cf.Family.Series))
                        Sample(text, cf.Name, cf.Family.LabelNames, labels, counter.Value);
                    break;
                case ObservedFamilyEntry of:
                    var series = new ObservedSeries(of.LabelNames.Length);
                    try
                    {
                        of.Observe(series);
                    }
                    catch (Exception)
                    {
                        // As for single observed values: a failing observer leaves its family empty.
                    }
                    foreach (var (labels, value) in series.Samples.OrderBy(s => s.Labels.First, StringComparer.Ordinal).ThenBy(s => s.Labels.Second, StringComparer.Ordinal))
                        Sample(text, of.Name, of.LabelNames, labels, value);
                    break;
                case GaugeFamilyEntry gf:
                    foreach (var (labels, gauge) in Sorted(gf.Family.Series))
                        Sample(text, gf.Name, gf.Family.LabelNames, labels, gauge.Value);
                    break;
            }
        }
        return text.ToString();
    }

    private static double Observe(Func<double> observe)
    {
        try
        {
            return observe();
        }
        catch (Exception)
        {
            // A failing observer must not take /metrics down; NaN says "unknown" in the format.
            return double.NaN;
        }
    }

    private static IEnumerable<KeyValuePair<LabelValues, T>> Sorted<T>(IEnumerable<KeyValuePair<LabelValues, T>> series) =>
        series.OrderBy(s => s.Key.First, StringComparer.Ordinal)
            .ThenBy(s => s.Key.Second, StringComparer.Ordinal)
            .ThenBy(s => s.Key.Third, StringComparer.Ordinal);

    private static void Sample(StringBuilder text, string name, IReadOnlyList<string>? labelNames, LabelValues? labels, double value)
    {
        text.Append(name);
        if (labelNames is not null && labels is { } values)
        {
            text.Append('{');
            for (var i = 0; i < labelNames.Count; i++)
            {
                if (i > 0)
                    text.Append(',');
                text.Append(labelNames[i]).Append("=\"").Append(EscapeLabel(values[i] ?? "")).Append('"');
            }
            text.Append('}');
        }
        text.Append(' ');
        if (double.IsNaN(value))
            text.Append("NaN");
        else if (double.IsPositiveInfinity(value))
            text.Append("+Inf");
        else if (double.IsNegativeInfinity(value))
            text.Append("-Inf");
        else
            text.Append(value.ToString("R", CultureInfo.InvariantCulture));
        text.Append('\n');
    }

    // The exposition format escapes \ and newline in HELP, and also " in label values.
    private static string EscapeHelp(string help) => help.Replace("\\", "\\\\").Replace("\n", "\\n");

    private static string EscapeLabel(string value) => value.Replace("\\", "\\\\").Replace("\"", "\\\"").Replace("\n", "\\n");

    private void Register(Entry entry)
    {
        if (!MetricName().IsMatch(entry.Name))
            throw new ArgumentException($"'{entry.Name}' is not a valid metric name", nameof(entry));
        lock (_lock)
        {
            if (!_names.Add(entry.Name))
                throw new InvalidOperationException($"metric '{entry.Name}' is already registered");
            _entries.Add(entry);
        }
    }

    private static string[] ValidLabels(string[] labelNames)
    {
        foreach (var label in labelNames)
        {
            if (!LabelName().IsMatch(label) || label.StartsWith("__", StringComparison.Ordinal))
                throw new ArgumentException($"'{label}' is not a valid label name", nameof(labelNames));
        }
        return labelNames;
    }

    [GeneratedRegex("^[a-zA-Z_:][a-zA-Z0-9_:]*$")]
    private static partial Regex MetricName();

    [GeneratedRegex("^[a-zA-Z_][a-zA-Z0-9_]*$")]
    private static partial Regex LabelName();
}
