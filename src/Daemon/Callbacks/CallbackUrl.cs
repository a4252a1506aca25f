namespace Dialtone.Daemon.Callbacks;

/// <summary>Builds the URL a call's status callbacks go to.</summary>
public static class CallbackUrl
{
    /// <summary>
    /// The seed's <c>optional</c> token appended to the callback URL's query (before any fragment):
    /// <c>https://h/cb?a=1</c> + <c>token=123456</c> → <c>https://h/cb?a=1&amp;token=123456</c>.
    /// </summary>
    public static string WithOptional(string url, string? optional)
    {
        if (string.IsNullOrEmpty(optional))
            return url;
        var fragment = url.IndexOf('#');
        var head = fragment < 0 ? url : url[..fragment];
        var tail = fragment < 0 ? "" : url[fragment..];
        var separator = !head.Contains('?', StringComparison.Ordinal) ? "?" : head.EndsWith('?') || head.EndsWith('&') ? "" : "&";
        return string.Concat(head, separator, optional.TrimStart('?', '&'), tail);
    }

    /// <summary>Scheme, host and path only: what may be logged (the query may carry the apikey on GET).</summary>
    public static string Loggable(string url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var uri) ? uri.GetLeftPart(UriPartial.Path) : "(invalid url)";
}
