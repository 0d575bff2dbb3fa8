using CiliumDash.Flows;
using CiliumDash.ServiceMap;
using CiliumDash.Simulator.Relay;
using CiliumDash.Tests.Protocols;

namespace CiliumDash.Tests.ServiceMap;

/// <summary>A flow store and its service map, fed with captured flows or built ones.</summary>
internal sealed class MapFixture : IDisposable
{
    public MapFixture(int window = 1000)
    {
        Flows = new FlowStore(TimeProvider.System, window);
        Map = new ServiceMapStore(Flows);
    }

    public FlowStore Flows { get; }

    public ServiceMapStore Map { get; }

    public static MapFixture Of(params string[] fixtureFiles)
    {
        var fixture = new MapFixture();
        foreach (var file in fixtureFiles)
        {
            var lines = File.ReadAllLines(FlowFixtures.PathOf(file));
            for (var i = 0; i < lines.Length; i++)
            {
                if (!string.IsNullOrWhiteSpace(lines[i]) && FlowJsonLines.ParseLine(lines[i], i + 1) is { } response)
                {
                    fixture.Flows.Stage(response);
                }
            }

            fixture.Flows.Commit();
        }

        return fixture;
    }

    public ServiceMapGraph Query(string query = "", CiliumDash.Shared.AccessScope? scope = null) =>
        Map.Query(ServiceMapQuery.TryParse(query, DateTimeOffset.UtcNow).Query ?? throw new ArgumentException(query), scope ?? CiliumDash.Shared.AccessScope.All);

    public void Dispose()
    {
        Map.Dispose();
        Flows.Dispose();
    }
}
