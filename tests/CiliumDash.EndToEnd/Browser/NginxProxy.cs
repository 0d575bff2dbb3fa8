using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using CiliumDash.Testing;

namespace CiliumDash.EndToEnd.Browser;

/// <summary>
/// A real nginx (Debian's package) on 127.0.0.1 in front of the dashboard, serving it under a sub-path the way an
/// Ingress does, with WebSocket upgrades for the Blazor circuit and the hub, and optionally an authenticating
/// proxy's user headers (as oauth2-proxy would set them).
/// </summary>
public sealed class NginxProxy : IAsyncDisposable
{
    public const string NginxPath = "/usr/sbin/nginx";

    private readonly Process _process;
    private readonly string _dir;

    private NginxProxy(Process process, string dir, Uri baseAddress)
    {
        _process = process;
        _dir = dir;
        BaseAddress = baseAddress;
    }

    /// <summary>http://127.0.0.1:port/subpath/ — where the browser goes.</summary>
    public Uri BaseAddress { get; }

    public static async Task<NginxProxy> StartAsync(Uri upstream, string subPath, IReadOnlyDictionary<string, string>? userHeaders = null)
    {
        if (!File.Exists(NginxPath))
        {
            throw new InvalidOperationException($"the sub-path tests need nginx at {NginxPath}: run `apt-get install -y --no-install-recommends nginx-light` (./test.sh does it)");
        }

        var dir = Directory.CreateTempSubdirectory("ciliumdash-nginx-").FullName;
        var port = FreePort();
        var headers = string.Concat((userHeaders ?? new Dictionary<string, string>()).Select(h => $"      proxy_set_header {h.Key} \"{h.Value}\";\n"));
        var conf = $$"""
            worker_processes 1;
            daemon off;
            user root;
            pid {{dir}}/nginx.pid;
            error_log {{dir}}/error.log warn;
            events { worker_connections 256; }
            http {
              access_log off;
              client_body_temp_path {{dir}}/body;
              proxy_temp_path {{dir}}/proxy;
              fastcgi_temp_path {{dir}}/fastcgi;
              uwsgi_temp_path {{dir}}/uwsgi;
              scgi_temp_path {{dir}}/scgi;
              map $http_upgrade $connection_upgrade { default upgrade; '' close; }
              server {
                listen 127.0.0.1:{{port}};
                location {{subPath}}/ {
                  proxy_pass http://{{upstream.Authority}};
                  proxy_http_version 1.1;
                  proxy_set_header Upgrade $http_upgrade;
                  proxy_set_header Connection $connection_upgrade;
                  proxy_set_header Host $host;
                  proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
                  proxy_set_header X-Forwarded-Proto $scheme;
                  proxy_buffering off;
                  proxy_read_timeout 1h;
            {{headers}}    }
              }
            }
            """;
        var confPath = Path.Combine(dir, "nginx.conf");
        await File.WriteAllTextAsync(confPath, conf);
        var process = Process.Start(new ProcessStartInfo(NginxPath, ["-c", confPath, "-p", dir, "-e", Path.Combine(dir, "error.log")])
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
        }) ?? throw new InvalidOperationException("nginx did not start");
        var baseAddress = new Uri($"http://127.0.0.1:{port}{subPath}/");
        try
        {
            using var probe = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
            await Eventually.True(async () =>
            {
                if (process.HasExited)
                {
                    throw new InvalidOperationException($"nginx exited with {process.ExitCode}: {await File.ReadAllTextAsync(Path.Combine(dir, "error.log"))}");
                }

                try
                {
                    return (await probe.GetAsync(new Uri(baseAddress, "healthz"))).StatusCode == HttpStatusCode.OK;
                }
                catch (HttpRequestException)
                {
                    return false;
                }
            }, "nginx to proxy /healthz");
        }
        catch
        {
            // nginx that never became ready is stopped, not left running.
            await StopAsync(process, dir);
            throw;
        }

        return new NginxProxy(process, dir, baseAddress);
    }

    public ValueTask DisposeAsync() => new(StopAsync(_process, _dir));

    private static async Task StopAsync(Process process, string dir)
    {
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }

        process.Dispose();
        Directory.Delete(dir, recursive: true);
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
