namespace Dialtone.Daemon.Config;

/// <summary>The configuration cannot be used; <see cref="Errors"/> says why, key by key.</summary>
public sealed class ConfigurationException(IReadOnlyList<ConfigurationError> errors)
    : Exception("invalid configuration:" + string.Concat(errors.Select(e => "\n  " + e)))
{
    public IReadOnlyList<ConfigurationError> Errors { get; } = errors;

    public ConfigurationException(string key, string message)
        : this([new ConfigurationError(key, message)])
    {
    }
}
