namespace Dialtone.Daemon.Config;

/// <summary>The REST API's listener and request limits.</summary>
public sealed class ApiOptions
{
    public const string DefaultListen = "http://127.0.0.1:8080";

    /// <summary>Where Kestrel listens (one absolute http or https URL; port 0 picks a free port).</summary>
    public string Listen { get; set; } = DefaultListen;

    /// <summary>The base URL customers reach the API at (for RecordingUrl); defaults to the listen address.</summary>
    public string? PublicUrl { get; set; }

    /// <summary>Largest request body accepted (bytes).</summary>
    public int MaxBodyBytes { get; set; } = 64 * 1024;

    public int DefaultPageSize { get; set; } = 50;

    public int MaxPageSize { get; set; } = 1000;
}
