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
         Dialtone {version} is running in demo mode (no SIP trunk is configured: calls go to the
         built-in demo carrier, which answers, records what it hears and decodes DTMF).
           REST API:  {baseUrl}
           Account:   {AccountSid}
           API key:   {ApiKey}
         Place a call that says a PIN, with every status callback sent back to the daemon itself:
           curl -s -X POST {baseUrl}/v1/calls -H 'apikey: {ApiKey}' \
             --data-urlencode from=+15005550100 --data-urlencode to=+15005550123 \
             --data-urlencode url={baseUrl}/demo/apps/pin.xml \
             --data-urlencode statusCallback={baseUrl}/demo/webhook \
             -d statusCallbackEvent=initiated,ringing,answered,completed -d senddigits=WW12#
         Then look at:
           curl -s {baseUrl}/demo/webhook/log                    # the callbacks, as your server would get them
           curl -s {baseUrl}/demo/carrier                        # what the callee heard: digits, recording file
           curl -s {baseUrl}/v1/calls -H 'apikey: {ApiKey}'      # your calls
         Numbers ending in 0486 are busy, 0603 decline, 0404 do not exist, 0408 never answer,
         77NN hang up after NN seconds; any other number answers.
         """;
}
