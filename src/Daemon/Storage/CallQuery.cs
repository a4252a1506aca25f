using Dialtone.Daemon.Calls;

namespace Dialtone.Daemon.Storage;

/// <summary>A filtered, paged listing of one account's calls, newest first.</summary>
public sealed record CallQuery
{
    public required string AccountSid { get; init; }

    public CallStatus? Status { get; init; }

    public string? To { get; init; }

    public string? From { get; init; }

    public string? ParentSid { get; init; }

    /// <summary>Zero-based page number.</summary>
    public int Page { get; init; }

    public int PageSize { get; init; } = 50;
}
