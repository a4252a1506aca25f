namespace Dialtone.Engine.VoiceXml.Parsing;

/// <summary>A warning about a document that did not stop it (an unknown verb skipped, an unsupported option).</summary>
public sealed record VoiceDiagnostic(string Message, int Line, int Position)
{
    public override string ToString() => Line > 0 ? $"line {Line}, position {Position}: {Message}" : Message;
}
