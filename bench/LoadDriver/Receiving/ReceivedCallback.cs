namespace Dialtone.LoadDriver.Receiving;

/// <summary>One status callback as it arrived: its method and every field, in order.</summary>
public sealed record ReceivedCallback(string Method, string Path, string Query, IReadOnlyList<KeyValuePair<string, string>> Fields)
{
    public string? this[string name] => Fields.FirstOrDefault(f => f.Key == name).Value;
}
