namespace Dialtone.LoadDriver.Reporting;

/// <summary>When the REST request for the call to <paramref name="To"/> left, in Unix microseconds.</summary>
public sealed record CallStart(string To, long RequestedUnixMicroseconds);
