namespace Dialtone.Engine.Rtp.Streams;

/// <summary>
/// Raises a stream's <see cref="RtpStream.RemoteGoodbye"/> on the thread pool. Made once per stream, so
/// that a media thread which reads the BYE hands the handler off without allocating.
/// </summary>
internal sealed class GoodbyeNotification(RtpStream stream) : IThreadPoolWorkItem
{
    public void Execute() => stream.RaiseRemoteGoodbyeNow();
}
