namespace CiliumDash.Components.Controls;

/// <summary>Maps Cilium's and Kubernetes' words to the dashboard's colour meanings. Unknown is never green.</summary>
public static class StateColors
{
    public static string Css(string? state) => state switch
    {
        "Ok" or "OK" or "True" or "Connected" or "Running" or "FORWARDED" or "reachable" => "ok",
        "Warning" or "Reconnecting" or "Connecting" or "Pending" or "AUDIT" or "degraded" => "warn",
        "Failure" or "Failed" or "Error" or "DROPPED" or "ERROR" or "CrashLoopBackOff" or "unreachable" => "bad",
        "disabled" or "Disabled" => "off",
        _ when state?.Contains("error", StringComparison.OrdinalIgnoreCase) == true => "bad",
        _ => "unknown",
    };
}
