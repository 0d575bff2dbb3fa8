using CiliumDash.Configuration;
using CiliumDash.Simulator.Cluster;

namespace CiliumDash.Tests.Configuration;

public sealed class CiliumDashOptionsValidatorTests
{
    private static readonly CiliumDashOptionsValidator Validator = new();

    [Fact]
    public void Validate_Defaults_Succeed() =>
        Assert.True(Validator.Validate(null, new CiliumDashOptions()).Succeeded);

    [Fact]
    public void Validate_SeveralBadKeys_AllNamedInOneMessage()
    {
        var options = new CiliumDashOptions
        {
            Kubernetes = new KubernetesOptions { Namespace = " ", PollInterval = TimeSpan.FromMilliseconds(10), MaxConcurrentExecs = 0 },
            Relay = new RelayOptions { Address = "hubble-relay:80" },
            Flows = new FlowOptions { WindowSize = 5 },
        };

        var result = Validator.Validate(null, options);

        Assert.True(result.Failed);
        var message = result.FailureMessage;
        Assert.Contains("CiliumDash:Kubernetes:Namespace: must not be empty.", message);
        Assert.Contains("CiliumDash:Kubernetes:PollInterval: must be at least 00:00:01.", message);
        Assert.Contains("CiliumDash:Kubernetes:MaxConcurrentExecs: must be 1 to 512.", message);
        Assert.Contains("CiliumDash:Relay:Address: 'hubble-relay:80' is not an http:// or https:// address", message);
        Assert.Contains("CiliumDash:Flows:WindowSize: must be 100 to 1000000.", message);
        Assert.Equal(5, result.Failures!.Count());
    }

    [Fact]
    public void Validate_ConnectivityOutOfRange_EveryKeyNamed()
    {
        var options = new CiliumDashOptions
        {
            Connectivity = new ConnectivityOptions
            {
                HistoryWindow = TimeSpan.FromDays(30),
                HistoryResolution = TimeSpan.FromSeconds(1),
                DegradationFactor = 1,
                BaselineSamples = 9,
                MaxEvents = 1,
            },
        };

        var failures = Validator.Validate(null, options).Failures!.ToList();

        Assert.Equal(
            ["CiliumDash:Connectivity:HistoryWindow: must be at least HistoryResolution and at most 7.00:00:00.",
             "CiliumDash:Connectivity:HistoryWindow: holds at most 10080 samples (HistoryWindow ÷ HistoryResolution); memory grows with nodes² × samples.",
             "CiliumDash:Connectivity:DegradationFactor: must be above 1 and at most 1000.",
             "CiliumDash:Connectivity:BaselineSamples: must be 1 to 7.",
             "CiliumDash:Connectivity:MaxEvents: must be 10 to 100000."],
            failures);
    }

    [Fact]
    public void Validate_MetricsIntervalUnderTenSeconds_Named()
    {
        var options = new CiliumDashOptions { Kubernetes = new KubernetesOptions { MetricsInterval = TimeSpan.FromSeconds(9) } };

        var failure = Assert.Single(Validator.Validate(null, options).Failures!);

        Assert.Equal("CiliumDash:Kubernetes:MetricsInterval: must be at least 00:00:10.", failure);
    }

    [Fact]
    public void Validate_UndefinedEnumsAndSimulatorRanges_Named()
    {
        var options = new CiliumDashOptions
        {
            Source = (DataSource)9,
            Simulator = new SimulatorSettings { Nodes = 0, FlowsPerSecond = -1, Shape = (WireShape)5 },
        };

        var failures = Validator.Validate(null, options).Failures!.ToList();

        Assert.Equal(
            ["CiliumDash:Source", "CiliumDash:Simulator:Nodes", "CiliumDash:Simulator:FlowsPerSecond", "CiliumDash:Simulator:Shape"],
            failures.Select(f => f[..f.IndexOf(": ", StringComparison.Ordinal)]));
    }

    [Fact]
    public void Validate_MissingKubeconfigForKubernetesSource_NamesTheFile()
    {
        var path = Path.Combine(Path.GetTempPath(), $"no-such-kubeconfig-{Guid.NewGuid():N}");
        var options = new CiliumDashOptions { Source = DataSource.Kubernetes, Kubernetes = new KubernetesOptions { Kubeconfig = path } };

        var failure = Assert.Single(Validator.Validate(null, options).Failures!);

        Assert.Equal($"CiliumDash:Kubernetes:Kubeconfig: file '{path}' does not exist.", failure);
    }

    [Fact]
    public void Validate_BadAlertmanagerAndWebhooks_EveryKeyNamedAndNoUrlRepeated()
    {
        var options = new CiliumDashOptions
        {
            Alertmanager = new AlertmanagerOptions { Url = "alertmanager:9093", PollInterval = TimeSpan.Zero },
            Notify = new NotifyOptions
            {
                Webhooks =
                [
                    new WebhookOptions { Url = "https://hooks.example.org/services/T0/B0/secret", MinSeverity = "loud", RepeatInterval = TimeSpan.FromSeconds(5) },
                    new WebhookOptions { Url = "ftp://secret-host/path" },
                ],
            },
        };

        var failures = Validator.Validate(null, options).Failures!.ToList();

        Assert.Equal(
            ["CiliumDash:Alertmanager:Url: 'alertmanager:9093' is not an http:// or https:// address (e.g. http://alertmanager.monitoring:9093).",
             "CiliumDash:Alertmanager:PollInterval: must be at least 00:00:01.",
             "CiliumDash:Notify:Webhooks:0:MinSeverity: must be critical, warning or info.",
             "CiliumDash:Notify:Webhooks:0:RepeatInterval: must be at least 00:01:00.",
             "CiliumDash:Notify:Webhooks:1:Url: must be an http:// or https:// address."],
            failures);
        Assert.DoesNotContain(failures, f => f.Contains("secret", StringComparison.Ordinal));
    }
}
