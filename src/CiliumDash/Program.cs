using CiliumDash.Hosting;

var builder = WebApplication.CreateBuilder(args);
builder.AddCiliumDash();

var app = builder.Build();
app.MapCiliumDash();
var exposure = app.Services.GetRequiredService<ExposureGuard>();
app.Run();

// A refused anonymous exposure stopped the app after logging why: a configuration error, so not a clean exit.
return exposure.Refused ? 1 : 0;

/// <summary>Entry point; public so that tests can host the app with WebApplicationFactory.</summary>
public partial class Program;
