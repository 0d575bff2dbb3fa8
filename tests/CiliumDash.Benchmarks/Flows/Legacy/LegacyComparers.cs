using CiliumDash.Protocols.Hubble;
using Endpoint = CiliumDash.Protocols.Hubble.Endpoint;

namespace CiliumDash.Benchmarks.Flows.Legacy;

/// <summary>
/// Hashes for the intern pools that read a few identifying fields instead of the whole message. Protobuf's own
/// GetHashCode walks every label and policy string of every flow, which made interning cost more than decoding; here
/// the hash is cheap and equality stays protobuf's full structural comparison, so only truly equal values are shared.
/// </summary>
internal static class LegacyComparers
{
    public static readonly IEqualityComparer<Endpoint> Endpoint = new EndpointComparer();

    public static readonly IEqualityComparer<Flow> Rest = new RestComparer();

    /// <summary>An endpoint is nearly always identified by its endpoint ID, identity, namespace and pod.</summary>
    private sealed class EndpointComparer : IEqualityComparer<Endpoint>
    {
        public bool Equals(Endpoint? x, Endpoint? y) => ReferenceEquals(x, y) || (x is not null && x.Equals(y));

        public int GetHashCode(Endpoint e) => HashCode.Combine(e.ID, e.Identity, e.Namespace, e.PodName, e.Labels.Count);
    }

    /// <summary>
    /// What is left of a flow once the row took its own fields: verdict, type, event, direction, policies, services,
    /// interface. Few distinct values; hashed by the fields that tell them apart most often.
    /// </summary>
    private sealed class RestComparer : IEqualityComparer<Flow>
    {
        public bool Equals(Flow? x, Flow? y) => ReferenceEquals(x, y) || (x is not null && x.Equals(y));

        public int GetHashCode(Flow f)
        {
            var kind = HashCode.Combine(f.Verdict, f.DropReasonDesc, f.Type, f.TrafficDirection, f.IsReply, f.EventType?.Type, f.EventType?.SubType, f.TraceObservationPoint);
            var policies = HashCode.Combine(f.IngressAllowedBy.Count, f.EgressAllowedBy.Count, f.IngressDeniedBy.Count, f.EgressDeniedBy.Count,
                f.IngressAllowedBy.Count > 0 ? f.IngressAllowedBy[0].Name : null, f.EgressAllowedBy.Count > 0 ? f.EgressAllowedBy[0].Name : null);
            var services = HashCode.Combine(f.SourceService?.Name, f.DestinationService?.Name, f.Interface?.Index, f.SourceNames.Count, f.DestinationNames.Count);
            return HashCode.Combine(kind, policies, services);
        }
    }
}
