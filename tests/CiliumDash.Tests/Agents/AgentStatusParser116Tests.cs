using System.Text;
using CiliumDash.Agents;

namespace CiliumDash.Tests.Agents;

/// <summary>
/// The 1.16 wire shape sits between the two the simulator generates: `routing` has replaced `host-routing`, KPR
/// speaks True/False, but Hubble's metrics state is still inside `hubble` (it moved to `hubble-metrics` in 1.18).
/// </summary>
public sealed class AgentStatusParser116Tests
{
    private const string Cilium116 = """
        {
          "attach-mode": "tcx",
          "datapath-mode": "veth",
          "cilium": {"state": "Ok", "msg": "1.16.3 (v1.16.3-f1b8a3c2)"},
          "kvstore": {"state": "Ok", "msg": "Disabled"},
          "kubernetes": {"state": "Ok", "msg": "1.30 (v1.30.4) [linux/amd64]", "k8s-api-versions": ["cilium/v2::CiliumNode"]},
          "kube-proxy-replacement": {
            "mode": "True",
            "devices": ["eth0"],
            "directRoutingDevice": "eth0",
            "features": {
              "nodePort": {"enabled": true, "mode": "Hybrid", "dsrMode": "IP Option/Extension", "algorithm": "Maglev", "lutSize": 65521, "acceleration": "Best-Effort", "portMin": 30000, "portMax": 32767},
              "socketLB": {"enabled": true},
              "socketLBTracing": {"enabled": true},
              "bpfSocketLBHostnsOnly": true,
              "hostPort": {"enabled": true},
              "externalIPs": {"enabled": true},
              "sessionAffinity": {"enabled": true},
              "gracefulTermination": {"enabled": true},
              "nat46X64": {}
            }
          },
          "routing": {"intra-host-routing-mode": "Legacy", "inter-host-routing-mode": "Tunnel", "tunnel-protocol": "vxlan"},
          "masquerading": {"enabled": true, "mode": "BPF", "enabledProtocols": {"ipv4": true}},
          "hubble": {"state": "Ok", "msg": "", "observer": {"current-flows": 4095, "max-flows": 4095, "seen-flows": 123456, "uptime": "2h3m4.5s"}, "metrics": {"state": "Ok"}},
          "encryption": {"mode": "Wireguard", "wireguard": {"interfaces": [{"name": "cilium_wg0", "listen-port": 51871, "peer-count": 2}]}},
          "cluster-mesh": {"clusters": [{"name": "eu-2", "ready": true, "connected": true, "num-nodes": 12, "num-failures": 1}], "num-global-services": 3},
          "controllers": [{"name": "sync-to-k8s-ciliumendpoint (42)", "status": {"success-count": 7, "last-success-timestamp": "2026-11-28T10:00:00.000Z", "last-failure-timestamp": "0001-01-01T00:00:00.000Z"}}],
          "future-section-from-1-17": {"anything": [1, 2, 3]}
        }
        """;

    [Fact]
    public void Parse_Cilium116Document_ReadsRoutingKprWordsAndHubbleMetricsFromTheirPlaces()
    {
        var status = AgentStatusParser.Parse(Encoding.UTF8.GetBytes(Cilium116)).Value!;

        Assert.Empty(status.ParseWarnings);
        Assert.Equal("1.16.3", status.Version);
        Assert.Equal(new RoutingStatus("Legacy", "Tunnel", "vxlan", FromLegacyHostRouting: false), status.Routing);
        var kpr = status.KubeProxyReplacement!;
        Assert.Equal(("True", "Hybrid", "IP Option/Extension", "Maglev", 65521L, "Best-Effort"), (kpr.Mode, kpr.NodePortMode, kpr.DsrMode, kpr.BackendSelection, kpr.MaglevTableSize!.Value, kpr.Acceleration));
        Assert.True(kpr.SocketLbHostnsOnly);
        Assert.Null(kpr.Nat46X64);   // an empty object: the agent omits false, so "not enabled" reads as not reported
        Assert.Equal("Ok", status.HubbleMetrics!.State);
        Assert.Equal(["cilium_wg0"], status.Encryption!.WireguardInterfaces);
        Assert.Equal(3, status.ClusterMesh!.GlobalServices);
        Assert.Equal(("tcx", "veth"), (status.AttachMode, status.DatapathMode));
        var controller = Assert.Single(status.Controllers!);
        Assert.Null(controller.LastFailure);
        Assert.Equal(0, controller.ConsecutiveFailureCount);
    }
}
