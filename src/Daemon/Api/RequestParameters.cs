namespace Dialtone.Daemon.Api;

/// <summary>
/// A request's parameters by name, matched case-insensitively (the seed's <c>senddigits</c> and
/// Twilio's <c>SendDigits</c> are one parameter), each with every value sent, in order.
/// </summary>
public sealed class RequestParameters
{
    private readonly Dictionary<string, List<string>> _values = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, string> _spelling = new(StringComparer.OrdinalIgnoreCase);

    public static RequestParameters Empty => new();

    public IEnumerable<string> Names => _spelling.Values;

    public void Add(string name, string value)
    {
        if (!_values.TryGetValue(name, out var list))
        {
            list = [];
            _values[name] = list;
            _spelling[name] = name;
        }
        list.Add(value);
    }

    public bool Contains(string name) => _values.ContainsKey(name);

    /// <summary>The name as the caller spelled it (for error messages), or <paramref name="name"/>.</summary>
    public string SpellingOf(string name) => _spelling.GetValueOrDefault(name, name);

    public IReadOnlyList<string> All(string name) => _values.TryGetValue(name, out var list) ? list : [];
}
