namespace Dialtone.LoadDriver.Measuring;

/// <summary>Nearest-rank percentiles of a set of durations (milliseconds).</summary>
public sealed record Percentiles(int Count, double P50, double P90, double P99, double Max)
{
    public static Percentiles Of(IEnumerable<double> values)
    {
        var sorted = values.Where(v => !double.IsNaN(v)).Order().ToArray();
        if (sorted.Length == 0)
            return new Percentiles(0, double.NaN, double.NaN, double.NaN, double.NaN);
        double Rank(double p) => sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Length) - 1, 0, sorted.Length - 1)];
        return new Percentiles(sorted.Length, Rank(0.50), Rank(0.90), Rank(0.99), sorted[^1]);
    }

    public override string ToString() =>
        Count == 0 ? "-" : $"p50 {Format(P50)} / p99 {Format(P99)} / max {Format(Max)} ms";

    public static string Format(double ms) => ms switch
    {
        double.NaN => "-",
        < 10 => ms.ToString("0.00", System.Globalization.CultureInfo.InvariantCulture),
        < 100 => ms.ToString("0.0", System.Globalization.CultureInfo.InvariantCulture),
        _ => ms.ToString("0", System.Globalization.CultureInfo.InvariantCulture),
    };
}
