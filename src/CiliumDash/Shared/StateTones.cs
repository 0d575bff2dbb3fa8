namespace CiliumDash.Shared;

/// <summary>
/// What Cilium's and Kubernetes' words mean in colour, for the pages and the SVG images alike: <c>ok</c>, <c>warn</c>,
/// <c>bad</c>, <c>off</c>, <c>info</c> or <c>unknown</c>. Unknown is never green. A finding's severity word
/// (<c>critical</c>, <c>warning</c>, <c>info</c>) gets its colour here too, so a severity looks the same everywhere.
/// </summary>
public static class StateTones
{
    public static string Of(string? state) => state switch
    {
        "Ok" or "OK" or "True" or "Connected" or "Running" or "FORWARDED" or "reachable" or "NODE_CONNECTED" => "ok",
        "Warning" or "Reconnecting" or "Connecting" or "Pending" or "AUDIT" or "degraded" => "warn",
        "Failure" or "Failed" or "Error" or "DROPPED" or "ERROR" or "CrashLoopBackOff" or "unreachable" or "NODE_UNAVAILABLE" => "bad",
        "disabled" or "Disabled" => "off",
        "critical" => "bad",
        "warning" => "warn",
        "info" => "info",
        _ when state?.Contains("error", StringComparison.OrdinalIgnoreCase) == true => "bad",
        _ => "unknown",
    };
}
