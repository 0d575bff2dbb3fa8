using System.Net;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Rendering;
using Microsoft.AspNetCore.Components.Routing;

namespace CiliumDash.Components.Layout;

/// <summary>
/// The app bar's page links, styled as MudBlazor nav links, with the current page's link marked active. One component
/// rendering one shared string instead of eight MudNavLinks (each wrapping a NavLink): every component a circuit
/// renders keeps two render trees of its own, so the eight links cost an idle tab about 65 KB; this costs a few hundred
/// bytes. The markup for each possible active link is built once per process.
/// </summary>
public sealed class TopNav : ComponentBase, IDisposable
{
    private static readonly NavItem[] Items =
    [
        new("./", "Overview", NavLinkMatch.All),
        new("nodes", "Nodes", NavLinkMatch.Prefix),
        new("connectivity", "Connectivity", NavLinkMatch.Prefix),
        new("controllers", "Controllers", NavLinkMatch.Prefix),
        new("bpf-maps", "BPF maps", NavLinkMatch.Prefix),
        new("drift", "Drift", NavLinkMatch.Prefix),
        new("flows", "Flows", NavLinkMatch.Prefix),
        new("map", "Map", NavLinkMatch.Prefix),
        new("diagnostics", "Diagnostics", NavLinkMatch.Prefix),
    ];

    // Markup[i] has item i active; the last entry has none active (a page that is not in the bar).
    private static readonly string[] Markup = [.. Enumerable.Range(0, Items.Length + 1).Select(BuildMarkup)];

    private int _active = Items.Length;

    [Inject]
    private NavigationManager Nav { get; set; } = default!;

    protected override void OnInitialized()
    {
        _active = ActiveIndex(Nav.ToBaseRelativePath(Nav.Uri));
        Nav.LocationChanged += OnLocationChanged;
    }

    protected override void BuildRenderTree(RenderTreeBuilder builder) => builder.AddMarkupContent(0, Markup[_active]);

    /// <summary>Which item the page at <paramref name="relativePath"/> (relative to the base URI) belongs to; the item count for none.</summary>
    public static int ActiveIndex(string relativePath)
    {
        var end = relativePath.IndexOfAny(['?', '#']);
        var path = end < 0 ? relativePath : relativePath[..end];
        for (var i = 0; i < Items.Length; i++)
        {
            var href = Items[i].Href == "./" ? "" : Items[i].Href;
            var matches = Items[i].Match == NavLinkMatch.All
                ? path.Equals(href, StringComparison.OrdinalIgnoreCase)
                : path.Equals(href, StringComparison.OrdinalIgnoreCase) || path.StartsWith(href + "/", StringComparison.OrdinalIgnoreCase);
            if (matches)
            {
                return i;
            }
        }

        return Items.Length;
    }

    private void OnLocationChanged(object? sender, LocationChangedEventArgs e)
    {
        var active = ActiveIndex(Nav.ToBaseRelativePath(e.Location));
        if (active != _active)
        {
            _active = active;
            StateHasChanged();
        }
    }

    // The classes and structure MudNavLink renders, so MudBlazor's styles apply unchanged.
    private static string BuildMarkup(int active) => string.Join("\n", Items.Select((item, i) =>
        $"""<div class="mud-nav-item top-link"><a href="{WebUtility.HtmlEncode(item.Href)}" class="mud-nav-link mud-ripple{(i == active ? " active\" aria-current=\"page" : "")}"><div class="mud-nav-link-text">{WebUtility.HtmlEncode(item.Text)}</div></a></div>"""));

    public void Dispose() => Nav.LocationChanged -= OnLocationChanged;

    private sealed record NavItem(string Href, string Text, NavLinkMatch Match);
}
