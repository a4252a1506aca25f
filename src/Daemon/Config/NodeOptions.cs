namespace Dialtone.Daemon.Config;

/// <summary>This node's identity among the nodes of one deployment.</summary>
public sealed class NodeOptions
{
    /// <summary>0–65535, unique per node: written into every call sid this node creates.</summary>
    public int Id { get; set; }
}
