namespace Dialtone.Engine.Sip.Addressing;

/// <summary>One ";name[=value]" parameter: spans into the message bytes.</summary>
public readonly ref struct SipParameter
{
    internal SipParameter(ReadOnlySpan<byte> name, ReadOnlySpan<byte> value, bool hasValue)
    {
        Name = name;
        Value = value;
        HasValue = hasValue;
    }

    /// <summary>The parameter name as received.</summary>
    public ReadOnlySpan<byte> Name { get; }

    /// <summary>The raw value (a quoted value keeps its quotes); empty when there is none.</summary>
    public ReadOnlySpan<byte> Value { get; }

    /// <summary>True when the parameter had "=value".</summary>
    public bool HasValue { get; }
}
