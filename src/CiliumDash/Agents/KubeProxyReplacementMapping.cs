using Wire = CiliumDash.Protocols.Agent;

namespace CiliumDash.Agents;

/// <summary><c>kube-proxy-replacement</c> mapped, with the older names (device names, host-reachable services) as fallbacks.</summary>
internal static class KubeProxyReplacementMapping
{
    public static KubeProxyReplacementStatus? Map(Wire.KubeProxyReplacement? kpr)
    {
        if (kpr is not { } k)
        {
            return null;
        }

        var f = k.Features;
        var np = f?.NodePort;
        var deviceList = AgentStatusMapping.Items(k.DeviceList);
        var devices = AgentStatusMapping.Items(k.Devices);
        if (devices.Count == 0)
        {
            devices = deviceList.Select(d => d.Name ?? "").Where(n => n.Length > 0).ToList();
        }

        var hostReachable = f?.HostReachableServices;
        return new KubeProxyReplacementStatus(
            Mode: k.Mode,
            Devices: devices,
            DirectRoutingDevice: k.DirectRoutingDevice,
            SocketLb: f?.SocketLb?.Enabled ?? hostReachable?.Enabled,
            SocketLbTracing: f?.SocketLbTracing?.Enabled,
            SocketLbHostnsOnly: f?.BpfSocketLbHostnsOnly,
            SocketLbProtocols: AgentStatusMapping.Items(hostReachable?.Protocols),
            NodePort: np?.Enabled,
            NodePortMode: np?.Mode,
            DsrMode: np?.DsrMode,
            BackendSelection: np?.Algorithm,
            MaglevTableSize: np?.LutSize,
            Acceleration: np?.Acceleration,
            NodePortMin: np?.PortMin,
            NodePortMax: np?.PortMax,
            HostPort: f?.HostPort?.Enabled,
            ExternalIps: f?.ExternalIps?.Enabled,
            SessionAffinity: f?.SessionAffinity?.Enabled,
            GracefulTermination: f?.GracefulTermination?.Enabled,
            Nat46X64: f?.Nat46X64?.Enabled)
        {
            DeviceAddresses = deviceList.Where(d => d.Name is { Length: > 0 })
                .GroupBy(d => d.Name!).ToDictionary(g => g.Key, g => AgentStatusMapping.Items(g.First().Ip)),
            Annotations = AgentStatusMapping.Items(f?.Annotations),
            Nat46X64GatewayPrefixes = AgentStatusMapping.Items(f?.Nat46X64?.Gateway?.Prefixes),
            Nat46X64Service = f?.Nat46X64?.Service?.Enabled,
        };
    }
}
