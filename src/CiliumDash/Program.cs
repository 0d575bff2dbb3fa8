using CiliumDash.Hosting;

var builder = WebApplication.CreateBuilder(args);
builder.AddCiliumDash();

var app = builder.Build();
app.MapCiliumDash();
app.Run();

/// <summary>Entry point; public so that tests can host the app with WebApplicationFactory.</summary>
public partial class Program;
