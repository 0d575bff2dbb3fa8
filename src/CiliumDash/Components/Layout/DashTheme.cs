using MudBlazor;

namespace CiliumDash.Components.Layout;

/// <summary>
/// Compact operator theme: colour means something (red act now, amber degraded, grey unknown). Every text colour here
/// keeps at least 4.5:1 against the background it sits on (WCAG AA), in both schemes, muted text included.
/// </summary>
public static class DashTheme
{
    public static readonly MudTheme Theme = new()
    {
        PaletteLight = new PaletteLight
        {
            Primary = "#0969da", AppbarBackground = "#0d1117", Success = "#1a7f37", Warning = "#9a6700", Error = "#cf222e", Info = "#0969da",
            TextPrimary = "#1f2328", TextSecondary = "#59636e", ActionDefault = "#59636e",
        },
        PaletteDark = new PaletteDark
        {
            Primary = "#58a6ff", PrimaryContrastText = "#0d1117", AppbarBackground = "#010409", Success = "#3fb950", Warning = "#d29922", Error = "#f85149", Info = "#58a6ff",
            Background = "#0d1117", Surface = "#161b22", DrawerBackground = "#161b22", TextPrimary = "#e6edf3", TextSecondary = "#9198a1",
            ActionDefault = "#9198a1", LinesDefault = "#30363d", TableLines = "#30363d", Divider = "#30363d",
        },
        Typography = new Typography { Default = new DefaultTypography { FontSize = "0.875rem" } },
    };
}
