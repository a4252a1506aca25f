namespace Dialtone.Daemon.Calls;

/// <summary>Spellings of <see cref="CallEvent"/> values and the event each state change raises.</summary>
public static class CallEventText
{
    /// <summary>The event name as the seed spec writes it (<c>initiated</c>, <c>ringing</c>, <c>answered</c>, <c>completed</c>).</summary>
    public static string Of(CallEvent single) => single switch
    {
        CallEvent.Initiated => "initiated",
        CallEvent.Ringing => "ringing",
        CallEvent.Answered => "answered",
        CallEvent.Completed => "completed",
        _ => throw new ArgumentOutOfRangeException(nameof(single), single, "one event expected"),
    };

    /// <summary>Parses one event name; Twilio's <c>in-progress</c> is another name for <c>answered</c>.</summary>
    public static bool TryParse(ReadOnlySpan<char> name, out CallEvent single)
    {
        single = name switch
        {
            _ when name.Equals("initiated", StringComparison.OrdinalIgnoreCase) => CallEvent.Initiated,
            _ when name.Equals("ringing", StringComparison.OrdinalIgnoreCase) => CallEvent.Ringing,
            _ when name.Equals("answered", StringComparison.OrdinalIgnoreCase) => CallEvent.Answered,
            _ when name.Equals("in-progress", StringComparison.OrdinalIgnoreCase) => CallEvent.Answered,
            _ when name.Equals("completed", StringComparison.OrdinalIgnoreCase) => CallEvent.Completed,
            _ => CallEvent.None,
        };
        return single != CallEvent.None;
    }

    /// <summary>Parses a set read back from storage (written by <see cref="Format"/>).</summary>
    public static CallEvent ParseSet(string text)
    {
        var set = CallEvent.None;
        foreach (var range in text.AsSpan().Split(' '))
        {
            var part = text.AsSpan()[range];
            if (part.IsEmpty)
                continue;
            if (!TryParse(part, out var single))
                throw new FormatException($"'{text}' is not a set of call events");
            set |= single;
        }
        return set;
    }

    /// <summary>Space-separated names in event order.</summary>
    public static string Format(CallEvent set)
    {
        var names = new List<string>(4);
        foreach (var single in (ReadOnlySpan<CallEvent>)[CallEvent.Initiated, CallEvent.Ringing, CallEvent.Answered, CallEvent.Completed])
        {
            if ((set & single) != 0)
                names.Add(Of(single));
        }
        return string.Join(' ', names);
    }

    /// <summary>The event raised by entering <paramref name="status"/>, or <see cref="CallEvent.None"/>.</summary>
    public static CallEvent RaisedBy(CallStatus status) => status switch
    {
        CallStatus.Initiated => CallEvent.Initiated,
        CallStatus.Ringing => CallEvent.Ringing,
        CallStatus.InProgress => CallEvent.Answered,
        CallStatus.Queued => CallEvent.None,
        _ => CallEvent.Completed,
    };
}
