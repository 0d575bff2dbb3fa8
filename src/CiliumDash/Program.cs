using CiliumDash.Hosting;

var builder = WebApplication.CreateBuilder(args);
builder.AddCiliumDash();

var app = builder.Build();
app.MapCiliumDash();
try
{
    app.Run();
}
catch (ExposureRefusedException)
{
    // Already logged with the reason and the ways out; a refusal is a configuration error, not a crash.
    return 1;
}

return 0;

/// <summary>Entry point; public so that tests can host the app with WebApplicationFactory.</summary>
public partial class Program;
