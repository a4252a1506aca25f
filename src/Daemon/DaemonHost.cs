using System.Reflection;
using Dialtone.Daemon.Api;
using Dialtone.Daemon.Auth;
using Dialtone.Daemon.Callbacks;
using Dialtone.Daemon.Calls;
using Dialtone.Daemon.Config;
using Dialtone.Daemon.Demo;
using Dialtone.Daemon.Operations;
using Dialtone.Daemon.Orchestration;
using Dialtone.Daemon.Storage;
using Dialtone.Engine.VoiceXml.Fetching;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Logging.Console;

namespace Dialtone.Daemon;

/// <summary>Builds and runs the daemon: configuration, storage, call service, callbacks, REST API, operations.</summary>
public static class DaemonHost
{
    /// <summary>The exit code for an unusable configuration (EX_CONFIG, sysexits.h); the systemd unit does not restart on it.</summary>
    public const int ConfigurationExitCode = 78;

    /// <summary>The daemon's version, taken from the assembly's informational version.</summary>
    public static string Version { get; } =
        typeof(DaemonHost).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion?.Split('+')[0]
        ?? "0.0.0";

    public static async Task<int> RunAsync(string[] args)
    {
        WebApplication app;
        try
        {
            app = Build(DaemonConfiguration.Load(args));
        }
        catch (ConfigurationException ex)
        {
            await Console.Error.WriteLineAsync("dialtone: " + ex.Message).ConfigureAwait(false);
            return ConfigurationExitCode;
        }
        await app.RunAsync().ConfigureAwait(false);
        return 0;
    }

