using CiliumDash.Cluster;
using Microsoft.AspNetCore.Components;
using CiliumDash.Shared;

namespace CiliumDash.Components.Controls;

/// <summary>
/// Base of live views: re-renders when a store's throttled signal fires, pulling fresh data in
/// <see cref="Refresh"/>. Pause is per tab (per circuit): other users keep updating.
/// </summary>
public abstract class LiveComponent : ComponentBase, IDisposable
{
    private readonly List<IDisposable> _subscriptions = [];

    [Inject]
    protected TimeProvider Time { get; set; } = default!;

    [Inject]
    private AccessScopes Scopes { get; set; } = default!;

    [CascadingParameter]
    private Task<Microsoft.AspNetCore.Components.Authorization.AuthenticationState>? AuthState { get; set; }

    /// <summary>
    /// What this tab's user may see. On the server the authentication state is known when the circuit starts; if it
    /// were not, the scope of "nobody in particular" applies (no flows when teams are configured), never "everything".
    /// </summary>
    protected AccessScope Scope => Scopes.For(AuthState is { IsCompletedSuccessfully: true } state ? state.Result.User : null);

    protected bool Paused { get; private set; }

    protected DateTimeOffset LastRefreshed { get; private set; }

    protected abstract IEnumerable<ChangeSignal> Signals { get; }

    protected override void OnInitialized()
    {
        Refresh();
        LastRefreshed = Time.GetUtcNow();
        foreach (var signal in Signals)
        {
            _subscriptions.Add(signal.Subscribe(OnChanged));
        }
    }

    /// <summary>Pull the data this view shows from the stores.</summary>
    protected abstract void Refresh();

    protected void TogglePause()
    {
        Paused = !Paused;
        if (!Paused)
        {
            Refresh();
            LastRefreshed = Time.GetUtcNow();
        }
    }

    private void OnChanged()
    {
        if (Paused)
        {
            return;
        }

        _ = InvokeAsync(() =>
        {
            Refresh();
            LastRefreshed = Time.GetUtcNow();
            StateHasChanged();
        });
    }

    public void Dispose()
    {
        Dispose(true);
        GC.SuppressFinalize(this);
    }

    /// <summary>Ends the store subscriptions; a view that holds more overrides this and calls the base.</summary>
    protected virtual void Dispose(bool disposing)
    {
        if (!disposing)
        {
            return;
        }

        foreach (var s in _subscriptions)
        {
            s.Dispose();
        }
    }
}
