namespace CiliumDash.Simulator.Kubernetes;

/// <summary>Writes a kubeconfig that points kubectl and KubernetesClient at the stand-in (plain HTTP, dummy token).</summary>
public static class KubeconfigWriter
{
    public static void Write(string path, Uri server, string context = "ciliumdash-sim")
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(server);
        ArgumentException.ThrowIfNullOrEmpty(context);
        if (server.Scheme is not ("http" or "https"))
        {
            throw new ArgumentException($"Kubernetes server URL must be http or https, not {server.Scheme}: {server}", nameof(server));
        }

        // YAML double-quoted scalars: the values come from our own URI and context name, escape quotes and backslashes anyway.
        var serverText = Quote(server.GetLeftPart(UriPartial.Authority));
        var name = Quote(context);
        var text = $"""
            apiVersion: v1
            kind: Config
            clusters:
            - name: {name}
              cluster:
                server: {serverText}
            users:
            - name: {name}
              user:
                token: "simulated-cluster-token"
            contexts:
            - name: {name}
              context:
                cluster: {name}
                user: {name}
                namespace: kube-system
            current-context: {name}
            preferences: {"{}"}

            """;
        var directory = Path.GetDirectoryName(Path.GetFullPath(path));
        if (!string.IsNullOrEmpty(directory))
        {
            Directory.CreateDirectory(directory);
        }

        File.WriteAllText(path, text);
    }

    private static string Quote(string value) => "\"" + value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"";
}
