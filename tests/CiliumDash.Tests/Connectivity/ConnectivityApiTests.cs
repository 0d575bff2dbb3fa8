using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Xml.Linq;
using CiliumDash.Simulator.Cluster;
using CiliumDash.Testing;
using CiliumDash.Tests.Integration;

namespace CiliumDash.Tests.Connectivity;

/// <summary>The real app on its simulator: the REST contract, the SVG embed, and faults switched on at run time.</summary>
public sealed class ConnectivityApiTests : IClassFixture<ConnectivityApiTests.Server>
{
    private const string Path = "/api/v1/connectivity";
    private static readonly IReadOnlySet<string> None = new HashSet<string>();
    private readonly Server _server;

    public ConnectivityApiTests(Server server) => _server = server;

    private SimulatorFaults Faults => _server.Dashboard.Simulator.Faults;

    private static JsonElement Pair(JsonElement matrix, string from, string to) =>
        matrix.GetProperty("pairs").EnumerateArray().Single(p => p.GetProperty("from").GetString() == from && p.GetProperty("to").GetString() == to);

    private static Task<JsonElement> AllReachableAsync(HttpClient client) =>
        Api.WaitForAsync(client, Path, m => m.GetProperty("pairs").GetArrayLength() == 4 && m.GetProperty("pairs").EnumerateArray().All(p => p.GetProperty("reachable").GetBoolean()),
            "four reachable pairs", TimeSpan.FromSeconds(30));

    [Fact]
    public async Task Connectivity_HealthyCluster_ContractShapeWithNanoseconds()
    {
        using var client = _server.Dashboard.CreateLoopbackClient();

        var matrix = await AllReachableAsync(client);

        Assert.Equal(["fedora", "knode1"], matrix.GetProperty("nodes").EnumerateArray().Select(n => n.GetString()));
        foreach (var pair in matrix.GetProperty("pairs").EnumerateArray())
        {
            foreach (var path in new[] { "host", "endpoint" })
            {
                var p = pair.GetProperty(path);
                Assert.InRange(p.GetProperty("icmpNs").GetInt64(), 50_000, 1_000_000);
                Assert.InRange(p.GetProperty("httpNs").GetInt64(), 50_000, 2_000_000);
                Assert.Equal(JsonValueKind.Null, p.GetProperty("icmpError").ValueKind);
                Assert.Equal(JsonValueKind.Null, p.GetProperty("httpError").ValueKind);
            }
        }

        Assert.Equal("Cluster health: 2/2 reachable", matrix.GetProperty("summary").GetProperty("line").GetString());
        Assert.Equal("192.168.31.101", Pair(matrix, "fedora", "knode1").GetProperty("host").GetProperty("ip").GetString());
    }

    [Fact]
    public async Task Connectivity_EndpointUnreachableFault_HostOkEndpointErrorsNullRtt()
    {
        using var client = _server.Dashboard.CreateLoopbackClient();
        await AllReachableAsync(client);
        try
        {
            Faults.EndpointUnreachableNodes = new HashSet<string> { "knode1" };

            // Each node is read on its own schedule, so knode1's own report of its endpoint may land a poll later than fedora's.
            var matrix = await Api.WaitForAsync(client, Path,
                m => !Pair(m, "fedora", "knode1").GetProperty("reachable").GetBoolean() && !Pair(m, "knode1", "knode1").GetProperty("reachable").GetBoolean(),
                "fedora → knode1 and knode1 → knode1 failing");

            var pair = Pair(matrix, "fedora", "knode1");
            Assert.True(pair.GetProperty("host").GetProperty("icmpNs").GetInt64() > 0);
            var endpoint = pair.GetProperty("endpoint");
            Assert.Equal(JsonValueKind.Null, endpoint.GetProperty("icmpNs").ValueKind);
            Assert.Equal("Connection timed out", endpoint.GetProperty("icmpError").GetString());
            Assert.StartsWith("Get \"http://", endpoint.GetProperty("httpError").GetString());
            // The simulated endpoint times out for every prober, knode1 itself included.
            Assert.Equal(2, matrix.GetProperty("summary").GetProperty("endpointOnlyFailingPairs").GetInt32());
            Assert.Equal("Cluster health: 1/2 reachable", matrix.GetProperty("summary").GetProperty("line").GetString());
            Assert.True(Pair(matrix, "knode1", "fedora").GetProperty("reachable").GetBoolean());
        }
        finally
        {
            Faults.EndpointUnreachableNodes = None;
        }

        await AllReachableAsync(client);
    }

