namespace CiliumDash.Hosting;

public static class CiliumDashHostingExtensions
{
    public static WebApplicationBuilder AddCiliumDash(this WebApplicationBuilder builder) => builder;

    public static WebApplication MapCiliumDash(this WebApplication app)
    {
        app.MapGet("/healthz", () => "ok");
        return app;
    }
}
