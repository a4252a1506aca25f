using Dialtone.Daemon.Config;

namespace Dialtone.Daemon.Auth;

/// <summary>The configured accounts, by sid, with their limits resolved.</summary>
public sealed class AccountDirectory
{
    private readonly Dictionary<string, Account> _accounts = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _signingKeys = new(StringComparer.Ordinal);

    public AccountDirectory(IEnumerable<AccountOptions> accounts, LimitsOptions limits)
    {
        foreach (var options in accounts)
        {
            var account = new Account(options.Sid, options.Name,
                options.MaxActiveCalls ?? limits.MaxActiveCallsPerAccount,
                options.MaxQueuedCalls ?? limits.MaxQueuedCallsPerAccount);
            _accounts.Add(account.Sid, account);
            if (options.Keys.Count > 0)
                _signingKeys.Add(account.Sid, options.Keys[0]);
        }
    }

    public IEnumerable<Account> All => _accounts.Values;

    public Account? Find(string sid) => _accounts.GetValueOrDefault(sid);

    /// <summary>The key that signs Twilio-dialect callbacks (the account's first key: Twilio's primary auth token).</summary>
    public string? SigningKeyOf(string accountSid) => _signingKeys.GetValueOrDefault(accountSid);
}
