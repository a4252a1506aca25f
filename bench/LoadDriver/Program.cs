using System.Text.Json;
using Dialtone.LoadDriver.Checking;
using Dialtone.LoadDriver.Cli;
using Dialtone.LoadDriver.Driving;
using Dialtone.LoadDriver.Reporting;

namespace Dialtone.LoadDriver;

/// <summary>The load driver's commands: <c>run</c>, <c>table</c> and <c>check</c> (bench/LoadDriver/README.md).</summary>
public static class Program
{
    private const int UsageExitCode = 2;

    private const string Usage = """
        Dialtone load driver.

          run     Place calls over REST at a fixed rate for a bounded time, receive their status
                  callbacks, measure the daemon, print the table and write the result as JSON.
                  --api URL (http://127.0.0.1:8080) --key KEY (or DIALTONE_API_KEY)
                  --rate CALLS_PER_S --seconds S [--count N] [--drain-seconds 30]
                  [--app hangup|pause:N|play:N|twiml:XML|url:URL] [--senddigits D] [--ring-timeout S]
                  [--time-limit S] [--events initiated,ringing,answered,completed]
                  [--to-prefix +1555] [--to-start N] [--from +15005550100] [--listen 127.0.0.1:0]
                  [--max-in-flight 256] [--http-timeout 30] [--daemon-pid PID] [--sipp-pid PID[,PID]] [--metrics URL]
                  [--slope-range 500,2000] [--label NAME] [--out result.json]
          table   Print the table of a run with SIPp's view added (after SIPp has exited):
                  --result result.json [--sipp-stat a.csv,b.csv] [--sipp-log a_logs.log,...]
          check   Place one call and check its callbacks (the scenario test mode):
                  --api URL --key KEY --to NUMBER --app ... [--senddigits D] [--ring-timeout S]
                  --expect-statuses initiated,ringing,answered,completed --expect-result completed
                  [--expect-code 200] [--expect-ringing-code 183] [--expect-error CODE|none]
                  [--expect-min-duration S] [--wait-seconds 60]

        Exit codes: 0 done (check: passed), 1 check failed or calls missing, 2 bad command line.
        """;

    private static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    public static async Task<int> Main(string[] args)
    {
        if (args.Length == 0 || args[0] is "-h" or "--help" or "help")
        {
            Console.Out.WriteLine(Usage);
            return args.Length == 0 ? UsageExitCode : 0;
        }
        try
        {
            var options = new ArgumentReader(args[1..]);
            return args[0] switch
            {
                "run" => await RunAsync(options).ConfigureAwait(false),
                "table" => Table(options),
                "check" => await CheckAsync(options).ConfigureAwait(false),
                _ => throw new UsageException($"unknown command '{args[0]}' (run, table, check)"),
            };
        }
        catch (UsageException e)
        {
            await Console.Error.WriteLineAsync("loaddriver: " + e.Message).ConfigureAwait(false);
            await Console.Error.WriteLineAsync("run with --help for the options").ConfigureAwait(false);
            return UsageExitCode;
        }
    }

    private static async Task<int> RunAsync(ArgumentReader args)
    {
        var options = LoadOptions.Read(args);
        args.ThrowOnUnused();
        using var stop = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) =>
        {
            e.Cancel = true;
            stop.Cancel();
        };
        RunResult result;
        try
        {
            result = await new LoadRun(options, Console.Error).RunAsync(stop.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            await Console.Error.WriteLineAsync("loaddriver: interrupted").ConfigureAwait(false);
            return 1;
        }
        if (options.Out is not null)
            await File.WriteAllTextAsync(options.Out, JsonSerializer.Serialize(result, Json)).ConfigureAwait(false);
        LoadTable.Write(Console.Out, result, [], new Dictionary<string, long>());
        return result.MissingCompleted == 0 && result.Accepted == result.Sent ? 0 : 1;
    }

    private static int Table(ArgumentReader args)
    {
        var path = args.RequiredText("result");
        var statFiles = args.List("sipp-stat");
        var logFiles = args.List("sipp-log");
        args.ThrowOnUnused();
        RunResult result;
        try
        {
            result = JsonSerializer.Deserialize<RunResult>(File.ReadAllText(path), Json) ?? throw new UsageException($"{path} is empty");
        }
        catch (Exception e) when (e is IOException or JsonException)
        {
            throw new UsageException($"cannot read {path}: {e.Message}");
        }
        var sipp = new List<SippStatistics>();
        foreach (var file in statFiles)
        {
            try
            {
                sipp.Add(SippStatistics.Read(file));
            }
            catch (Exception e) when (e is IOException or InvalidDataException)
            {
                Console.Error.WriteLine($"loaddriver: skipping SIPp statistics {file}: {e.Message}");
            }
        }
        var existingLogs = logFiles.Where(File.Exists).ToList();
        LoadTable.Write(Console.Out, result, sipp, SippInviteLog.Read(existingLogs));
        return 0;
    }

    private static async Task<int> CheckAsync(ArgumentReader args)
    {
        var api = args.Text("api") ?? "http://127.0.0.1:8080";
        var key = args.Text("key") ?? Environment.GetEnvironmentVariable("DIALTONE_API_KEY") ?? throw new UsageException("--key is required");
        var to = args.RequiredText("to");
        var app = args.Text("app") ?? "hangup";
        var digits = args.Text("senddigits");
        var ringTimeout = args.Integer("ring-timeout", 1, 600);
        var events = args.List("events") is { Count: > 0 } e ? e : ["initiated", "ringing", "answered", "completed"];
        var wait = TimeSpan.FromSeconds(args.Number("wait-seconds", 1, 3600) ?? 60);
        var expected = ScenarioExpectation.Read(args);
        args.ThrowOnUnused();
        var problems = await new ScenarioCheck(api, key, to, app, digits, ringTimeout, events, expected, wait, Console.Out)
            .RunAsync(CancellationToken.None).ConfigureAwait(false);
        foreach (var problem in problems)
            Console.Out.WriteLine("  FAIL: " + problem);
        return problems.Count == 0 ? 0 : 1;
    }
}
