namespace Dialtone.Engine.Rtp.Bridging;

/// <summary>What a bridged stream does with its slot as far as relayed telephone events go.</summary>
internal enum RelayAction
{
    /// <summary>No relayed event: send audio.</summary>
    None,

    /// <summary>Send the relayed event packet that was written.</summary>
    Send,

    /// <summary>An event is in progress but no update is due: send nothing (audio stays paused).</summary>
    PauseAudio,
}
