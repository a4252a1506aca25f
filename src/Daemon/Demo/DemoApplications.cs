namespace Dialtone.Daemon.Demo;

/// <summary>
/// The seed spec's two sample voice applications, served by the daemon in demo mode so the first
/// call needs no web server of one's own: "hello world", and the authentication call that says a PIN
/// digit by digit and hangs up (in the spec's own spelling, <c>&lt;hangup/&gt;</c>).
/// </summary>
public static class DemoApplications
{
    public const string HelloWorldPath = "/demo/apps/hello-world.xml";
    public const string PinPath = "/demo/apps/pin.xml";

    public const string HelloWorld =
        """
        <?xml version="1.0" encoding="UTF-8"?>
        <Response>
            <Say>Hello World</Say>
        </Response>
        """;

    public const string Pin =
        """
        <?xml version="1.0" encoding="UTF-8"?>
        <Response>
            <Say>Your pin is 8 9 70</Say>
            <hangup/>
        </Response>
        """;
}
