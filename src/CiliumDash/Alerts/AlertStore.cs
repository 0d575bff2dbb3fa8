using CiliumDash.Shared;

namespace CiliumDash.Alerts;

/// <summary>One alert as Alertmanager holds it: labels, and whether a silence covers it.</summary>
public sealed record AlertmanagerAlert(IReadOnlyDictionary<string, string> Labels, bool Silenced)
{
    public string Label(string key) => Labels.TryGetValue(key, out var v) ? v : "";
}

/// <summary>The latest read of Alertmanager's alerts; <see cref="Error"/> says why the last read failed (alerts kept from before).</summary>
public sealed record AlertSnapshot(IReadOnlyList<AlertmanagerAlert> Alerts, DateTimeOffset? ReadAt, string? Error)
{
    public static readonly AlertSnapshot Empty = new([], null, null);
}

/// <summary>The alerts store: written by <see cref="AlertmanagerPoller"/>, read by the alert read model.</summary>
public sealed class AlertStore : IDisposable
{
    private AlertSnapshot _current = AlertSnapshot.Empty;

    public AlertStore(TimeProvider time, Uri? alertmanager, Uri? external)
    {
        Alertmanager = alertmanager;
        External = external ?? alertmanager;
        Changed = new ChangeSignal(time, TimeSpan.FromMilliseconds(250));
    }

    /// <summary>Null when no Alertmanager is configured: nothing about alerts is shown then.</summary>
    public Uri? Alertmanager { get; }

    /// <summary>The address users open (silences).</summary>
    public Uri? External { get; }

    public bool Enabled => Alertmanager is not null;

    public ChangeSignal Changed { get; }

    public AlertSnapshot Current => Volatile.Read(ref _current);

    public void Set(AlertSnapshot snapshot)
    {
        Volatile.Write(ref _current, snapshot);
        Changed.Notify();
    }

    public void Dispose() => Changed.Dispose();
}
