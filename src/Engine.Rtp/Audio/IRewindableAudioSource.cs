namespace Dialtone.Engine.Rtp.Audio;

/// <summary>
/// A source that can play again from its start, which is what <see cref="LoopedAudioSource"/> needs.
/// </summary>
public interface IRewindableAudioSource : IAudioSource
{
    /// <summary>
    /// Moves back to the first sample so the source plays again. Called on the media thread: must
    /// not block or allocate.
    /// </summary>
    /// <returns>False when this source cannot play again (then it stays completed).</returns>
    bool Rewind();
}