    [Fact]
    public async Task Connectivity_NodeDown_PeersCannotReachItAndItsRowIsStale()
    {
        using var client = _server.Dashboard.CreateLoopbackClient();
        await AllReachableAsync(client);
        try
        {
            Faults.HangingExecNodes = new HashSet<string> { "knode1" };

            var matrix = await Api.WaitForAsync(client, Path,
                m => Pair(m, "knode1", "fedora").GetProperty("stale").GetBoolean() && !Pair(m, "fedora", "knode1").GetProperty("reachable").GetBoolean(),
                "knode1 down");

            Assert.Equal("Connection timed out", Pair(matrix, "fedora", "knode1").GetProperty("host").GetProperty("icmpError").GetString());
            var knode1 = matrix.GetProperty("nodeDetails").EnumerateArray().Single(n => n.GetProperty("name").GetString() == "knode1");
            Assert.StartsWith("timed out", knode1.GetProperty("readError").GetString());
        }
        finally
        {
            Faults.HangingExecNodes = None;
        }

        await AllReachableAsync(client);
    }

    [Fact]
    public async Task Connectivity_UnknownNode_404NamesIt()
    {
        using var client = _server.Dashboard.CreateLoopbackClient();

        using var response = await client.GetAsync($"{Path}?from=nosuchnode");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Contains("node 'nosuchnode' is not in the connectivity matrix", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Svg_Matrix_ValidXmlShortCacheAndETagRevalidates()
    {
        using var client = _server.Dashboard.CreateLoopbackClient();
        await AllReachableAsync(client);

        using var response = await client.GetAsync("/embed/connectivity.svg?path=host-http");
        var body = await response.Content.ReadAsStringAsync();

        Assert.Equal("image/svg+xml", response.Content.Headers.ContentType!.MediaType);
        Assert.Equal(TimeSpan.FromSeconds(10), response.Headers.CacheControl!.MaxAge);
        var svg = XDocument.Parse(body);
        Assert.Contains(svg.Descendants("{http://www.w3.org/2000/svg}title"), t => t.Value.StartsWith("fedora → knode1: OK", StringComparison.Ordinal));
        Assert.Contains("Cluster health: 2/2 reachable", body);

        using var again = new HttpRequestMessage(HttpMethod.Get, "/embed/connectivity.svg?path=host-http");
        again.Headers.IfNoneMatch.Add(EntityTagHeaderValue.Parse(response.Headers.ETag!.ToString()));
        using var revalidated = await client.SendAsync(again);
        Assert.True(revalidated.StatusCode is HttpStatusCode.NotModified or HttpStatusCode.OK);
        Assert.Equal(HttpStatusCode.BadRequest, (await client.GetAsync("/embed/connectivity.svg?path=sideways")).StatusCode);
    }

    public sealed class Server : IDisposable
    {
        public DashboardServer Dashboard { get; } = new(new Dictionary<string, string?>
        {
            ["CiliumDash:Kubernetes:ExecTimeout"] = "00:00:00.5",
            ["CiliumDash:Simulator:FlowsPerSecond"] = "5",
        });

        public void Dispose() => Dashboard.Dispose();
    }
}

/// <summary>The connectivity body is written while the store is read, row by row, not built whole first.</summary>
public sealed class ConnectivitySnapshotStreamingTests
{
    [Fact]
    public async Task Snapshot_120NodeMatrix_WrittenInPiecesAsItIsEnumerated()
    {
        var time = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
        using var store = new CiliumDash.Connectivity.ConnectivityStore(time, new CiliumDash.Configuration.ConnectivityOptions());
        var names = Enumerable.Range(0, 120).Select(i => $"node-{i:D3}").ToArray();
        var peers = names.Select((n, i) => Builders.HealthJson.Peer(n, hostIp: $"192.168.1.{i}", endpointIp: $"10.0.{i}.5")).ToArray();
        foreach (var name in names)
        {
            Assert.Null(store.Ingest(name, Builders.HealthJson.Report(name, time.GetUtcNow(), peers)).Error);
        }

        var snapshot = store.Snapshot(CiliumDash.Connectivity.ConnectivitySnapshotOptions.Default);
        using var body = new WriteCountingStream();
        await JsonSerializer.SerializeAsync(body, snapshot, CiliumDash.Contract.ApiJson.Options);

        // The pairs are a sequence read from the store while it is written, never a list of every pair; 14,400 pairs
        // are about 6 MB of JSON, handed over in buffer-sized pieces.
        Assert.False(snapshot.Pairs is System.Collections.ICollection, "the pairs were materialized before writing");
        Assert.True(body.Writes > 20, $"{body.Writes} writes for {body.Length} bytes");
        body.Position = 0;
        using var doc = await JsonDocument.ParseAsync(body);
        Assert.Equal(120 * 120, doc.RootElement.GetProperty("pairs").GetArrayLength());
    }

    private sealed class WriteCountingStream : MemoryStream
    {
        public int Writes { get; private set; }

        public override void Write(byte[] buffer, int offset, int count)
        {
            Writes++;
            base.Write(buffer, offset, count);
        }

        public override void Write(ReadOnlySpan<byte> buffer)
        {
            Writes++;
            base.Write(buffer);
        }

        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
        {
            Writes++;
            return base.WriteAsync(buffer, offset, count, cancellationToken);
        }

        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            Writes++;
            return base.WriteAsync(buffer, cancellationToken);
        }
    }
}
