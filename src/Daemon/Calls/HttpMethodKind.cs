namespace Dialtone.Daemon.Calls;

/// <summary>The two methods customers may choose for their webhooks.</summary>
public enum HttpMethodKind
{
    Post,
    Get,
}
