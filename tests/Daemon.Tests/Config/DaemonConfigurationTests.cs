using Dialtone.Daemon.Config;
using Dialtone.Daemon.Tests.Support;

namespace Dialtone.Daemon.Tests.Config;

public sealed class DaemonConfigurationTests
{
    private static readonly string GoodFile = Vectors.PathOf("config/good.json");

    private static Dictionary<string, string?> Environment(params (string, string?)[] variables)
    {
        var env = new Dictionary<string, string?> { ["HOME"] = "/home/test" };
        foreach (var (name, value) in variables)
            env[name] = value;
        return env;
    }

    [Fact]
    public void A_good_file_loads_every_section()
    {
        var o = DaemonConfiguration.Load(["--config", GoodFile], Environment());

        Assert.Equal(7, o.Node.Id);
        Assert.Equal(("http://127.0.0.1:8181", "https://voice.example.com", 32768), (o.Api.Listen, o.Api.PublicUrl, o.Api.MaxBodyBytes));
        Assert.Equal((20, 200, OverLimitAction.Reject), (o.Limits.MaxActiveCallsPerAccount, o.Limits.MaxQueuedCallsPerAccount, o.Limits.OverLimit));
        Assert.Equal(("0.0.0.0", 5070, "203.0.113.10"), (o.Sip.ListenAddress, o.Sip.Port, o.Sip.AdvertisedAddress));
        Assert.Equal(["udp"], o.Sip.Transports);
        Assert.Equal((20000, 20100), (o.Rtp.PortMin, o.Rtp.PortMax));
        Assert.Equal("/var/lib/dialtone", o.Storage.DataDirectory);
        Assert.Equal((16, 5d, 2d, 600d, 10, 3600d),
            (o.Callbacks.Workers, o.Callbacks.RequestTimeoutSeconds, o.Callbacks.InitialBackoffSeconds, o.Callbacks.MaxBackoffSeconds, o.Callbacks.MaxAttempts, o.Callbacks.MaxAgeSeconds));
        Assert.Equal((false, true), (o.Outbound.AllowLoopback, o.Outbound.AllowPrivate));
        Assert.Equal(45, o.Shutdown.GracePeriodSeconds);
        var account = Assert.Single(o.Accounts);
        Assert.Equal(["acme-primary-key-0001", "acme-rotated-key-0002"], account.Keys);
        Assert.Equal(5, account.MaxActiveCalls);
        var trunk = Assert.Single(o.Trunks);
        Assert.Equal(("carrier", "sip.carrier.example.net", 5060, "tcp", "acme", "trunk-password", "carrier.example.net"),
            (trunk.Name, trunk.Host, trunk.Port, trunk.Transport, trunk.Username, trunk.Password, trunk.Realm));
        Assert.Equal(["PCMA"], trunk.Codecs);
        Assert.Equal((5d, 50), (trunk.Cps, trunk.MaxCalls));
        Assert.Equal("+19499300360", trunk.CallerId.Resolve("+12125550100"));
        Assert.Equal("+19495550100", trunk.CallerId.Resolve("+19495550100"));
        Assert.False(o.IsDemo);
    }

    [Fact]
    public void The_shipped_example_configuration_is_valid()
    {
        var o = DaemonConfiguration.Load(["--config", Path.Combine(AppContext.BaseDirectory, "docs", "dialtone.example.json")], Environment());

        Assert.False(o.IsDemo);
        Assert.Equal("carrier", Assert.Single(o.Trunks).Name);
    }

    [Fact]
    public void The_config_file_can_come_from_DIALTONE_CONFIG()
    {
        var o = DaemonConfiguration.Load([], Environment(("DIALTONE_CONFIG", GoodFile)));

        Assert.Equal(7, o.Node.Id);
    }

    [Fact]
    public void Environment_overrides_win_over_the_file_and_reach_list_items()
    {
        var o = DaemonConfiguration.Load([$"--config={GoodFile}"], Environment(
            ("DIALTONE__Node__Id", "9"),
            ("dialtone__api__listen", "http://127.0.0.1:9999"),
            ("DIALTONE__Trunks__0__Password", "from-a-secret-store"),
            ("DIALTONE__Accounts__0__Keys__2", "acme-third-key-00003"),
            ("UNRELATED", "x")));

        Assert.Equal(9, o.Node.Id);
        Assert.Equal("http://127.0.0.1:9999", o.Api.Listen);
        Assert.Equal("from-a-secret-store", o.Trunks[0].Password);
        Assert.Equal(3, o.Accounts[0].Keys.Count);
    }

    [Fact]
    public void The_urls_argument_sets_the_listener()
    {
        var o = DaemonConfiguration.Load(["--urls", "http://127.0.0.1:4567", "--config", GoodFile], Environment());

        Assert.Equal("http://127.0.0.1:4567", o.Api.Listen);
    }

