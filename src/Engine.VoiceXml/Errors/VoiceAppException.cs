namespace Dialtone.Engine.VoiceXml.Errors;

/// <summary>
/// A voice application failed in a way the customer should hear about: a stable
/// <see cref="Code"/> (one of <see cref="VoiceAppErrorCode"/>) and a human message.
/// </summary>
public sealed class VoiceAppException : Exception
{
    public VoiceAppException(string code, string message, Exception? innerException = null)
        : base(message, innerException)
    {
        Code = code;
    }

    /// <summary>One of the <see cref="VoiceAppErrorCode"/> values.</summary>
    public string Code { get; }

    public override string ToString() => $"{Code}: {Message}";
}
