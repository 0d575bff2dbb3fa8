using System.Xml.Linq;
using CiliumDash.Configuration;
using CiliumDash.Connectivity;
using CiliumDash.Tests.Builders;
using Microsoft.Extensions.Time.Testing;

namespace CiliumDash.Tests.Connectivity;

public sealed class ConnectivitySvgTests : IDisposable
{
    private static readonly DateTimeOffset Now = new(2024, 5, 1, 12, 0, 0, TimeSpan.Zero);
    private readonly ConnectivityStore _store = new(new FakeTimeProvider(Now), new ConnectivityOptions());

    [Fact]
    public void Render_HostileNodeName_EscapedAndStillValidXml()
    {
        const string hostile = "<script>&\"'\u0001";
        _store.Ingest("fedora", HealthJson.Report("fedora", Now, HealthJson.Peer("fedora"), HealthJson.Peer(hostile, "192.168.31.9", "10.0.9.9")));

        var svg = ConnectivitySvg.Render(_store, ProbePath.EndpointIcmp);

        Assert.DoesNotContain("<script", svg, StringComparison.Ordinal);
        var texts = XDocument.Parse(svg).Descendants("{http://www.w3.org/2000/svg}text").Select(t => t.Value).ToList();
        Assert.Contains(hostile[..^1] + "\uFFFD", texts);
    }

    [Fact]
    public void Render_TwoNodesLongestName_TitleAndNamesFitWithTitleAndDesc()
    {
        var longest = "kvm-worker-" + new string('m', 242);
        _store.Ingest("fedora", HealthJson.Report("fedora", Now, HealthJson.Peer("fedora"), HealthJson.Peer(longest, "192.168.31.9", "10.0.9.9")));

        var root = XDocument.Parse(ConnectivitySvg.Render(_store, ProbePath.EndpointIcmp)).Root!;

        XNamespace svg = "http://www.w3.org/2000/svg";
        var width = double.Parse(root.Attribute("width")!.Value, System.Globalization.CultureInfo.InvariantCulture);
        var title = root.Descendants(svg + "text").First();
        // The title is drawn at 13 px bold from x = 4: its estimated width fits the image.
        Assert.True(4 + (CiliumDash.Embeds.SvgWriter.TextWidth(title.Value, bold: true) * 13 / 12) <= width, $"title '{title.Value}' is cut at {width} px");
        Assert.DoesNotContain(root.Descendants(svg + "text"), t => t.Value.EndsWith('…') && !t.Value.StartsWith("kvm-worker-", StringComparison.Ordinal));
        Assert.StartsWith("Connectivity: ", root.Element(svg + "title")!.Value, StringComparison.Ordinal);
        Assert.Contains("purple ◐", root.Element(svg + "desc")!.Value, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_ManyNodes_BlocksInsteadOfCells()
    {
        var names = Enumerable.Range(0, 130).Select(i => $"n{i:000}").ToArray();
        _store.Ingest("n000", HealthJson.Report("n000", Now, names.Select((n, i) => HealthJson.Peer(n, $"192.168.1.{i}", $"10.0.{i}.1")).ToArray()));

        var svg = XDocument.Parse(ConnectivitySvg.Render(_store, ProbePath.HostIcmp));

        // 130 nodes at 3 per block: 44 × 44 blocks, and no per-node labels.
        Assert.Equal(44 * 44, svg.Descendants("{http://www.w3.org/2000/svg}rect").Count());
        Assert.Contains(svg.Descendants("{http://www.w3.org/2000/svg}text"), t => t.Value.Contains("3 nodes per block", StringComparison.Ordinal));
    }

    public void Dispose() => _store.Dispose();
}
