namespace CiliumDash.Testing;

/// <summary>An xunit class fixture: one dashboard (with these settings) and a loopback client, shared by a test class.</summary>
public abstract class DashboardFixture : IDisposable
{
    protected DashboardFixture(IDictionary<string, string?>? settings = null)
    {
        Dashboard = new DashboardServer(settings);
        Client = Dashboard.CreateLoopbackClient();
    }

    public DashboardServer Dashboard { get; }

    public HttpClient Client { get; }

    public void Dispose()
    {
        Dispose(true);
        GC.SuppressFinalize(this);
    }

    protected virtual void Dispose(bool disposing)
    {
        if (disposing)
        {
            Client.Dispose();
            Dashboard.Dispose();
        }
    }
}