    /// <param name="options">A validated configuration (<see cref="DaemonConfiguration.Load(string[])"/>).</param>
    /// <param name="configureServices">Replaces or adds services (tests: a dialer, a clock, a log sink).</param>
    /// <exception cref="ConfigurationException">The data directory cannot be used.</exception>
    public static WebApplication Build(DaemonOptions options, Action<IServiceCollection>? configureServices = null)
    {
        var dataDirectory = PrepareDataDirectory(options.Storage.DataDirectory!);
        DemoCredentials? demo = null;
        if (options.IsDemo && options.Accounts.Count == 0)
        {
            demo = DemoCredentials.LoadOrCreate(dataDirectory);
            options.Accounts.Add(new AccountOptions { Sid = demo.AccountSid, Name = "demo", Keys = [demo.ApiKey] });
        }

        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ContentRootPath = AppContext.BaseDirectory });
        builder.Services.AddSystemd();
        ConfigureLogging(builder.Logging, options.Logging);
        builder.WebHost.UseUrls(options.Api.Listen);
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.AddServerHeader = false);
        builder.Services.ConfigureHttpJsonOptions(o => o.SerializerOptions.TypeInfoResolverChain.Insert(0, DaemonJsonContext.Default));
        var grace = TimeSpan.FromSeconds(options.Shutdown.GracePeriodSeconds);
        // The host waits for the grace period, then for the hang-ups and last callbacks.
        builder.Services.Configure<HostOptions>(host => host.ShutdownTimeout = grace + TimeSpan.FromSeconds(15));

        AddDaemonServices(builder.Services, options, dataDirectory);
        configureServices?.Invoke(builder.Services);

        var app = builder.Build();
        // Start SIP, RTP and speech now (unless a test replaced the dialer), so that a port in use or
        // a missing speech library stops the start with a clear configuration error.
        if (app.Services.GetService<ICallDialer>() is SipCallDialer)
            TelephonyMetrics.Register(app.Services.GetRequiredService<MetricsRegistry>(), app.Services.GetRequiredService<TelephonyRuntime>().Services);
        var readiness = app.Services.GetRequiredService<ReadinessState>();
        // Open (and migrate) the database now: a broken data directory stops the start, loudly.
        app.Services.GetRequiredService<SqliteDatabase>();
        readiness.MarkStorageOpen();

        app.Use(HandleUnexpectedAsync);
        app.Use(ApiAuthentication.InvokeAsync);
        OperationsEndpoints.Map(app);
        CallsEndpoints.Map(app);
        TwilioEndpoints.Map(app);
        RecordingsEndpoints.Map(app);
        if (options.IsDemo)
            DemoEndpoints.Map(app);

        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Dialtone.Daemon");
        app.Lifetime.ApplicationStarted.Register(() =>
        {
            var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault()
                          ?? options.Api.Listen;
            var links = app.Services.GetRequiredService<ApiLinks>();
            links.Bound(address);
            readiness.MarkListening();
            logger.LogInformation(
                "Dialtone {Version} listening on {Address} (node {NodeId}, {Mode} mode, {Accounts} accounts, {Trunks} trunks, data in {DataDirectory})",
                Version, address, options.Node.Id, options.IsDemo ? "demo" : "carrier", options.Accounts.Count, options.Trunks.Count, dataDirectory);
            if (demo is not null)
                Console.Out.WriteLine(demo.Banner(links.BaseUrl, Version));
        });
        return app;
    }

    private static void AddDaemonServices(IServiceCollection services, DaemonOptions options, string dataDirectory)
    {
        services.AddSingleton(options);
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton<MetricsRegistry>();
        services.AddSingleton(sp => new DaemonMetrics(sp.GetRequiredService<MetricsRegistry>(), sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton<ShutdownState>();
        services.AddSingleton<ReadinessState>();
        services.AddSingleton(_ => SqliteDatabase.Open(options.Storage.DatabaseFile(dataDirectory), options.Storage.Durability));
        services.AddSingleton<CallRecordStore>();
        services.AddSingleton<CallbackOutboxStore>();
        services.AddSingleton(_ => new AccountDirectory(options.Accounts, options.Limits));
        services.AddSingleton(sp => new ApiKeyAuthenticator(options.Accounts, sp.GetRequiredService<AccountDirectory>()));
        services.AddSingleton(sp => new CallbackComposer(sp.GetRequiredService<AccountDirectory>().SigningKeyOf));
        services.AddSingleton(_ => new OutboundAddressGuard(new OutboundAddressPolicy
        {
            AllowLoopback = options.Outbound.AllowLoopback ?? false,
            AllowPrivate = options.Outbound.AllowPrivate,
        }));
        services.AddSingleton(_ => CallbackDeliveryOptionsFrom(options.Callbacks));
        services.AddSingleton(sp => new CallbackDispatcher(
            sp.GetRequiredService<CallbackOutboxStore>(),
            CallbackHandler(sp),
            sp.GetRequiredService<CallbackDeliveryOptions>(),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<DaemonMetrics>(),
            sp.GetRequiredService<ILogger<CallbackDispatcher>>()));
        services.AddSingleton(_ => new ApiLinks(options.Api.PublicUrl));
        services.AddSingleton(_ => new ApiSettings(options.Api.MaxBodyBytes, options.Api.DefaultPageSize, options.Api.MaxPageSize));
        services.AddSingleton(_ => new RecordingStore(options.Storage.RecordingsDirectory(dataDirectory)));
        services.AddSingleton(sp => new CallQueue(sp.GetRequiredService<AccountDirectory>(), options.Limits));
        services.AddSingleton(sp => new CallService(
            sp.GetRequiredService<CallRecordStore>(),
            sp.GetRequiredService<CallQueue>(),
            sp.GetRequiredService<CallbackComposer>(),
            sp.GetRequiredService<CallbackDispatcher>(),
            sp.GetRequiredService<ApiLinks>(),
            sp.GetRequiredService<ShutdownState>(),
            sp.GetRequiredService<DaemonMetrics>(),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILogger<CallService>>(),
            options.Node.Id));
        services.AddSingleton<ICallControl>(sp => sp.GetRequiredService<CallService>());
        services.AddSingleton<DemoWebhookLog>();
        services.AddSingleton<DemoCarrierHolder>();
        services.AddSingleton(sp => TelephonyRuntime.Start(
            options,
            sp.GetRequiredService<OutboundAddressGuard>(),
            sp.GetRequiredService<RecordingStore>(),
            sp.GetRequiredService<ApiLinks>(),
            sp.GetRequiredService<DemoCarrierHolder>(),
            dataDirectory,
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILoggerFactory>()));
        services.AddSingleton<ICallDialer>(sp => new SipCallDialer(sp.GetRequiredService<TelephonyRuntime>().Services));
        services.AddSingleton<CallsApi>();
        services.AddSingleton(sp => new CallDispatchService(
            sp.GetRequiredService<CallService>(),
            sp.GetService<ICallDialer>(),
            sp.GetRequiredService<ShutdownState>(),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILogger<CallDispatchService>>()));
        services.AddSingleton<IShutdownParticipant>(sp => sp.GetRequiredService<CallDispatchService>());
        services.AddSingleton(sp => new ShutdownCoordinator(
            sp.GetRequiredService<ShutdownState>(),
            sp.GetServices<IShutdownParticipant>(),
            TimeSpan.FromSeconds(options.Shutdown.GracePeriodSeconds),
            sp.GetRequiredService<ILogger<ShutdownCoordinator>>()));

        // Start order: callbacks first (so recovered calls' events flow), then the dialing loop
        // (which recovers unfinished calls before it dials), then the shutdown coordinator.
        services.AddHostedService(sp => sp.GetRequiredService<CallbackDispatcher>());
        services.AddHostedService(sp => sp.GetRequiredService<CallDispatchService>());
        services.AddHostedService(sp => sp.GetRequiredService<ShutdownCoordinator>());
    }

    /// <summary>
    /// The status callbacks' HTTP handler: the SSRF guard, no redirects, and no Accept-Encoding. A
    /// callback's response body is never read, so decompression would only add a handler to every request.
    /// </summary>
    private static System.Net.Http.SocketsHttpHandler CallbackHandler(IServiceProvider services)
    {
        var handler = services.GetRequiredService<OutboundAddressGuard>()
            .CreateHandler(services.GetRequiredService<CallbackDeliveryOptions>().ConnectTimeout, maxAutomaticRedirections: 0);
        handler.AutomaticDecompression = System.Net.DecompressionMethods.None;
        return handler;
    }

    internal static CallbackDeliveryOptions CallbackDeliveryOptionsFrom(CallbackOptions callbacks) => new()
    {
        Workers = callbacks.Workers,
        RequestTimeout = TimeSpan.FromSeconds(callbacks.RequestTimeoutSeconds),
        ConnectTimeout = TimeSpan.FromSeconds(callbacks.ConnectTimeoutSeconds),
        Retry = new CallbackRetryPolicy
        {
            InitialBackoff = TimeSpan.FromSeconds(callbacks.InitialBackoffSeconds),
            MaxBackoff = TimeSpan.FromSeconds(callbacks.MaxBackoffSeconds),
            MaxAttempts = callbacks.MaxAttempts,
            MaxAge = TimeSpan.FromSeconds(callbacks.MaxAgeSeconds),
        },
    };

    private static void ConfigureLogging(ILoggingBuilder logging, LoggingOptions options)
    {
        logging.ClearProviders();
        if (options.Format == "json")
        {
            logging.AddJsonConsole(json =>
            {
                json.UseUtcTimestamp = true;
                json.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ";
                json.IncludeScopes = false;
            });
        }
        else
        {
            logging.AddSimpleConsole(text =>
            {
                text.UseUtcTimestamp = true;
                text.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ ";
                text.SingleLine = true;
            });
        }
        // Console output is written by a background thread; under load, drop nothing but never block calls.
        logging.Services.Configure<ConsoleLoggerOptions>(console => console.QueueFullMode = ConsoleLoggerQueueFullMode.Wait);
        logging.SetMinimumLevel(Enum.Parse<LogLevel>(options.Level, ignoreCase: true));
        // ASP.NET's per-request logs are noise at Information.
        logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        logging.AddFilter("Microsoft.Hosting.Lifetime", LogLevel.Information);
    }

    private static string PrepareDataDirectory(string path)
    {
        try
        {
            var full = Path.GetFullPath(path);
            if (!Directory.Exists(full))
            {
                if (OperatingSystem.IsWindows())
                    Directory.CreateDirectory(full);
                else
                    Directory.CreateDirectory(full, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            }
            Directory.CreateDirectory(Path.Combine(full, "recordings"));
            return full;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            throw new ConfigurationException("Storage:DataDirectory", $"cannot use '{path}': {ex.Message}");
        }
    }

    private static async Task HandleUnexpectedAsync(HttpContext context, RequestDelegate next)
    {
        try
        {
            await next(context).ConfigureAwait(false);
        }
        catch (Exception ex) when (!context.Response.HasStarted && !context.RequestAborted.IsCancellationRequested)
        {
            var badRequest = ex is BadHttpRequestException;
            if (!badRequest)
            {
                context.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger("Dialtone.Daemon.Api")
                    .LogError(ex, "Unhandled error on {Method} {Path}", context.Request.Method, context.Request.Path.Value);
            }
            var problem = badRequest
                ? new ApiProblem(ApiErrorCode.MalformedBody, "the request could not be read")
                : new ApiProblem(ApiErrorCode.InternalError, "an internal error occurred; it has been logged");
            context.Response.Clear();
            await problem.ToResult(ApiAuthentication.DialectOf(context)).ExecuteAsync(context).ConfigureAwait(false);
        }
    }
}
