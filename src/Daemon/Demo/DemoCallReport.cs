namespace Dialtone.Daemon.Demo;

/// <summary>What the demo carrier saw of one call: who called whom, how it ended, the digits it heard, its recording.</summary>
public sealed record DemoCallReport(string CallId, string Dialed, string Caller, string Outcome, string Digits, string? RecordingPath, DateTimeOffset EndedAt);
