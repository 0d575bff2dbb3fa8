using System.Globalization;
using System.Net;
using System.Runtime.InteropServices;
using CiliumDash.Simulator.Cluster;
using CiliumDash.Simulator.Hosting;
using CiliumDash.Simulator.Kubernetes;

namespace CiliumDash.Simulator;

/// <summary>
/// Standalone simulator: serves a simulated (or recorded) Cilium cluster on a hubble-relay port and a Kubernetes API
/// port until stopped. Named so it never clashes with the web app's Program in tests.
/// </summary>
internal static class SimulatorProgram
{
    public static async Task<int> Main(string[] args)
    {
        SimulatorCommandLine options;
        try
        {
            options = SimulatorCommandLine.Parse(args);
        }
        catch (FormatException ex)
        {
            await Console.Error.WriteLineAsync($"error: {ex.Message}\n\n{SimulatorCommandLine.Help}");
            return 2;
        }

        if (options.ShowHelp)
        {
            Console.WriteLine(SimulatorCommandLine.Help);
            return 0;
        }

        var started = await StartAsync(options);
        if (started is not var (cluster, host))
        {
            return 1;
        }

        await using var _ = host;
        if (options.KubeconfigPath is { } path)
        {
            KubeconfigWriter.Write(path, options.KubeconfigServer ?? host.KubeUrl);
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"""
            CiliumDash simulator: {(cluster.IsReplay ? $"recorded cluster {options.Simulator.Scenario}" : $"{cluster.Nodes.Count} nodes, Cilium {cluster.CiliumVersion}, {options.Simulator.FlowsPerSecond} flows/s, seed {options.Simulator.Seed}")}
              hubble-relay (gRPC):            {host.RelayUrl} ({RelaySecurity(options.RelayTls)})
              Kubernetes API:                 {host.KubeUrl}
              kubeconfig:                     {(options.KubeconfigPath is null ? "(not written; use --write-kubeconfig PATH)" : $"{options.KubeconfigPath} (server {options.KubeconfigServer ?? host.KubeUrl})")}
            Press Ctrl+C to stop.
            """));

        // The two web hosts inside register their own console lifetimes, which swallow Ctrl+C and SIGTERM for
        // themselves; our own registrations make the process itself stop.
        using var stop = new CancellationTokenSource();
        using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);
        try
        {
            await Task.Delay(Timeout.Infinite, stop.Token);
        }
        catch (OperationCanceledException)
        {
            // normal shutdown
        }

        void Stop(PosixSignalContext context)
        {
            context.Cancel = true;
            stop.Cancel();
        }

        return 0;
    }

    /// <summary>Null after saying why on stderr: a taken port, a broken scenario folder or a bad TLS file is the user's to fix.</summary>
    private static async Task<(SimulatedCluster Cluster, SimulatorHost Host)?> StartAsync(SimulatorCommandLine options)
    {
        try
        {
            var cluster = new SimulatedCluster(options.Simulator);
            return (cluster, await SimulatorHost.StartAsync(cluster, options.RelayListen, options.KubeListen, relayTls: options.RelayTls));
        }
        catch (Exception ex) when (ex is IOException or InvalidDataException or DirectoryNotFoundException or System.Net.Sockets.SocketException)
        {
            await Console.Error.WriteLineAsync($"error: cannot start the simulator: {ex.Message}");
            return null;
        }
    }

    private static string RelaySecurity(RelayTls? tls) => tls switch
    {
        null => "plaintext",
        { ClientCaFile: null } => "TLS",
        _ => "mutual TLS: client certificates required",
    };
}

/// <summary>The simulator's stable command line (design.md: "Running the pieces separately").</summary>
internal sealed record SimulatorCommandLine(SimulatorOptions Simulator, IPEndPoint RelayListen, IPEndPoint KubeListen, string? KubeconfigPath, bool ShowHelp)
{
    /// <summary>
    /// The server URL written into the kubeconfig instead of the listen address: a simulator listening on 0.0.0.0 in a
    /// container is reached by its service name (docker-compose.yml: http://simulator:6443), not by 0.0.0.0.
    /// </summary>
    public Uri? KubeconfigServer { get; init; }

