namespace Dialtone.Daemon.Operations;

/// <summary>The samples an observed metric family reports at one scrape (see <see cref="MetricsRegistry.ObservedFamily"/>).</summary>
public sealed class ObservedSeries
{
    private readonly int _labelCount;
    private readonly List<(LabelValues Labels, double Value)> _samples = [];

    internal ObservedSeries(int labelCount) => _labelCount = labelCount;

    internal IReadOnlyList<(LabelValues Labels, double Value)> Samples => _samples;

    /// <summary>One series with one label value.</summary>
    public void Add(string label, double value) => Add(new LabelValues(label, null, null), 1, value);

    /// <summary>One series with two label values.</summary>
    public void Add(string first, string second, double value) => Add(new LabelValues(first, second, null), 2, value);

    private void Add(LabelValues labels, int count, double value)
    {
        if (count != _labelCount)
            throw new ArgumentException($"this family has {_labelCount} labels, not {count}");
        _samples.Add((labels, value));
    }
}
