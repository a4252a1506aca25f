using System.Collections.Concurrent;

namespace Dialtone.LoadDriver.Receiving;

/// <summary>The calls of a run, found by index (the driver) or by their unique <c>To</c> (the callbacks).</summary>
public sealed class CallTraceBook
{
    private readonly ConcurrentDictionary<string, CallTrace> _byTo = new(StringComparer.Ordinal);
    private readonly List<CallTrace> _all = [];
    private readonly Lock _lock = new();

    public CallTrace Add(int index, string to)
    {
        var trace = new CallTrace(index, to);
        if (!_byTo.TryAdd(to, trace))
            throw new InvalidOperationException($"the number {to} is already used by another call of this run");
        lock (_lock)
            _all.Add(trace);
        return trace;
    }

    public CallTrace? Find(string? to) => to is not null && _byTo.TryGetValue(to, out var trace) ? trace : null;

    public IReadOnlyList<CallTrace> All
    {
        get
        {
            lock (_lock)
                return [.. _all];
        }
    }
}
