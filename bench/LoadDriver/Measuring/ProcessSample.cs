namespace Dialtone.LoadDriver.Measuring;

/// <summary>A process at one moment: CPU time used so far (user + system), resident memory now and at its peak.</summary>
public readonly record struct ProcessSample(double CpuSeconds, long RssBytes, long PeakRssBytes, int Threads);
