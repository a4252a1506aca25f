using System.Globalization;

namespace Dialtone.LoadDriver.Measuring;

/// <summary>
/// A scrape of a Prometheus text endpoint (exposition format 0.0.4): each sample line
/// <c>name{labels} value</c> kept by its full series name, comments skipped.
/// </summary>
public sealed class PrometheusText
{
    private readonly Dictionary<string, double> _series = new(StringComparer.Ordinal);

    public static PrometheusText Parse(string text)
    {
        var result = new PrometheusText();
        foreach (var raw in text.Split('\n'))
        {
            var line = raw.Trim();
            if (line.Length == 0 || line[0] == '#')
                continue;
            // The value follows the last space outside the labels (labels may hold spaces in quotes).
            var close = line.LastIndexOf('}');
            var space = line.IndexOf(' ', close < 0 ? 0 : close);
            if (space < 0)
                continue;
            var valueText = line[(space + 1)..].Trim();
            var end = valueText.IndexOf(' ');
            if (end >= 0)
                valueText = valueText[..end]; // a timestamp follows
            if (double.TryParse(valueText, NumberStyles.Float, CultureInfo.InvariantCulture, out var value))
                result._series[line[..space]] = value;
        }
        return result;
    }

    public static async Task<PrometheusText?> ScrapeAsync(HttpClient http, string? url, CancellationToken cancellationToken)
    {
        if (url is null)
            return null;
        try
        {
            return Parse(await http.GetStringAsync(url, cancellationToken).ConfigureAwait(false));
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            return null;
        }
    }

    public IReadOnlyDictionary<string, double> Series => _series;

    /// <summary>The sum over every series of the family <paramref name="name"/> whose labels contain all of <paramref name="labels"/>.</summary>
    public double Sum(string name, params string[] labels)
    {
        double sum = 0;
        foreach (var (series, value) in _series)
        {
            if (!series.StartsWith(name, StringComparison.Ordinal))
                continue;
            var rest = series.AsSpan(name.Length);
            if (rest.Length > 0 && rest[0] != '{')
                continue;
            var matches = true;
            foreach (var label in labels)
                matches &= rest.Contains(label, StringComparison.Ordinal);
            if (matches)
                sum += value;
        }
        return sum;
    }

    /// <summary>Every family name present (without labels).</summary>
    public IEnumerable<string> Families => _series.Keys.Select(k => k.Split('{')[0]).Distinct(StringComparer.Ordinal);
}
