namespace Dialtone.Engine.Dtmf;

/// <summary>A received DTMF digit.</summary>
/// <param name="Digit">0-9, *, #, A-D.</param>
/// <param name="Duration">How long the key was down, as far as known when reported.</param>
/// <param name="Source">How the digit arrived.</param>
public readonly record struct DtmfDigit(char Digit, TimeSpan Duration, DtmfSource Source);
