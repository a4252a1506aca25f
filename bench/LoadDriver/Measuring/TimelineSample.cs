namespace Dialtone.LoadDriver.Measuring;

/// <summary>One point of a run's timeline (once a second): calls up (answered, not yet completed), the daemon's memory and CPU.</summary>
public sealed record TimelineSample(double Second, int CallsUp, long RssBytes, double CpuSeconds, long CallbacksReceived);
