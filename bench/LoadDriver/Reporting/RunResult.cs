using Dialtone.LoadDriver.Measuring;

namespace Dialtone.LoadDriver.Reporting;

/// <summary>Everything a <c>run</c> measured, written as JSON for <c>table</c> and for the record.</summary>
public sealed class RunResult
{
    public string Label { get; set; } = "";
    public string StartedUtc { get; set; } = "";
    public string LoadAverageBefore { get; set; } = "";
    public string LoadAverageAfter { get; set; } = "";
    public string Application { get; set; } = "";
    public string Events { get; set; } = "";

    public double OfferedRate { get; set; }
    public double PlannedSeconds { get; set; }
    public int Planned { get; set; }
    public int Sent { get; set; }
    /// <summary>Seconds from the first request to the last one leaving.</summary>
    public double SendSeconds { get; set; }
    public double AchievedRate { get; set; }
    /// <summary>The most a request left behind its slot in the schedule (the driver's own lag).</summary>
    public double MaxScheduleLagMs { get; set; }

    public int Accepted { get; set; }
    public Dictionary<string, int> Refused { get; set; } = [];
    public int RequestErrors { get; set; }
    public string? FirstRequestError { get; set; }

    public int InitiatedCallbacks { get; set; }
    public int RingingCallbacks { get; set; }
    public int AnsweredCallbacks { get; set; }
    public int CompletedCallbacks { get; set; }
    /// <summary>CallResult of the completed callbacks: completed, busy, no-answer, failed, canceled.</summary>
    public Dictionary<string, int> Results { get; set; } = [];
    /// <summary>ErrorCode of the completed callbacks that had one.</summary>
    public Dictionary<string, int> Errors { get; set; } = [];
    /// <summary>Accepted calls whose completed callback had not come by the end of the drain.</summary>
    public int MissingCompleted { get; set; }
    public int DuplicateCallbacks { get; set; }
    public long UnknownCallbacks { get; set; }
    public long CallbacksReceived { get; set; }
    public double CallbacksPerSecond { get; set; }
    public long CallbacksPeakSecond { get; set; }

    public Percentiles? RestLatency { get; set; }
    public Percentiles? RequestToInitiatedCallback { get; set; }
    public Percentiles? RequestToAnsweredCallback { get; set; }
    public Percentiles? RequestToCompletedCallback { get; set; }

    /// <summary>From the first request to the last completed callback (or the end of the drain).</summary>
    public double WindowSeconds { get; set; }
    public int? DaemonPid { get; set; }
    public double? DaemonCpuSeconds { get; set; }
    /// <summary>Daemon CPU over the window divided by the accepted calls, in microseconds.</summary>
    public double? DaemonCpuPerCallMicroseconds { get; set; }
    /// <summary>Daemon CPU over the window as a share of one core (1.0 = one core busy).</summary>
    public double? DaemonCores { get; set; }
    public long? DaemonRssStartBytes { get; set; }
    public long? DaemonRssEndBytes { get; set; }
    /// <summary>VmHWM at the end of the run: the daemon's peak resident set since it started.</summary>
    public long? DaemonPeakRssBytes { get; set; }
    /// <summary>The daemon's CPU over the window by thread name (threads that ended during the run are missing).</summary>
    public Dictionary<string, double> DaemonCpuByThread { get; set; } = [];
    /// <summary>SIPp's CPU over the window, in cores (with <c>--sipp-pid</c>).</summary>
    public double? SippCores { get; set; }
    /// <summary>The load driver's own CPU over the window, in cores.</summary>
    public double? DriverCores { get; set; }
    public int PeakCallsUp { get; set; }
    /// <summary>RSS slope (bytes per call up) over the timeline points inside the slope range.</summary>
    public double? MemoryPerCallBytes { get; set; }
    public string? MemoryPerCallRange { get; set; }
    public int MemoryPerCallPoints { get; set; }

    /// <summary>The daemon's /metrics counters that moved during the run (after minus before).</summary>
    public Dictionary<string, double> MetricDeltas { get; set; } = [];

    public List<TimelineSample> Timeline { get; set; } = [];

    /// <summary>Per call: the number dialed and when its request left (Unix µs), for the join with SIPp's INVITE log.</summary>
    public List<CallStart> Calls { get; set; } = [];
}
