namespace Dialtone.Daemon.Config;

/// <summary>One problem in the configuration, tied to the key it is about (<c>Trunks:0:Host</c>).</summary>
public sealed record ConfigurationError(string Key, string Message)
{
    public override string ToString() => $"{Key}: {Message}";
}
