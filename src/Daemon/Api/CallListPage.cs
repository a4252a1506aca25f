namespace Dialtone.Daemon.Api;

/// <summary>A page of <c>GET /v1/calls</c>: newest first; follow <see cref="NextPageUri"/> until null.</summary>
public sealed record CallListPage
{
    public required IReadOnlyList<CallResource> Calls { get; init; }
    public int Page { get; init; }
    public int PageSize { get; init; }
    /// <summary>Calls matching the filters, on all pages.</summary>
    public int Total { get; init; }
    public required string Uri { get; init; }
    public required string FirstPageUri { get; init; }
    public string? NextPageUri { get; init; }
    public string? PreviousPageUri { get; init; }
}
