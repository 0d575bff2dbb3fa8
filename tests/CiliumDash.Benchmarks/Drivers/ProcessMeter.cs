using System.Diagnostics;

namespace CiliumDash.Benchmarks.Drivers;

/// <summary>What the whole process used between two points: wall time, CPU time (all threads) and allocated bytes.</summary>
internal readonly record struct ProcessSample(long Timestamp, TimeSpan Cpu, long Allocated)
{
    public static ProcessSample Take()
    {
        using var process = Process.GetCurrentProcess();
        return new ProcessSample(Stopwatch.GetTimestamp(), process.TotalProcessorTime, GC.GetTotalAllocatedBytes(precise: true));
    }

    public static ProcessUsage operator -(ProcessSample end, ProcessSample start) =>
        new(Stopwatch.GetElapsedTime(start.Timestamp, end.Timestamp), end.Cpu - start.Cpu, end.Allocated - start.Allocated);
}

internal readonly record struct ProcessUsage(TimeSpan Wall, TimeSpan Cpu, long Allocated)
{
    /// <summary>Average cores busy over the interval.</summary>
    public double Cores => Cpu / Wall;
}

/// <summary>Collections per generation and time paused: retaining a window of rows makes them survive into gen 1 and 2.</summary>
internal readonly record struct GcSample(int Gen0, int Gen1, int Gen2, TimeSpan Paused)
{
    public static GcSample Take() => new(GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2), GC.GetTotalPauseDuration());

    public static GcSample operator -(GcSample end, GcSample start) =>
        new(end.Gen0 - start.Gen0, end.Gen1 - start.Gen1, end.Gen2 - start.Gen2, end.Paused - start.Paused);

    public override string ToString() => $"{Gen0} gen0, {Gen1} gen1, {Gen2} gen2 collections; {Paused.TotalMilliseconds:N0} ms paused";
}

internal static class ProcessInfo
{
    public static string Memory()
    {
        using var process = Process.GetCurrentProcess();
        return $"working set {Mb(process.WorkingSet64)}, peak {Mb(process.PeakWorkingSet64)}, GC heap {Mb(GC.GetTotalMemory(false))}";
    }

    public static string Machine() =>
        $"{Environment.ProcessorCount} logical CPUs, {Mb(GC.GetGCMemoryInfo().TotalAvailableMemoryBytes)} available to the GC, " +
        $".NET {Environment.Version}, {(System.Runtime.GCSettings.IsServerGC ? "server" : "workstation")} GC";

    public static string Mb(long bytes) => $"{bytes / (1024.0 * 1024):N0} MB";
}
