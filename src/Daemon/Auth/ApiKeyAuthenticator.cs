using System.Security.Cryptography;
using System.Text;
using Dialtone.Daemon.Config;

namespace Dialtone.Daemon.Auth;

/// <summary>
/// Checks API keys in the three forms customers send them: an <c>apikey:</c> header (the seed spec's),
/// <c>Authorization: Bearer &lt;key&gt;</c>, or HTTP Basic <c>accountSid:key</c> (Twilio's, RFC 7617).
/// </summary>
/// <remarks>
/// Keys are kept only as SHA-256 hashes, and a presented key is compared with every configured one by
/// <see cref="CryptographicOperations.FixedTimeEquals"/> on the hashes, without stopping at a match,
/// so the time taken says nothing about which key (or how much of one) was right.
/// </remarks>
public sealed class ApiKeyAuthenticator
{
    public const string ApiKeyHeader = "apikey";

    private readonly (byte[] Hash, Account Account)[] _keys;

    public ApiKeyAuthenticator(IEnumerable<AccountOptions> accounts, AccountDirectory directory)
    {
        var keys = new List<(byte[], Account)>();
        foreach (var options in accounts)
        {
            var account = directory.Find(options.Sid) ?? throw new ArgumentException($"account {options.Sid} is not in the directory");
            foreach (var key in options.Keys)
                keys.Add((Hash(key), account));
        }
        _keys = [.. keys];
    }

    /// <summary>Authenticates a request from its <c>apikey</c> and <c>Authorization</c> header values.</summary>
    public AuthResult Authenticate(string? apiKeyHeader, string? authorizationHeader)
    {
        if (!string.IsNullOrEmpty(apiKeyHeader))
            return Check(apiKeyHeader.Trim(), requiredAccountSid: null);
        if (string.IsNullOrWhiteSpace(authorizationHeader))
            return AuthResult.Failed(AuthFailure.Missing);

        var value = authorizationHeader.Trim();
        var space = value.IndexOf(' ');
        if (space <= 0)
            return AuthResult.Failed(AuthFailure.Malformed);
        var scheme = value[..space];
        var credentials = value[(space + 1)..].Trim();
        // Auth schemes are case-insensitive (RFC 9110 §11.1).
        if (scheme.Equals("Bearer", StringComparison.OrdinalIgnoreCase))
            return credentials.Length == 0 ? AuthResult.Failed(AuthFailure.Malformed) : Check(credentials, requiredAccountSid: null);
        if (!scheme.Equals("Basic", StringComparison.OrdinalIgnoreCase))
            return AuthResult.Failed(AuthFailure.Malformed);

        string decoded;
        try
        {
            decoded = Encoding.UTF8.GetString(Convert.FromBase64String(credentials));
        }
        catch (FormatException)
        {
            return AuthResult.Failed(AuthFailure.Malformed);
        }
        // RFC 7617 §2: the user-id cannot contain a colon; the password (our key) may.
        var colon = decoded.IndexOf(':');
        if (colon <= 0)
            return AuthResult.Failed(AuthFailure.Malformed);
        return Check(decoded[(colon + 1)..], requiredAccountSid: decoded[..colon]);
    }

    private AuthResult Check(string presented, string? requiredAccountSid)
    {
        var hash = Hash(presented);
        Account? found = null;
        foreach (var (keyHash, account) in _keys)
        {
            // Every key is compared; no early exit.
            if (CryptographicOperations.FixedTimeEquals(hash, keyHash))
                found = account;
        }
        if (found is null)
            return AuthResult.Failed(AuthFailure.InvalidKey);
        if (requiredAccountSid is not null && !string.Equals(found.Sid, requiredAccountSid, StringComparison.OrdinalIgnoreCase))
            return AuthResult.Failed(AuthFailure.InvalidKey);
        return AuthResult.Succeeded(found);
    }

    private static byte[] Hash(string key) => SHA256.HashData(Encoding.UTF8.GetBytes(key));
}
