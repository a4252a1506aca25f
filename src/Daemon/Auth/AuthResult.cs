namespace Dialtone.Daemon.Auth;

/// <summary>The outcome of <see cref="ApiKeyAuthenticator.Authenticate"/>.</summary>
public readonly record struct AuthResult(Account? Account, AuthFailure Failure)
{
    public bool IsAuthenticated => Account is not null;

    public static AuthResult Succeeded(Account account) => new(account, AuthFailure.None);

    public static AuthResult Failed(AuthFailure failure) => new(null, failure);
}
