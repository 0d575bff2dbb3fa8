using System.Text;

namespace CiliumDash.Simulator.Kubernetes;

/// <summary>
/// Legacy (non-aggregated) discovery documents. Clients that ask for aggregated discovery get plain
/// <c>application/json</c> back and fall back to walking these, as they do against older API servers.
/// </summary>
internal static class Discovery
{
    public static readonly byte[] Version = Encoding.UTF8.GetBytes("""
        {"major":"1","minor":"32","gitVersion":"v1.32.4","gitCommit":"59526cd4867447956156ae3a602fcbac10a2c335","gitTreeState":"clean","buildDate":"2025-04-22T16:02:27Z","goVersion":"go1.23.6","compiler":"gc","platform":"linux/amd64"}
        """);

    public static readonly byte[] CoreVersions = Encoding.UTF8.GetBytes("""
        {"kind":"APIVersions","versions":["v1"],"serverAddressByClientCIDRs":[{"clientCIDR":"0.0.0.0/0","serverAddress":"127.0.0.1"}]}
        """);

    public static readonly byte[] CoreV1 = Encoding.UTF8.GetBytes("""
        {"kind":"APIResourceList","groupVersion":"v1","resources":[
        {"name":"pods","singularName":"pod","namespaced":true,"kind":"Pod","verbs":["get","list","watch"],"shortNames":["po"],"categories":["all"]},
        {"name":"pods/exec","singularName":"","namespaced":true,"kind":"PodExecOptions","verbs":["create","get"]},
        {"name":"nodes","singularName":"node","namespaced":false,"kind":"Node","verbs":["get","list","watch"],"shortNames":["no"]}]}
        """);

    public static readonly byte[] Groups = Encoding.UTF8.GetBytes($$"""
        {"kind":"APIGroupList","apiVersion":"v1","groups":[{{AppsGroupBody}},{{CiliumGroupBody}},{{DiscoveryGroupBody}},{{NetworkingGroupBody}}]}
        """);

    public static readonly byte[] AppsGroup = Encoding.UTF8.GetBytes($$"""{"kind":"APIGroup","apiVersion":"v1",{{AppsGroupBody[1..]}}""");

    public static readonly byte[] CiliumGroup = Encoding.UTF8.GetBytes($$"""{"kind":"APIGroup","apiVersion":"v1",{{CiliumGroupBody[1..]}}""");

    public static readonly byte[] AppsV1 = Encoding.UTF8.GetBytes("""
        {"kind":"APIResourceList","apiVersion":"v1","groupVersion":"apps/v1","resources":[
        {"name":"daemonsets","singularName":"daemonset","namespaced":true,"kind":"DaemonSet","verbs":["get","list","watch"],"shortNames":["ds"],"categories":["all"]},
        {"name":"deployments","singularName":"deployment","namespaced":true,"kind":"Deployment","verbs":["get","list","watch"],"shortNames":["deploy"],"categories":["all"]}]}
        """);

    public static readonly byte[] CiliumV2 = Encoding.UTF8.GetBytes("""
        {"kind":"APIResourceList","apiVersion":"v1","groupVersion":"cilium.io/v2","resources":[
        {"name":"ciliumendpoints","singularName":"ciliumendpoint","namespaced":true,"kind":"CiliumEndpoint","verbs":["get","list","watch"],"shortNames":["cep","ciliumep"],"categories":["cilium"]},
        {"name":"ciliumnodes","singularName":"ciliumnode","namespaced":false,"kind":"CiliumNode","verbs":["get","list","watch"],"shortNames":["cn","ciliumn"],"categories":["cilium"]},
        {"name":"ciliumnetworkpolicies","singularName":"ciliumnetworkpolicy","namespaced":true,"kind":"CiliumNetworkPolicy","verbs":["get","list","watch"],"shortNames":["cnp","ciliumnp"],"categories":["cilium","ciliumpolicy"]},
        {"name":"ciliumclusterwidenetworkpolicies","singularName":"ciliumclusterwidenetworkpolicy","namespaced":false,"kind":"CiliumClusterwideNetworkPolicy","verbs":["get","list","watch"],"shortNames":["ccnp"],"categories":["cilium","ciliumpolicy"]}]}
        """);

    public static readonly byte[] DiscoveryGroup = Encoding.UTF8.GetBytes($$"""{"kind":"APIGroup","apiVersion":"v1",{{DiscoveryGroupBody[1..]}}""");

    public static readonly byte[] DiscoveryV1 = Encoding.UTF8.GetBytes("""
        {"kind":"APIResourceList","apiVersion":"v1","groupVersion":"discovery.k8s.io/v1","resources":[
        {"name":"endpointslices","singularName":"endpointslice","namespaced":true,"kind":"EndpointSlice","verbs":["get","list","watch"]}]}
        """);

    public static readonly byte[] NetworkingGroup = Encoding.UTF8.GetBytes($$"""{"kind":"APIGroup","apiVersion":"v1",{{NetworkingGroupBody[1..]}}""");

    public static readonly byte[] NetworkingV1 = Encoding.UTF8.GetBytes("""
        {"kind":"APIResourceList","apiVersion":"v1","groupVersion":"networking.k8s.io/v1","resources":[
        {"name":"networkpolicies","singularName":"networkpolicy","namespaced":true,"kind":"NetworkPolicy","verbs":["get","list","watch"],"shortNames":["netpol"]}]}
        """);

    private const string NetworkingGroupBody =
        """{"name":"networking.k8s.io","versions":[{"groupVersion":"networking.k8s.io/v1","version":"v1"}],"preferredVersion":{"groupVersion":"networking.k8s.io/v1","version":"v1"}}""";

    private const string DiscoveryGroupBody =
        """{"name":"discovery.k8s.io","versions":[{"groupVersion":"discovery.k8s.io/v1","version":"v1"}],"preferredVersion":{"groupVersion":"discovery.k8s.io/v1","version":"v1"}}""";

    private const string AppsGroupBody =
        """{"name":"apps","versions":[{"groupVersion":"apps/v1","version":"v1"}],"preferredVersion":{"groupVersion":"apps/v1","version":"v1"}}""";

    private const string CiliumGroupBody =
        """{"name":"cilium.io","versions":[{"groupVersion":"cilium.io/v2","version":"v2"}],"preferredVersion":{"groupVersion":"cilium.io/v2","version":"v2"}}""";
}
