using System.Text;
using CiliumDash.Agents;

namespace CiliumDash.Tests.Agents;

public sealed class MapPressureReadsTests
{
    private static readonly DateTimeOffset Start = new(2025, 3, 1, 12, 0, 0, TimeSpan.Zero);
    private static readonly byte[] List = Encoding.UTF8.GetBytes("""[{"name":"cilium_bpf_map_pressure","labels":{"map_name":"cilium_ct4_global"},"value":0.93}]""");

    private static AgentRead Read(byte[]? metrics = null, string? metricsError = null) => new([], null, [], null, metrics, metricsError);

    [Fact]
    public void Due_NeverRead_True()
    {
        Assert.True(new MapPressureReads(TimeSpan.FromMinutes(1)).Due("fedora", Start));
    }

    [Fact]
    public void Due_ReadWithinInterval_FalseUntilIntervalPassed()
    {
        var reads = new MapPressureReads(TimeSpan.FromMinutes(1));
        reads.Observe("fedora", Read(List), Start);

        Assert.False(reads.Due("fedora", Start.AddSeconds(59)));
        Assert.True(reads.Due("knode1", Start.AddSeconds(59)));
        Assert.True(reads.Due("fedora", Start.AddMinutes(1)));
    }

    [Fact]
    public void Observe_NoMetricsInRead_NullAndStillDue()
    {
        var reads = new MapPressureReads(TimeSpan.FromMinutes(1));

        Assert.Null(reads.Observe("fedora", Read(), Start));
        Assert.True(reads.Due("fedora", Start.AddSeconds(1)));
    }

    [Fact]
    public void Observe_List_Figures()
    {
        var result = new MapPressureReads(TimeSpan.FromMinutes(1)).Observe("fedora", Read(List), Start)!;

        Assert.Null(result.Error);
        Assert.Equal([("cilium_ct4_global", 0.93)], result.Value!.Maps);
    }

    [Fact]
    public void Observe_ExecFailed_NotAvailableWithWhy()
    {
        var result = new MapPressureReads(TimeSpan.FromMinutes(1)).Observe("fedora", Read(metricsError: "'cilium metrics list -o json' exited with code 1: Error: unknown command"), Start)!;

        Assert.Null(result.Value);
        Assert.Equal("map pressure not available: 'cilium metrics list -o json' exited with code 1: Error: unknown command", result.Error);
    }

    [Fact]
    public void Observe_BadJson_NotAvailableWithParseError()
    {
        var result = new MapPressureReads(TimeSpan.FromMinutes(1)).Observe("fedora", Read(Encoding.UTF8.GetBytes("{}")), Start)!;

        Assert.Equal("map pressure not available: metrics JSON at $: expected an array of metrics, found object", result.Error);
    }
}
