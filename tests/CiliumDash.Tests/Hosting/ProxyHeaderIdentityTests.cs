using System.Net;
using System.Net.Sockets;
using System.Text;
using CiliumDash.Testing;

namespace CiliumDash.Tests.Hosting;

/// <summary>
/// A trusted proxy's request names one user and sends one groups header; anything else is refused with 400 rather
/// than believed (or merged into a union of scopes). Two header lines are sent over a raw socket: HttpClient folds
/// repeated custom headers into one comma-joined line.
/// </summary>
public sealed class ProxyHeaderIdentityTests : IClassFixture<ProxyHeaderIdentityTests.Server>
{
    private readonly Server _server;

    public ProxyHeaderIdentityTests(Server server) => _server = server;

    [Fact]
    public async Task TwoUserHeaderLines_400SayingWhy()
    {
        var (status, body) = await RawGetAsync("X-Forwarded-User: alice", "X-Forwarded-User: bob", "X-Forwarded-Groups: team-a");

        Assert.Equal(400, status);
        Assert.Contains("X-Forwarded-User names more than one user", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TwoGroupsHeaderLines_400NotTheUnionOfScopes()
    {
        var (status, body) = await RawGetAsync("X-Forwarded-User: alice", "X-Forwarded-Groups: team-a", "X-Forwarded-Groups: admins");

        Assert.Equal(400, status);
        Assert.Contains("X-Forwarded-Groups appears more than once", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UserHeaderJoiningTwoNames_400()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/flows") { Headers = { { "X-Forwarded-User", "alice, bob" }, { "X-Forwarded-Groups", "team-a" } } };

        using var response = await _server.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task OneUserAndOneCommaSeparatedGroupsHeader_Allowed()
    {
        var (status, _) = await RawGetAsync("X-Forwarded-User: alice", "X-Forwarded-Groups: team-a,admins");

        Assert.Equal(200, status);
    }

    private async Task<(int Status, string Body)> RawGetAsync(params string[] headers)
    {
        var address = _server.Dashboard.BaseAddress;
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(IPAddress.Loopback, address.Port);
        await using var stream = tcp.GetStream();
        var request = $"GET /api/v1/flows HTTP/1.1\r\nHost: {address.Authority}\r\n{string.Join("\r\n", headers)}\r\nConnection: close\r\n\r\n";
        await stream.WriteAsync(Encoding.ASCII.GetBytes(request));
        using var reader = new StreamReader(stream, Encoding.UTF8);
        var response = await reader.ReadToEndAsync();
        return (int.Parse(response.Split(' ', 3)[1], System.Globalization.CultureInfo.InvariantCulture), response);
    }

    public sealed class Server() : DashboardFixture(new Dictionary<string, string?>
    {
        ["CiliumDash:Auth:Mode"] = "ProxyHeader",
        ["CiliumDash:Auth:ProxyHeader:TrustedProxies"] = "127.0.0.1",
        ["CiliumDash:Auth:Teams:team-a"] = "team-a",
    });
}
