using System.Collections.Concurrent;

namespace Dialtone.Daemon.Operations;

/// <summary>
/// A metric with labels: one <typeparamref name="TSeries"/> per combination of label values, created
/// on first use. Callers on hot paths keep the series they get (e.g. one per SIP method) so the
/// lookup happens once; even the lookup allocates nothing once a series exists.
/// </summary>
public sealed class MetricFamily<TSeries>
    where TSeries : class, new()
{
    private readonly ConcurrentDictionary<LabelValues, TSeries> _series = new();

    internal MetricFamily(string name, string help, string type, string[] labelNames)
    {
        if (labelNames.Length is < 1 or > 3)
            throw new ArgumentException("a metric family has one to three labels", nameof(labelNames));
        Name = name;
        Help = help;
        Type = type;
        LabelNames = labelNames;
    }

    public string Name { get; }

    public string Help { get; }

    internal string Type { get; }

    public IReadOnlyList<string> LabelNames { get; }

    public TSeries WithLabels(string value) => Get(new LabelValues(value, null, null), 1);

    public TSeries WithLabels(string first, string second) => Get(new LabelValues(first, second, null), 2);

    public TSeries WithLabels(string first, string second, string third) => Get(new LabelValues(first, second, third), 3);

    internal IEnumerable<KeyValuePair<LabelValues, TSeries>> Series => _series;

    private TSeries Get(LabelValues values, int count)
    {
        if (count != LabelNames.Count)
            throw new ArgumentException($"{Name} has {LabelNames.Count} labels, {count} values given");
        if (_series.TryGetValue(values, out var series))
            return series;
        return _series.GetOrAdd(values, static _ => new TSeries());
    }
}