    /// <summary>Serve the relay stand-in over TLS (hubble.relay.tls.server.enabled), mutual with a client CA.</summary>
    public RelayTls? RelayTls { get; init; }

    public const string Help = """
        Usage: CiliumDash.Simulator [options]

          --relay-listen ADDR:PORT    hubble-relay stand-in (gRPC Observer + Peer)      default 127.0.0.1:4245
          --kube-listen ADDR:PORT     Kubernetes API stand-in (HTTP, WebSocket exec)     default 127.0.0.1:6443
          --write-kubeconfig PATH     write a kubeconfig for kubectl and the dashboard
          --kubeconfig-server URL     server URL written into that kubeconfig            default the --kube-listen address
                                      (e.g. http://simulator:6443 when listening on 0.0.0.0 in a container)
          --nodes N                   nodes, 1 to 2000                                   default 2 (the notes' fedora + knode1)
          --flows-per-second R        generated flows per second, 0 to 100000           default 20
          --seed S                    random seed; same seed, same cluster               default 1
          --shape Cilium112|Current   agent JSON generation (1.12 as in the notes, or 1.18) default Cilium112
          --scenario DIR              replay a recorded cluster: nodes/<node>/status.json, nodes/<node>/health.json, flows.jsonl
          --hang-exec NODE,...        faults: exec into these nodes never answers
          --fail-exec NODE,...        exec into these nodes fails
          --crashloop NODE,...        these nodes' cilium-agent containers are in CrashLoopBackOff
          --failing-controllers NODE,...   these nodes report failing controllers
          --endpoint-unreachable NODE,...  health endpoints on these nodes time out (hosts answer)
          --slow-link NODE,...        probes to these nodes take tens of milliseconds
          --map-pressure NODE,...     these nodes report cilium_ct4_global and cilium_snat_v4_external over 80 % full
          --relay-cut-every SECONDS   end every GetFlows stream after this many seconds
          --changes-every SECONDS     apply/delete a network policy or restart an agent this often (0 = never) default 300
          --relay-tls-cert FILE       serve the relay over TLS with this PEM certificate (then https://)
          --relay-tls-key FILE        the PEM private key of --relay-tls-cert
          --relay-tls-client-ca FILE  require client certificates signed by this PEM CA (mTLS)
          -h, --help                  show this help
        Addresses must be loopback (127.0.0.1 or [::1]) unless you mean to expose the simulator.
        """;

