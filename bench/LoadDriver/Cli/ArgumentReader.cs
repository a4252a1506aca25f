using System.Globalization;

namespace Dialtone.LoadDriver.Cli;

/// <summary>
/// <c>--name value</c> options and <c>--flag</c> switches after a command word. Every option is read
/// at most once through the typed getters; <see cref="ThrowOnUnused"/> then rejects the rest, so a
/// mistyped option is an error rather than a silently ignored default.
/// </summary>
public sealed class ArgumentReader
{
    private readonly Dictionary<string, string?> _values = new(StringComparer.Ordinal);
    private readonly HashSet<string> _used = new(StringComparer.Ordinal);

    public ArgumentReader(IReadOnlyList<string> args)
    {
        for (var i = 0; i < args.Count; i++)
        {
            var name = args[i];
            if (!name.StartsWith("--", StringComparison.Ordinal) || name.Length < 3)
                throw new UsageException($"expected an option (--name), got '{name}'");
            string? value = null;
            if (i + 1 < args.Count && !args[i + 1].StartsWith("--", StringComparison.Ordinal))
                value = args[++i];
            if (!_values.TryAdd(name[2..], value))
                throw new UsageException($"{name} is given twice");
        }
    }

    public string? Text(string name)
    {
        _used.Add(name);
        if (!_values.TryGetValue(name, out var value))
            return null;
        return value ?? throw new UsageException($"--{name} needs a value");
    }

    public string RequiredText(string name) => Text(name) ?? throw new UsageException($"--{name} is required");

    public bool Flag(string name)
    {
        _used.Add(name);
        if (!_values.TryGetValue(name, out var value))
            return false;
        return value is null ? true : throw new UsageException($"--{name} takes no value, got '{value}'");
    }

    public double? Number(string name, double min, double max)
    {
        var text = Text(name);
        if (text is null)
            return null;
        if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) || double.IsNaN(value))
            throw new UsageException($"--{name} must be a number, got '{text}'");
        if (value < min || value > max)
            throw new UsageException($"--{name} must be {min.ToString(CultureInfo.InvariantCulture)} to {max.ToString(CultureInfo.InvariantCulture)}, got {text}");
        return value;
    }

    public int? Integer(string name, int min, int max)
    {
        var value = Number(name, min, max);
        if (value is null)
            return null;
        if (value != Math.Floor(value.Value))
            throw new UsageException($"--{name} must be a whole number");
        return (int)value.Value;
    }

    /// <summary>A comma-separated list (empty when the option is absent).</summary>
    public IReadOnlyList<string> List(string name) =>
        Text(name)?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) ?? [];

    public void ThrowOnUnused()
    {
        foreach (var name in _values.Keys)
        {
            if (!_used.Contains(name))
                throw new UsageException($"unknown option --{name}");
        }
    }
}