    [Fact]
    public void With_no_file_the_defaults_give_demo_mode()
    {
        var o = DaemonConfiguration.Load([], Environment());

        Assert.True(o.IsDemo);
        Assert.Equal(ApiOptions.DefaultListen, o.Api.Listen);
        Assert.Equal(["udp", "tcp"], o.Sip.Transports);
        Assert.Equal((5060, 10000, 20000), (o.Sip.Port, o.Rtp.PortMin, o.Rtp.PortMax));
        Assert.Equal(60, o.Rtp.InactivityTimeoutSeconds);
        Assert.True(o.Outbound.AllowLoopback);
        Assert.Equal("/home/test/.local/share/dialtone", o.Storage.DataDirectory);
    }

    [Theory]
    [InlineData("STATE_DIRECTORY", "/var/lib/dialtone:/var/lib/other", "/var/lib/dialtone")]
    [InlineData("XDG_DATA_HOME", "/data", "/data/dialtone")]
    public void The_data_directory_defaults_to_systemds_or_xdgs(string variable, string value, string expected) =>
        Assert.Equal(expected, DaemonConfiguration.Load([], Environment((variable, value))).Storage.DataDirectory);

    public static TheoryData<string, string> BadValues()
    {
        var data = new TheoryData<string, string>();
        foreach (var row in Vectors.Rows("config/bad-values.tsv"))
            data.Add(row[0], row[1]);
        return data;
    }

    [Theory]
    [MemberData(nameof(BadValues))]
    public void Each_bad_value_is_refused_naming_its_key(string assignment, string key)
    {
        var equals = assignment.IndexOf('=');
        var env = Environment((assignment[..equals], assignment[(equals + 1)..]));

        var error = Assert.Throws<ConfigurationException>(() => DaemonConfiguration.Load(["--config", GoodFile], env));

        Assert.Contains(key, error.Message);
    }

    [Theory]
    [InlineData("0", 0)]
    [InlineData("90", 90)]
    public void The_media_inactivity_timeout_can_be_turned_off_or_changed(string value, double expected)
    {
        var o = DaemonConfiguration.Load(["--config", GoodFile], Environment(("DIALTONE__Rtp__InactivityTimeoutSeconds", value)));

        Assert.Equal(expected, o.Rtp.InactivityTimeoutSeconds);
    }

    [Fact]
    public void A_negative_media_inactivity_timeout_is_refused_saying_zero_turns_it_off()
    {
        var env = Environment(("DIALTONE__Rtp__InactivityTimeoutSeconds", "-30"));

        var error = Assert.Throws<ConfigurationException>(() => DaemonConfiguration.Load(["--config", GoodFile], env));

        ConfigurationError only = Assert.Single(error.Errors);
        Assert.Equal("Rtp:InactivityTimeoutSeconds", only.Key);
        Assert.Contains("must not be negative (0 turns the media timeout off), got -30", only.Message);
    }

    [Fact]
    public void Keys_are_never_echoed_in_errors()
    {
        var env = Environment(("DIALTONE__Accounts__0__Keys__1", "acme-primary-key-0001"), ("DIALTONE__Accounts__0__Keys__2", "tiny-key"));

        var error = Assert.Throws<ConfigurationException>(() => DaemonConfiguration.Load(["--config", GoodFile], env));

        Assert.DoesNotContain("acme-primary-key-0001", error.Message);
        Assert.DoesNotContain("tiny-key", error.Message);
        Assert.Equal(2, error.Errors.Count);
    }

    [Fact]
    public void Carrier_mode_needs_an_account()
    {
        using var dir = new TempDirectory();
        var path = dir.File("no-accounts.json");
        File.WriteAllText(path, """{ "Trunks": [ { "Name": "t", "Host": "sip.example.net" } ] }""");

        var error = Assert.Throws<ConfigurationException>(() => DaemonConfiguration.Load(["--config", path], Environment()));

        Assert.Equal("Accounts", Assert.Single(error.Errors).Key);
    }

    [Fact]
    public void A_missing_file_is_named()
    {
        var error = Assert.Throws<ConfigurationException>(() => DaemonConfiguration.Load(["--config", "/nonexistent/dialtone.json"], Environment()));

        Assert.Contains("/nonexistent/dialtone.json", error.Message);
    }

    [Fact]
    public void A_file_that_is_not_json_is_named()
    {
        using var dir = new TempDirectory();
        var path = dir.File("broken.json");
        File.WriteAllText(path, "{ \"Node\": { \"Id\": 1 ");

        var error = Assert.Throws<ConfigurationException>(() => DaemonConfiguration.Load(["--config", path], Environment()));

        Assert.Contains("not valid JSON", error.Message);
    }

    [Theory]
    [InlineData("--verbose")]
    [InlineData("--config")]
    public void Unknown_or_incomplete_arguments_are_refused(string argument) =>
        Assert.Throws<ConfigurationException>(() => DaemonConfiguration.Load([argument], Environment()));

    [Fact]
    public void An_unusable_data_directory_stops_the_start_naming_the_key()
    {
        using var dir = new TempDirectory();
        var file = dir.File("a-file");
        File.WriteAllText(file, "");
        var options = TestDaemon.Options(Path.Combine(file, "data"));

        var error = Assert.Throws<ConfigurationException>(() => DaemonHost.Build(options));

        Assert.Equal("Storage:DataDirectory", Assert.Single(error.Errors).Key);
    }
}
