using Dialtone.LoadDriver.Cli;

namespace Dialtone.LoadDriver.Driving;

/// <summary>The options of <c>run</c> (see <see cref="Program"/>'s usage text).</summary>
public sealed record LoadOptions
{
    public required string Api { get; init; }
    public required string Key { get; init; }
    public required double Rate { get; init; }
    public required double Seconds { get; init; }
    public int? Count { get; init; }
    public string ToPrefix { get; init; } = "+1555";
    public long ToStart { get; init; }
    public string From { get; init; } = "+15005550100";
    public string App { get; init; } = "hangup";
    public string? SendDigits { get; init; }
    public int? TimeoutSeconds { get; init; }
    public int? TimeLimitSeconds { get; init; }
    public IReadOnlyList<string> Events { get; init; } = ["initiated", "ringing", "answered", "completed"];
    public string Listen { get; init; } = "127.0.0.1:0";
    public double DrainSeconds { get; init; } = 30;
    public int MaxInFlight { get; init; } = 256;
    public double HttpTimeoutSeconds { get; init; } = 30;
    public int? DaemonPid { get; init; }

    /// <summary>SIPp's processes (one per instance), whose CPU the table reports, added up, beside the daemon's and the driver's own.</summary>
    public IReadOnlyList<int> SippPids { get; init; } = [];
    public string? MetricsUrl { get; init; }
    public string? Out { get; init; }
    public string Label { get; init; } = "run";
    public (int Low, int High) SlopeRange { get; init; } = (500, 2000);

    /// <summary>Calls to place: <c>--count</c>, or rate × seconds, whichever is smaller.</summary>
    public int PlannedCalls => (int)Math.Min(Count ?? int.MaxValue, Math.Ceiling(Rate * Seconds));

    public static LoadOptions Read(ArgumentReader args)
    {
        var slope = args.List("slope-range");
        var options = new LoadOptions
        {
            Api = args.Text("api") ?? "http://127.0.0.1:8080",
            Key = args.Text("key") ?? Environment.GetEnvironmentVariable("DIALTONE_API_KEY")
                ?? throw new UsageException("--key (or DIALTONE_API_KEY) is required"),
            Rate = args.Number("rate", 0.01, 100_000) ?? throw new UsageException("--rate is required"),
            Seconds = args.Number("seconds", 0.01, 86_400) ?? (args.Text("count") is null ? throw new UsageException("--seconds or --count is required") : 86_400),
            Count = args.Integer("count", 1, 10_000_000),
            ToPrefix = args.Text("to-prefix") ?? "+1555",
            ToStart = (long)(args.Number("to-start", 0, 1e9) ?? 0),
            From = args.Text("from") ?? "+15005550100",
            App = args.Text("app") ?? "hangup",
            SendDigits = args.Text("senddigits"),
            TimeoutSeconds = args.Integer("ring-timeout", 1, 600),
            TimeLimitSeconds = args.Integer("time-limit", 1, 86_400),
            Events = args.List("events") is { Count: > 0 } events ? events : ["initiated", "ringing", "answered", "completed"],
            Listen = args.Text("listen") ?? "127.0.0.1:0",
            DrainSeconds = args.Number("drain-seconds", 0, 3600) ?? 30,
            MaxInFlight = args.Integer("max-in-flight", 1, 100_000) ?? 256,
            HttpTimeoutSeconds = args.Number("http-timeout", 0.1, 600) ?? 30,
            DaemonPid = args.Integer("daemon-pid", 1, int.MaxValue),
            SippPids = ProcessIds(args.List("sipp-pid")),
            MetricsUrl = args.Text("metrics"),
            Out = args.Text("out"),
            Label = args.Text("label") ?? "run",
            SlopeRange = slope.Count == 2 && int.TryParse(slope[0], out var low) && int.TryParse(slope[1], out var high) && low < high
                ? (low, high)
                : slope.Count == 0 ? (500, 2000) : throw new UsageException("--slope-range must be LOW,HIGH with LOW < HIGH"),
        };
        var digits = options.ToPrefix.TrimStart('+').Length + options.PlannedCallsDigits();
        if (digits > 15)
            throw new UsageException($"--to-prefix {options.ToPrefix} plus {options.PlannedCallsDigits()} digits of call number exceed E.164's 15 digits");
        return options;
    }

    /// <summary>How many digits the call numbers after the prefix need (at least 7, so numbers look real).</summary>
    public int PlannedCallsDigits() => Math.Max(7, (ToStart + PlannedCalls).ToString(System.Globalization.CultureInfo.InvariantCulture).Length);

    public string NumberOf(int index) =>
        ToPrefix + (ToStart + index).ToString(System.Globalization.CultureInfo.InvariantCulture).PadLeft(PlannedCallsDigits(), '0');

    private static int[] ProcessIds(IReadOnlyList<string> texts)
    {
        var pids = new int[texts.Count];
        for (var i = 0; i < texts.Count; i++)
        {
            if (!int.TryParse(texts[i], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out pids[i]) || pids[i] < 1)
                throw new UsageException($"--sipp-pid takes process IDs separated by commas, got '{texts[i]}'");
        }
        return pids;
    }
}
