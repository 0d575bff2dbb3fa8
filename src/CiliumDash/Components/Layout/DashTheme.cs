using MudBlazor;

namespace CiliumDash.Components.Layout;

/// <summary>Compact operator theme: colour means something (red act now, amber degraded, grey unknown).</summary>
public static class DashTheme
{
    public static readonly MudTheme Theme = new()
    {
        PaletteLight = new PaletteLight { Primary = "#1f6feb", AppbarBackground = "#0d1117", Success = "#1a7f37", Warning = "#bf8700", Error = "#cf222e" },
        PaletteDark = new PaletteDark { Primary = "#58a6ff", AppbarBackground = "#010409", Success = "#3fb950", Warning = "#d29922", Error = "#f85149" },
        Typography = new Typography { Default = new DefaultTypography { FontSize = "0.875rem" } },
    };
}
