using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace CiliumDash.Simulator.Kubernetes;

/// <summary>A metav1.Status failure, as the API server returns for errors (also the body KubernetesClient parses).</summary>
internal sealed record KubeStatus(int Code, string Reason, string Message, string? Name = null, string? Group = null, string? Kind = null)
{
    public static KubeStatus NotFound(string resource, string name, string? group = null) =>
        new(404, "NotFound", $"{resource}{(group is null ? "" : "." + group)} \"{name}\" not found", name, group, resource);

    public static KubeStatus UnknownPath() => new(404, "NotFound", "the server could not find the requested resource");

    public static KubeStatus BadRequest(string message) => new(400, "BadRequest", message);

    public static KubeStatus InternalError(string message) => new(500, "InternalError", $"Internal error occurred: {message}");

    public byte[] ToJson() => KubeJson.Render(w =>
    {
        w.WriteStartObject();
        w.WriteString("kind", "Status");
        w.WriteString("apiVersion", "v1");
        WriteBody(w);
        w.WriteNumber("code", Code);
        w.WriteEndObject();
    });

    /// <summary>The exec error channel carries the status without kind/apiVersion (as the v4 protocol writes it).</summary>
    public byte[] ToExecErrorJson() => KubeJson.Render(w =>
    {
        w.WriteStartObject();
        WriteBody(w);
        w.WriteNumber("code", Code);
        w.WriteEndObject();
    });

    public async Task WriteAsync(HttpContext context)
    {
        context.Response.StatusCode = Code;
        context.Response.ContentType = KubeJson.ContentType;
        await context.Response.Body.WriteAsync(ToJson(), context.RequestAborted);
    }

    private void WriteBody(Utf8JsonWriter w)
    {
        w.WriteStartObject("metadata");
        w.WriteEndObject();
        w.WriteString("status", "Failure");
        w.WriteString("message", Message);
        w.WriteString("reason", Reason);
        w.WriteStartObject("details");
        if (Name is not null)
        {
            w.WriteString("name", Name);
        }

        if (Group is not null)
        {
            w.WriteString("group", Group);
        }

        if (Kind is not null)
        {
            w.WriteString("kind", Kind);
        }

        w.WriteEndObject();
    }
}
