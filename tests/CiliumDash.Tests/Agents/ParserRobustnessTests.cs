using CiliumDash.Agents;
using CiliumDash.Connectivity;
using CiliumDash.Simulator.Cluster;
using CiliumDash.Simulator.Documents;

namespace CiliumDash.Tests.Agents;

/// <summary>Bad input never crashes anything: every mutation of a real document yields a status or an error.</summary>
public sealed class ParserRobustnessTests
{
    private const int Mutations = 500;

    [Theory]
    [InlineData(WireShape.Cilium112, 11)]
    [InlineData(WireShape.Current, 12)]
    public void AgentStatusParser_MutatedDocuments_NeverThrow(WireShape shape, int seed)
    {
        var mutator = new DocumentMutator(AgentStatusParserTests.Generated(shape), seed);
        var outcomes = new Dictionary<bool, int> { [true] = 0, [false] = 0 };

        for (var i = 0; i < Mutations; i++)
        {
            var input = mutator.Next();
            var result = AgentStatusParser.Parse(input);

            Assert.True(result.Value is null != result.Error is null, $"mutation {i}: exactly one of value and error");
            outcomes[result.Value is not null]++;
        }

        // Both kinds of outcome happen, so the mutations exercise the reader as well as the syntax checks.
        Assert.True(outcomes[true] > 50 && outcomes[false] > 50, $"parsed {outcomes[true]}, failed {outcomes[false]}");
    }

    [Fact]
    public void HealthStreamParser_MutatedDocuments_NeverThrow()
    {
        var cluster = new SimulatedCluster(new SimulatorOptions { Shape = WireShape.Current });
        var document = HealthStatusDocuments.Render(cluster, cluster.Nodes[0], new DateTimeOffset(2024, 5, 1, 12, 0, 0, TimeSpan.Zero));
        var mutator = new DocumentMutator(document, 13);
        using var store = new ConnectivityStore(TimeProvider.System, new CiliumDash.Configuration.ConnectivityOptions());
        var parsed = 0;

        for (var i = 0; i < Mutations; i++)
        {
            var result = store.Ingest(cluster.Nodes[0].Name, mutator.Next());

            Assert.True(result.Summary is null != result.Error is null, $"mutation {i}: exactly one of summary and error");
            parsed += result.Summary is null ? 0 : 1;
        }

        // The matrix stays usable whatever the reports did to it.
        Assert.InRange(parsed, 50, Mutations - 50);
        Assert.NotNull(store.Summary());
    }
}
