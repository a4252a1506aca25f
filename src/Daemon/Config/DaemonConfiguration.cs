using System.Collections;
using Microsoft.Extensions.Configuration;

namespace Dialtone.Daemon.Config;

/// <summary>
/// Loads the configuration: the JSON file named by <c>--config</c> (or <c>DIALTONE_CONFIG</c>), then
/// environment overrides <c>DIALTONE__Section__Key</c> (list items by index: <c>DIALTONE__Trunks__0__Host</c>),
/// then <c>--urls</c> for the REST listener. Validated before anything starts.
/// </summary>
public static class DaemonConfiguration
{
    public const string ConfigEnvironmentVariable = "DIALTONE_CONFIG";
    public const string OverridePrefix = "DIALTONE__";

    /// <summary>Reads the process's command line and environment.</summary>
    public static DaemonOptions Load(string[] args) => Load(args, ProcessEnvironment());

    /// <exception cref="ConfigurationException">Unreadable file, bad value, unknown key, or a failed check.</exception>
    public static DaemonOptions Load(string[] args, IReadOnlyDictionary<string, string?> environment)
    {
        string? configPath = null;
        string? urls = null;
        for (var i = 0; i < args.Length; i++)
        {
            var arg = args[i];
            if (TryOption(args, ref i, "--config", out var value))
                configPath = value;
            else if (TryOption(args, ref i, "--urls", out value))
                urls = value;
            else
                throw new ConfigurationException("(command line)", $"unknown argument '{arg}' (expected --config <file> or --urls <url>)");
        }
        configPath ??= Lookup(environment, ConfigEnvironmentVariable);

        var builder = new ConfigurationBuilder();
        if (!string.IsNullOrEmpty(configPath))
        {
            // Said in our words: the native binary carries no framework message texts (UseSystemResourceKeys).
            if (!File.Exists(configPath))
                throw new ConfigurationException("(config file)", $"'{configPath}' does not exist");
            byte[] json;
            try
            {
                json = File.ReadAllBytes(configPath);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                throw new ConfigurationException("(config file)", $"cannot read '{configPath}': {ex.Message}");
            }
            builder.AddJsonStream(new MemoryStream(json));
        }
        var overrides = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        foreach (var (name, value) in environment)
        {
            if (name.StartsWith(OverridePrefix, StringComparison.OrdinalIgnoreCase) && name.Length > OverridePrefix.Length)
                overrides[name[OverridePrefix.Length..].Replace("__", ":", StringComparison.Ordinal)] = value;
        }
        if (urls is not null)
            overrides["Api:Listen"] = urls;
        builder.AddInMemoryCollection(overrides);

        IConfigurationRoot root;
        try
        {
            root = builder.Build();
        }
        catch (Exception ex) when (ex is FormatException or InvalidDataException or System.Text.Json.JsonException)
        {
            throw new ConfigurationException("(config file)", $"'{configPath}' is not valid JSON: {(ex.InnerException ?? ex).Message}");
        }

        var options = new DaemonOptions();
        try
        {
            root.Bind(options, binder => binder.ErrorOnUnknownConfiguration = true);
        }
        catch (InvalidOperationException ex)
        {
            throw new ConfigurationException("(binding)", ex.Message);
        }
        ApplyDefaults(options, environment);
        var errors = DaemonOptionsValidator.Validate(options);
        if (errors.Count > 0)
            throw new ConfigurationException(errors);
        return options;
    }

    /// <summary>Defaults that depend on other values or on the environment.</summary>
    private static void ApplyDefaults(DaemonOptions options, IReadOnlyDictionary<string, string?> environment)
    {
        // Lists are bound by appending to what is there, so their defaults are filled in afterwards.
        if (options.Sip.Transports.Count == 0)
            options.Sip.Transports = ["udp", "tcp"];
        foreach (var trunk in options.Trunks)
        {
            if (trunk.Codecs.Count == 0)
                trunk.Codecs = ["PCMU", "PCMA"];
        }
        // Demo mode's apps and callback receivers run on this machine.
        options.Outbound.AllowLoopback ??= options.IsDemo;
        if (string.IsNullOrWhiteSpace(options.Storage.DataDirectory))
            options.Storage.DataDirectory = DefaultDataDirectory(environment);
    }

    private static string DefaultDataDirectory(IReadOnlyDictionary<string, string?> environment)
    {
        // systemd's StateDirectory= sets STATE_DIRECTORY (a colon-separated list; the first is ours).
        if (Lookup(environment, "STATE_DIRECTORY") is { Length: > 0 } state)
            return state.Split(':')[0];
        if (Lookup(environment, "XDG_DATA_HOME") is { Length: > 0 } xdg)
            return Path.Combine(xdg, "dialtone");
        var home = Lookup(environment, "HOME") is { Length: > 0 } h ? h : Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        return Path.Combine(home, ".local", "share", "dialtone");
    }

    private static bool TryOption(string[] args, ref int index, string name, out string value)
    {
        var arg = args[index];
        if (arg.StartsWith(name + "=", StringComparison.Ordinal))
        {
            value = arg[(name.Length + 1)..];
            return true;
        }
        if (arg == name)
        {
            if (index + 1 >= args.Length)
                throw new ConfigurationException("(command line)", $"{name} needs a value");
            value = args[++index];
            return true;
        }
        value = "";
        return false;
    }

    private static string? Lookup(IReadOnlyDictionary<string, string?> environment, string name) =>
        environment.TryGetValue(name, out var value) ? value : null;

    private static Dictionary<string, string?> ProcessEnvironment()
    {
        var result = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (DictionaryEntry entry in Environment.GetEnvironmentVariables())
            result[(string)entry.Key] = entry.Value as string;
        return result;
    }
}
