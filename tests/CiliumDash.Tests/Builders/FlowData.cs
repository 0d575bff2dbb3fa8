using CiliumDash.Flows;

namespace CiliumDash.Tests.Builders;

/// <summary>Flow rows for store and page tests.</summary>
internal static class FlowData
{
    private static readonly DateTimeOffset Start = new(2024, 5, 1, 12, 0, 0, TimeSpan.Zero);

    public static FlowRecord Flow(
        int sequence = 0,
        string? uuid = null,
        string node = "fedora",
        string verdict = "FORWARDED",
        string? dropReason = null,
        string sourcePod = "frontend-7d4b9c6f5-x2x9k",
        string destinationPod = "cart-5c7d9f8b6-abcde",
        string summary = "TCP Flags: SYN",
        DateTimeOffset? time = null) =>
        new(time ?? Start.AddMilliseconds(sequence), uuid ?? $"00000000-0000-4000-8000-{sequence:D12}", node, verdict, dropReason,
            new FlowEndpoint("default", sourcePod, "10.0.0.10", 10004, ["k8s:app=frontend"], "frontend", ""),
            new FlowEndpoint("shop", destinationPod, "10.0.1.20", 10008, ["k8s:app=cart"], "cart", "shop/cart"),
            "TCP", 41234, 8080, "L3_L4", "EGRESS", false, summary);
}
