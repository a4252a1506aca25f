namespace Dialtone.Daemon.Operations;

/// <summary>The label values of one series (up to three labels): a value type, so looking a series up allocates nothing.</summary>
internal readonly record struct LabelValues(string? First, string? Second, string? Third)
{
    public int Count => Third is not null ? 3 : Second is not null ? 2 : First is not null ? 1 : 0;

    public string? this[int index] => index switch
    {
        0 => First,
        1 => Second,
        2 => Third,
        _ => throw new ArgumentOutOfRangeException(nameof(index)),
    };
}
