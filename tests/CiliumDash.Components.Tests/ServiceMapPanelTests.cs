using Bunit;
using CiliumDash.Components.Controls;
using CiliumDash.Findings;
using CiliumDash.Flows;
using CiliumDash.Protocols.Hubble;
using CiliumDash.ServiceMap;
using CiliumDash.Shared;
using CiliumDash.Tests.Builders;
using MudBlazor.Services;

namespace CiliumDash.Components.Tests;

/// <summary>The map's node and link panels, rendered from a real map of built flows.</summary>
public sealed class ServiceMapPanelTests : BunitContext
{
    public ServiceMapPanelTests()
    {
        JSInterop.Mode = JSRuntimeMode.Loose;
        Services.AddMudServices();
    }

    [Fact]
    public void EdgePanel_DeniedLink_ShowsReasonWithHintPolicyAndTheWayToItsFlows()
    {
        using var flows = new FlowStore(TimeProvider.System, 100);
        using var map = new ServiceMapStore(flows);
        var denied = FlowData.Flow(0, verdict: "DROPPED", dropReason: "POLICY_DENIED");
        denied.IngressDeniedBy.Add(new Policy { Name = "default-deny", Namespace = "shop", Kind = "CiliumNetworkPolicy" });
        flows.Add(denied);
        flows.Add(FlowData.Flow(1));
        var edge = Assert.Single(map.Query(ServiceMapQuery.Default, AccessScope.All).Edges);
        string? copied = null;

        var panel = Render<MapEdgePanel>(p => p.Add(x => x.Edge, edge).Add(x => x.OnCopy, text => copied = text));

        Assert.Equal("denied", panel.Find("[data-testid=map-edge-state]").TextContent);
        Assert.Contains("POLICY_DENIED", panel.Find("[data-testid=map-edge-drops]").TextContent, StringComparison.Ordinal);
        Assert.Contains(DropReasons.Describe("POLICY_DENIED"), panel.Find("[data-testid=map-edge-drops]").TextContent, StringComparison.Ordinal);
        Assert.Contains("shop/default-deny ingress denied", panel.Find("[data-testid=map-edge-policies]").TextContent, StringComparison.Ordinal);
        Assert.Equal("flows?from-namespace=default&from-workload=frontend&to-namespace=shop&to-workload=cart", panel.Find("[data-testid=map-edge-flows]").GetAttribute("href"));
        panel.Find("[data-testid=map-edge-copy]").Click();
        Assert.Equal("hubble observe --from-namespace default --from-workload frontend --to-namespace shop --to-workload cart", copied);
    }

    [Fact]
    public void NodePanel_Workload_PodsWithTheirNodesAndFindingsOfThoseNodes()
    {
        using var flows = new FlowStore(TimeProvider.System, 100);
        using var map = new ServiceMapStore(flows);
        var flow = FlowData.Flow(0, node: "worker-1");
        flow.Source.ID = 77;
        flows.Add(flow);
        var node = map.Query(ServiceMapQuery.Default, AccessScope.All).Nodes.Single(n => n.Id == "workload:default/frontend");
        var onWorker = new Finding("f1", FindingSeverity.Critical, "agent-not-ok", new FindingSubject { Node = "worker-1" }, "Cilium agent on worker-1 is not OK", null, [], DateTimeOffset.UnixEpoch);
        var elsewhere = new Finding("f2", FindingSeverity.Warning, "agent-not-ok", new FindingSubject { Node = "worker-9" }, "Cilium agent on worker-9 is degraded", null, [], DateTimeOffset.UnixEpoch);
        var workload = MapWorkload.Of(node, map.Pods(node.Id), new FindingSet([onWorker, elsewhere], 1, DateTimeOffset.UnixEpoch), AccessScope.All);

        var panel = Render<MapNodePanel>(p => p.Add(x => x.Workload, workload));

        Assert.Equal("default/frontend", panel.Find("#map-node-title").TextContent);
        var pod = panel.Find("[data-testid=map-node-pods] tbody tr");
        Assert.Contains("frontend-7d4b9c6f5-x2x9k", pod.TextContent, StringComparison.Ordinal);
        Assert.Equal("nodes/worker-1", pod.QuerySelector("a")!.GetAttribute("href"));
        var findings = panel.Find("[data-testid=map-node-findings]").TextContent;
        Assert.Contains("worker-1 is not OK", findings, StringComparison.Ordinal);
        Assert.DoesNotContain("worker-9", findings, StringComparison.Ordinal);
    }

    [Fact]
    public void NodePanel_ReservedIdentity_SaysWhyItHasNoPods()
    {
        var node = new MapNodeView("reserved:world", MapNodeKinds.Reserved, "", "world", new Dictionary<string, string>(), 5, 0, 1, "identity=2");

        var panel = Render<MapNodePanel>(p => p.Add(x => x.Workload, new MapWorkload(node, [], [])));

        Assert.Contains("reserved identity", panel.Find("[data-testid=map-node-nopods]").TextContent, StringComparison.Ordinal);
        Assert.Equal("reserved:world", panel.Find("#map-node-title").TextContent);
    }
}
