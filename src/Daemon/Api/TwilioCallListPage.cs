namespace Dialtone.Daemon.Api;

/// <summary>Twilio's list envelope for Calls.json, which its client libraries page through by <see cref="NextPageUri"/>.</summary>
public sealed record TwilioCallListPage
{
    public required IReadOnlyList<TwilioCallResource> Calls { get; init; }
    public int End { get; init; }
    public required string FirstPageUri { get; init; }
    public string? NextPageUri { get; init; }
    public int Page { get; init; }
    public int PageSize { get; init; }
    public string? PreviousPageUri { get; init; }
    public int Start { get; init; }
    public required string Uri { get; init; }
}
