namespace CiliumDash.Simulator;

/// <summary>Standalone simulator entry point (named so it never clashes with the web app's Program in tests).</summary>
internal static class SimulatorProgram
{
    public static int Main() => 0;
}
