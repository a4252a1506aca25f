namespace Dialtone.LoadDriver.Measuring;

/// <summary>Least-squares line y = Intercept + Slope·x through points (memory against concurrent calls).</summary>
public readonly record struct LinearFit(double Slope, double Intercept, int Points)
{
    public static LinearFit? Of(IReadOnlyList<(double X, double Y)> points)
    {
        if (points.Count < 2)
            return null;
        double n = points.Count, sx = 0, sy = 0, sxx = 0, sxy = 0;
        foreach (var (x, y) in points)
        {
            sx += x;
            sy += y;
            sxx += x * x;
            sxy += x * y;
        }
        var denominator = (n * sxx) - (sx * sx);
        if (denominator == 0)
            return null;
        var slope = ((n * sxy) - (sx * sy)) / denominator;
        return new LinearFit(slope, (sy - (slope * sx)) / n, points.Count);
    }
}
