namespace Dialtone.Daemon.Config;

/// <summary>Which caller IDs a trunk may present.</summary>
public sealed class CallerIdRules
{
    /// <summary>
    /// Patterns a caller ID must match: an exact number, or a prefix ending in <c>*</c>
    /// (<c>+1949*</c>). Empty: any caller ID.
    /// </summary>
    public List<string> Allow { get; set; } = [];

    /// <summary>Presented instead when the requested caller ID is not allowed; null refuses such calls.</summary>
    public string? Default { get; set; }

    /// <summary>The caller ID to present for <paramref name="requested"/>, or null when it may not be used.</summary>
    public string? Resolve(string requested)
    {
        if (Allow.Count == 0 || Allow.Any(pattern => Matches(pattern, requested)))
            return requested;
        return Default;
    }

    public static bool Matches(string pattern, string callerId) =>
        pattern.EndsWith('*')
            ? callerId.StartsWith(pattern.AsSpan(0, pattern.Length - 1), StringComparison.Ordinal)
            : string.Equals(pattern, callerId, StringComparison.Ordinal);
}
