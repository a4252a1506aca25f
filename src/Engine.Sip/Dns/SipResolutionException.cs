namespace Dialtone.Engine.Sip.Dns;

/// <summary>Thrown by <see cref="SipTargetResolver"/> when a host yields no target; says why and for which name.</summary>
public sealed class SipResolutionException : Exception
{
    public SipResolutionException(SipResolutionError error, string host, string message, Exception? innerException = null)
        : base(message, innerException)
    {
        Error = error;
        Host = host;
    }

    public SipResolutionError Error { get; }

    /// <summary>The host that was being resolved.</summary>
    public string Host { get; }
}
