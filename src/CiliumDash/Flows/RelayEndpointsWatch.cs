using System.Text.RegularExpressions;
using CiliumDash.Shared;
using k8s;
using k8s.Models;

namespace CiliumDash.Flows;

/// <summary>
/// Watches the EndpointSlices of hubble-relay's Service and says when it has a Ready endpoint again, so the flow
/// source reconnects at once after a relay restart instead of waiting out its backoff. Only a shortcut: without it
/// (no Kubernetes source, an address that is not the Service, no RBAC for endpointslices) the backoff still reconnects.
/// </summary>
public sealed partial class RelayEndpointsWatch(KubernetesClientConfiguration config, string serviceNamespace, string service)
{
    public string Namespace { get; } = serviceNamespace;

    public string Service { get; } = service;

    /// <summary>
    /// The watch for this relay address: the in-cluster Service name (<c>name.namespace.svc[.cluster.local]</c>), or the
    /// simulated cluster's own hubble-relay Service; null when the address is not a Service we can watch.
    /// </summary>
    public static RelayEndpointsWatch? For(ClusterEndpoints endpoints, string address)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        if (endpoints.Kubernetes is not { } config)
        {
            return null;
        }

        if (ServiceOf(address) is var (ns, name))
        {
            return new RelayEndpointsWatch(config, ns, name);
        }

        return endpoints.Simulated ? new RelayEndpointsWatch(config, "kube-system", "hubble-relay") : null;
    }

    /// <summary><c>http://hubble-relay.kube-system.svc:80</c> → (kube-system, hubble-relay); null for any other host.</summary>
    public static (string Namespace, string Name)? ServiceOf(string address)
    {
        if (!Uri.TryCreate(address, UriKind.Absolute, out var uri))
        {
            return null;
        }

        var match = ServiceHost().Match(uri.Host);
        return match.Success ? (match.Groups["ns"].Value, match.Groups["name"].Value) : null;
    }

    /// <summary>Calls <paramref name="ready"/> whenever the Service goes from no Ready endpoint to one; until stopped.</summary>
    public async Task RunAsync(Action ready, TimeProvider time, ILogger logger, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(ready);
        using var client = new Kubernetes(config);
        var policy = new ReconnectPolicy($"watch of EndpointSlices of {Namespace}/{Service}", TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(30),
            _ => FailureKind.Transient, ex => ex.Message);
        var loop = new ReconnectLoop(policy, time, logger, _ => { });
        await loop.RunAsync(c => WatchOnceAsync(client, ready, c), ct);
    }

    private async ValueTask WatchOnceAsync(Kubernetes client, Action ready, CancellationToken ct)
    {
        var readySlices = new HashSet<string>(StringComparer.Ordinal);
        var seen = 0;
        Exception? failed = null;
        var events = client.DiscoveryV1.WatchListNamespacedEndpointSliceAsync(Namespace,
            labelSelector: $"kubernetes.io/service-name={Service}", onError: e => failed = e, cancellationToken: ct);
        await foreach (var (type, slice) in events)
        {
            seen++;
            var before = readySlices.Count;
            var name = slice.Metadata?.Name ?? "";
            if (type != WatchEventType.Deleted && slice.Endpoints?.Any(e => e.Conditions?.Ready == true) == true)
            {
                readySlices.Add(name);
            }
            else
            {
                readySlices.Remove(name);
            }

            if (before == 0 && readySlices.Count > 0)
            {
                ready();
            }
        }

        ct.ThrowIfCancellationRequested();
        if (failed is not null)
        {
            throw failed;
        }

        if (seen == 0)
        {
            // A watch that ends at once with nothing in it would otherwise restart in a tight loop.
            throw new InvalidOperationException($"the watch of EndpointSlices of {Namespace}/{Service} ended without an event");
        }
    }

    [GeneratedRegex(@"^(?<name>[a-z0-9]([-a-z0-9]*[a-z0-9])?)\.(?<ns>[a-z0-9]([-a-z0-9]*[a-z0-9])?)\.svc(\.cluster\.local)?\.?$", RegexOptions.CultureInvariant)]
    private static partial Regex ServiceHost();
}
