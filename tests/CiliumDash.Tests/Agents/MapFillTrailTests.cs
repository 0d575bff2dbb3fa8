using CiliumDash.Agents;

namespace CiliumDash.Tests.Agents;

public sealed class MapFillTrailTests
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 4, 20, 0, 0, TimeSpan.Zero);

    private static NodeSnapshot Read(string node, int minute, params (string Map, double Ratio)[] maps) =>
        new(node, "cilium-" + node, null, null, null, T0, T0, null, null) { MapPressure = new MapPressure(maps, T0.AddMinutes(minute), []) };

    [Fact]
    public void For_SeveralReads_OnePointPerReadFullestMapsFirst()
    {
        var trail = new MapFillTrail();
        trail.Observe(Read("w1", 0, ("cilium_lxc", 0.1), ("cilium_ct4_global", 0.5)));
        trail.Observe(Read("w1", 0, ("cilium_lxc", 0.1), ("cilium_ct4_global", 0.5)));
        trail.Observe(Read("w1", 1, ("cilium_ct4_global", 0.9), ("cilium_snat_v4_external", 0.2), ("cilium_lxc", double.NaN)));

        var history = trail.For("w1", maxMaps: 2);

        Assert.Equal([T0.ToUnixTimeSeconds(), T0.AddMinutes(1).ToUnixTimeSeconds()], history.Seconds);
        Assert.Equal(["cilium_ct4_global", "cilium_snat_v4_external"], history.Maps.Select(m => m.Map));
        Assert.Equal([0.5, 0.9], history.Maps[0].Fill);
        Assert.Equal([null, 0.2], history.Maps[1].Fill);
    }

    [Fact]
    public void Observe_MoreThanCapacity_KeepsTheNewestAndForgetsGoneNodes()
    {
        var trail = new MapFillTrail();
        for (var i = 0; i < MapFillTrail.Capacity + 5; i++)
        {
            trail.Observe(Read("w1", i, ("m", 0.5)));
        }
        trail.Observe(Read("w2", 0, ("m", 0.5)));

        Assert.Equal(MapFillTrail.Capacity, trail.For("w1", 6).Seconds.Count);
        Assert.Equal(T0.AddMinutes(5).ToUnixTimeSeconds(), trail.For("w1", 6).Seconds[0]);
        trail.Forget(new HashSet<string> { "w1" });
        Assert.Same(MapFillSeries.Empty, trail.For("w2", 6));
        Assert.Same(MapFillSeries.Empty, trail.For("never-seen", 6));
    }
}
