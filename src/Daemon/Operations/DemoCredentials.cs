using System.Security.Cryptography;
using Dialtone.Daemon.Calls;

namespace Dialtone.Daemon.Operations;

/// <summary>
/// Demo mode's account: made up on first start and kept in the data directory (owner-only), so the
/// key printed at start stays the same from one run to the next.
/// </summary>
public sealed record DemoCredentials(string AccountSid, string ApiKey)
{
    public const string FileName = "demo-account";

    public static DemoCredentials LoadOrCreate(string dataDirectory)
    {
        var path = Path.Combine(dataDirectory, FileName);
        if (File.Exists(path))
        {
            var lines = File.ReadAllLines(path);
            if (lines.Length >= 2 && Sid.IsAccountSid(lines[0]) && lines[1].Length >= 16)
                return new DemoCredentials(lines[0], lines[1]);
        }
        var created = new DemoCredentials(Sid.NewAccountSid(), "dt_demo_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16)));
        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        using (var writer = new StreamWriter(path, options))
            writer.Write($"{created.AccountSid}\n{created.ApiKey}\n");
        return created;
    }

    /// <summary>The start-up banner: where the API is, the key, and a curl to paste.</summary>
    public string Banner(string baseUrl, string version) =>
        $"""
         Dialtone {version} is running in demo mode (no SIP trunk is configured).
           REST API:  {baseUrl}
           Account:   {AccountSid}
           API key:   {ApiKey}
         Place a call:
           curl -s -X POST {baseUrl}/v1/calls -H 'apikey: {ApiKey}' --data-urlencode from=+15005550100 --data-urlencode to=+15005550123 -d statusCallbackEvent=initiated,ringing,answered,completed
         List your calls:
           curl -s {baseUrl}/v1/calls -H 'apikey: {ApiKey}'
         """;
}
