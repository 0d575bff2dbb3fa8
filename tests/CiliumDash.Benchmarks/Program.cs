using BenchmarkDotNet.Running;
using CiliumDash.Benchmarks.Drivers;

namespace CiliumDash.Benchmarks;

/// <summary>
/// BenchmarkDotNet micro-benchmarks by default; <c>relay-ingest</c>, <c>paced</c>, <c>longtasks</c>, <c>poll-cycle</c>,
/// <c>matrix-refresh</c>, <c>overview-findings</c>, <c>hub-fanout</c> and <c>circuits</c> are load drivers (<c>ingest-ab</c> an in-process A/B of flow ingest) against the simulator (they need real sockets and
/// minutes of wall time, which BenchmarkDotNet is not for). <c>relay-replay-server</c> is the process relay-ingest starts to
/// serve recorded flows faster than the simulator can.
/// </summary>
internal static class BenchmarkProgram
{
    public static async Task<int> Main(string[] args)
    {
        switch (args.FirstOrDefault())
        {
            case RelayIngestDriver.Command:
                return await RelayIngestDriver.RunAsync(DriverArguments.Parse(args.AsSpan(1)));
            case ReplayRelayServer.Command:
                return await ReplayRelayServer.RunAsync(DriverArguments.Parse(args.AsSpan(1)));
            case HubFanoutDriver.Command:
                return await HubFanoutDriver.RunAsync(DriverArguments.Parse(args.AsSpan(1)));
            case PacedDriver.PacedCommand:
                return await PacedDriver.RunAsync(DriverArguments.Parse(args.AsSpan(1)), browser: false);
            case PacedDriver.LongTasksCommand:
                return await PacedDriver.RunAsync(DriverArguments.Parse(args.AsSpan(1)), browser: true);
            case PollCycleDriver.Command:
                return await PollCycleDriver.RunAsync(DriverArguments.Parse(args.AsSpan(1)));
            case CircuitsDriver.Command:
                return await CircuitsDriver.RunAsync(DriverArguments.Parse(args.AsSpan(1)));
            case Flows.IngestAbDriver.Command:
                return await Flows.IngestAbDriver.RunAsync(DriverArguments.Parse(args.AsSpan(1)));
            case OverviewFindingsDriver.Command:
                return await OverviewFindingsDriver.RunAsync(DriverArguments.Parse(args.AsSpan(1)));
            case Metrics.MetricsScrapeDriver.Command:
                return await Metrics.MetricsScrapeDriver.RunAsync(DriverArguments.Parse(args.AsSpan(1)));
            case History.HistoryAbDriver.Command:
                return await History.HistoryAbDriver.RunAsync(DriverArguments.Parse(args.AsSpan(1)));
            case MatrixRefreshDriver.Command:
                return await MatrixRefreshDriver.RunAsync(DriverArguments.Parse(args.AsSpan(1)));
            default:
                BenchmarkSwitcher.FromAssembly(typeof(BenchmarkProgram).Assembly).Run(args);
                return 0;
        }
    }
}
