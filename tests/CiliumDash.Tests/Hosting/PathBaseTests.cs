using System.Net;
using System.Text.RegularExpressions;
using CiliumDash.Testing;

namespace CiliumDash.Tests.Hosting;

/// <summary>Under an Ingress sub-path every link and asset must stay under it; one absolute "/x" breaks the team view.</summary>
public sealed partial class PathBaseTests : IClassFixture<PathBaseTests.Server>
{
    private readonly Server _server;

    public PathBaseTests(Server server) => _server = server;

    public static TheoryData<string> Pages => new() { "", "nodes", "nodes/fedora", "connectivity", "controllers", "bpf-maps", "drift", "flows", "flows/summary", "diagnostics" };

    [Theory]
    [MemberData(nameof(Pages))]
    public async Task Page_UnderPathBase_EveryRootedLinkStaysUnderIt(string page)
    {
        var response = await _server.Client.GetAsync("/ciliumdash/" + page);
        var html = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("<base href=\"/ciliumdash/\"", html, StringComparison.Ordinal);
        var rooted = Links().Matches(html).Select(m => m.Groups["url"].Value).Where(u => u.StartsWith('/') && !u.StartsWith("/ciliumdash/", StringComparison.Ordinal)).ToList();
        Assert.Empty(rooted);
    }

    [Fact]
    public async Task Api_UnderPathBase_AnswersThereAndNotAtTheRoot()
    {
        Assert.Equal(HttpStatusCode.OK, (await _server.Client.GetAsync("/ciliumdash/api/v1/cluster")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await _server.Client.GetAsync("/ciliumdash/healthz")).StatusCode);
    }

    [GeneratedRegex("""(?:href|src|action)="(?<url>[^"]*)""")]
    private static partial Regex Links();

    public sealed class Server() : DashboardFixture(new Dictionary<string, string?> { ["CiliumDash:PathBase"] = "/ciliumdash" });
}
