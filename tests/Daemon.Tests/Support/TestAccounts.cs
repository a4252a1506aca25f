namespace Dialtone.Daemon.Tests.Support;

/// <summary>The accounts every test daemon is configured with.</summary>
public static class TestAccounts
{
    public const string FirstSid = "AC0123456789abcdef0123456789abcdef";
    public const string FirstKey = "first-account-key-0001";
    public const string FirstSecondKey = "first-account-key-0002";
    public const string OtherSid = "ACfedcba9876543210fedcba9876543210";
    public const string OtherKey = "other-account-key-0001";
}
