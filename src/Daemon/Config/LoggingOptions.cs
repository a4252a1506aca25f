namespace Dialtone.Daemon.Config;

/// <summary>Log output.</summary>
public sealed class LoggingOptions
{
    /// <summary>Trace, Debug, Information, Warning, Error or Critical.</summary>
    public string Level { get; set; } = "Information";

    /// <summary>json (structured, one object per line) or text.</summary>
    public string Format { get; set; } = "json";
}
