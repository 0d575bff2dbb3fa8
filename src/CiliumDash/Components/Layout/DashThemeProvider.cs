using System.Collections.Concurrent;
using Microsoft.AspNetCore.Components.Rendering;
using MudBlazor;

namespace CiliumDash.Components.Layout;

/// <summary>
/// MudBlazor's theme provider with its CSS shared by every circuit. The stock provider writes the whole theme (about
/// 23 KB of CSS variables) as a new string on every render, and each circuit keeps two of them (its current and its
/// previous render tree): about 46 KB of every open tab's memory for text that is the same in every tab. Here each
/// distinct text is kept once per process and every circuit renders that one instance.
/// </summary>
/// <remarks>
/// The stock provider also writes a hover style for MudChart; nothing here uses MudChart, so it is left out.
/// </remarks>
public sealed class DashThemeProvider : MudThemeProvider
{
    // One entry per theme and mode (two in this app); the cap only guards against themes built per request.
    private const int MaxShared = 16;
    private static readonly ConcurrentDictionary<string, string> Shared = new(StringComparer.Ordinal);

    // Named as in the generated base method (CA1725).
    protected override void BuildRenderTree(RenderTreeBuilder __builder)
    {
        var css = (DefaultScrollbar ? "" : BuildMudBlazorScrollbar()) + BuildTheme();
        __builder.AddMarkupContent(0, Shared.Count < MaxShared ? Shared.GetOrAdd(css, css) : Shared.GetValueOrDefault(css, css));
    }
}