    public static SimulatorCommandLine Parse(IReadOnlyList<string> args)
    {
        var faults = new SimulatorFaults();
        var sim = new SimulatorOptions { Faults = faults, ChangeEvery = TimeSpan.FromMinutes(5) };
        var relay = new IPEndPoint(IPAddress.Loopback, 4245);
        var kube = new IPEndPoint(IPAddress.Loopback, 6443);
        string? kubeconfig = null;
        Uri? kubeconfigServer = null;
        string? tlsCert = null, tlsKey = null, tlsClientCa = null;
        for (var i = 0; i < args.Count; i++)
        {
            var name = args[i];
            string Value() => i + 1 < args.Count ? args[++i] : throw new FormatException($"{name} needs a value");
            switch (name)
            {
                case "-h" or "--help":
                    return new SimulatorCommandLine(sim, relay, kube, kubeconfig, true);
                case "--relay-listen": relay = Endpoint(name, Value()); break;
                case "--kube-listen": kube = Endpoint(name, Value()); break;
                case "--write-kubeconfig": kubeconfig = Value(); break;
                case "--kubeconfig-server": kubeconfigServer = ServerUrl(name, Value()); break;
                case "--nodes": sim = sim with { Nodes = Int(name, Value(), 1, SimulatorOptions.MaxNodes) }; break;
                case "--flows-per-second": sim = sim with { FlowsPerSecond = Int(name, Value(), 0, (int)SimulatorOptions.MaxFlowsPerSecond) }; break;
                case "--seed": sim = sim with { Seed = Int(name, Value(), int.MinValue, int.MaxValue) }; break;
                case "--shape": sim = sim with { Shape = Enum.TryParse<WireShape>(Value(), ignoreCase: true, out var shape) ? shape : throw new FormatException($"{name} must be Cilium112 or Current") }; break;
                case "--scenario":
                    var dir = Value();
                    sim = sim with { Scenario = Directory.Exists(dir) ? dir : throw new FormatException($"{name}: folder '{dir}' does not exist") };
                    break;
                case "--hang-exec": faults.HangingExecNodes = Nodes(Value()); break;
                case "--fail-exec": faults.FailingExecNodes = Nodes(Value()); break;
                case "--crashloop": faults.CrashLoopingNodes = Nodes(Value()); break;
                case "--failing-controllers": faults.FailingControllerNodes = Nodes(Value()); break;
                case "--endpoint-unreachable": faults.EndpointUnreachableNodes = Nodes(Value()); break;
                case "--slow-link": faults.SlowLinkNodes = Nodes(Value()); break;
                case "--map-pressure": faults.MapPressureNodes = Nodes(Value()); break;
                case "--relay-cut-every": faults.RelayCutEverySeconds = Int(name, Value(), 0, 86_400); break;
                case "--changes-every":
                    var every = Int(name, Value(), 0, 86_400);
                    sim = sim with { ChangeEvery = every == 0 ? null : TimeSpan.FromSeconds(every) };
                    break;
                case "--relay-tls-cert": tlsCert = ExistingFile(name, Value()); break;
                case "--relay-tls-key": tlsKey = ExistingFile(name, Value()); break;
                case "--relay-tls-client-ca": tlsClientCa = ExistingFile(name, Value()); break;
                default: throw new FormatException($"unknown option '{name}'");
            }
        }

        if (kubeconfigServer is not null && kubeconfig is null)
        {
            throw new FormatException("--kubeconfig-server needs --write-kubeconfig PATH");
        }

        return new SimulatorCommandLine(sim, relay, kube, kubeconfig, false)
        {
            KubeconfigServer = kubeconfigServer,
            RelayTls = RelayTlsFiles(tlsCert, tlsKey, tlsClientCa),
        };
    }

    private static RelayTls? RelayTlsFiles(string? cert, string? key, string? clientCa) => (cert, key) switch
    {
        (null, null) when clientCa is not null => throw new FormatException("--relay-tls-client-ca needs --relay-tls-cert FILE and --relay-tls-key FILE"),
        (null, null) => null,
        (null, _) => throw new FormatException("--relay-tls-key needs --relay-tls-cert FILE"),
        (_, null) => throw new FormatException("--relay-tls-cert needs --relay-tls-key FILE"),
        _ => new RelayTls(cert, key, clientCa),
    };

    /// <summary>Whether the file is readable PEM is checked when the relay starts, with the file named.</summary>
    private static string ExistingFile(string name, string value) =>
        File.Exists(value) ? value : throw new FormatException($"{name}: file '{value}' does not exist");

    private static HashSet<string> Nodes(string value) => value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToHashSet(StringComparer.Ordinal);

    private static int Int(string name, string value, int min, int max) =>
        int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) && n >= min && n <= max
            ? n
            : throw new FormatException($"{name} must be a whole number from {min} to {max}, not '{value}'");

    private static Uri ServerUrl(string name, string value) =>
        Uri.TryCreate(value, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https" && uri.AbsolutePath == "/" && string.IsNullOrEmpty(uri.Query)
            ? uri
            : throw new FormatException($"{name} must be an http or https URL with no path, such as http://simulator:6443, not '{value}'");

    private static IPEndPoint Endpoint(string name, string value) =>
        IPEndPoint.TryParse(value, out var ep) && ep.Port is > 0 and < 65536 ? ep : throw new FormatException($"{name} must be ADDRESS:PORT such as 127.0.0.1:4245, not '{value}'");
}
