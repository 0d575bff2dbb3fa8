namespace CiliumDash.Connectivity;

/// <summary>Deep links into the matrix page: a pair opens with its history panel. Relative, so they work under a PathBase.</summary>
public static class ConnectivityLinks
{
    public static string Pair(string from, string to) => $"connectivity?from={Uri.EscapeDataString(from)}&to={Uri.EscapeDataString(to)}";
}
