using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using CiliumDash.Configuration;
using Grpc.Net.Client;

namespace CiliumDash.Flows;

/// <summary>The gRPC channel to hubble-relay: plaintext (h2c) for http://, TLS with Cilium's relay CA, client certificate and server name otherwise.</summary>
public static class RelayChannel
{
    public static GrpcChannel Create(string address, RelayTlsOptions tls)
    {
        ArgumentNullException.ThrowIfNull(tls);
        var sockets = new SocketsHttpHandler
        {
            EnableMultipleHttp2Connections = true,
            KeepAlivePingDelay = TimeSpan.FromSeconds(30),
            KeepAlivePingTimeout = TimeSpan.FromSeconds(10),
            // The default 64 KB window makes the client send a WINDOW_UPDATE every few dozen flows and the relay wait for
            // it: at 300,000 flows/s that cost a fifth of our CPU and half of the sender's (docs/benchmarks.md §3). 4 MB
            // is also the most this stream buffers when we fall behind; the relay then drops and reports lost events.
            InitialHttp2StreamWindowSize = 4 * 1024 * 1024,
            // A connection attempt (TCP and TLS handshake) never hangs a call: it fails, and the source's own loop retries.
            ConnectTimeout = TimeSpan.FromSeconds(10),
            // Our own connect, so that gRPC's subchannel connectivity stays off for this single-address channel. With it,
            // calls on a fresh channel queued behind another call's failed connection, and gRPC's own reconnect backoff
            // (up to 120 s) stacked on the source's: a relay that was back could stay unreached, and a first failure
            // could land on the ServerStatus poll (which reports nothing) while the flow stream waited unseen.
            ConnectCallback = ConnectAsync,
        };
        HttpMessageHandler handler = sockets;
        var uri = new Uri(address);
        if (tls.Enabled && uri.Scheme == Uri.UriSchemeHttp)
        {
            uri = new UriBuilder(uri) { Scheme = Uri.UriSchemeHttps, Port = uri.Port }.Uri;
        }

        if (uri.Scheme == Uri.UriSchemeHttps)
        {
            sockets.SslOptions = Ssl(tls);
            if (!string.IsNullOrEmpty(tls.ServerName))
            {
                handler = new ServerNameHandler(HostHeader(tls.ServerName, uri.Port), sockets);
            }
        }

        return GrpcChannel.ForAddress(uri, new GrpcChannelOptions { HttpHandler = handler, DisposeHttpClient = true });
    }

    public static SslClientAuthenticationOptions Ssl(RelayTlsOptions tls)
    {
        ArgumentNullException.ThrowIfNull(tls);
        var options = new SslClientAuthenticationOptions();
        if (!string.IsNullOrEmpty(tls.CertFile) && !string.IsNullOrEmpty(tls.KeyFile))
        {
            using var pem = X509Certificate2.CreateFromPemFile(tls.CertFile, tls.KeyFile);
            // Windows' SChannel needs an exportable key; elsewhere this is a cheap copy.
            options.ClientCertificates = [X509CertificateLoader.LoadPkcs12(pem.Export(X509ContentType.Pkcs12), null)];
        }

        if (!string.IsNullOrEmpty(tls.CaFile))
        {
            var roots = new X509Certificate2Collection();
            roots.ImportFromPemFile(tls.CaFile);
            options.CertificateChainPolicy = new X509ChainPolicy
            {
                TrustMode = X509ChainTrustMode.CustomRootTrust,
                RevocationMode = X509RevocationMode.NoCheck,
            };
            options.CertificateChainPolicy.CustomTrustStore.AddRange(roots);
        }

        return options;
    }

    /// <summary>
    /// The Host header that makes SocketsHttpHandler send and verify <paramref name="serverName"/> (it overwrites
    /// SslOptions.TargetHost with the request's host). A wildcard such as Cilium's *.hubble-relay.cilium.io is not a
    /// host name; any single label in its place matches the certificate, as hubble clients' ui.… or instance.… do.
    /// </summary>
    public static string HostHeader(string serverName, int port)
    {
        ArgumentException.ThrowIfNullOrEmpty(serverName);
        var name = serverName.StartsWith("*.", StringComparison.Ordinal) ? "ciliumdash" + serverName[1..] : serverName;
        return $"{name}:{port}";
    }

    private static async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, CancellationToken ct)
    {
#pragma warning disable CA2000 // the NetworkStream owns the socket from here on; the catch disposes it on failure
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
#pragma warning restore CA2000
        try
        {
            await socket.ConnectAsync(context.DnsEndPoint, ct);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>Puts the TLS server name on every call, so the relay's certificate is checked against it, not the address.</summary>
    private sealed class ServerNameHandler(string host, HttpMessageHandler inner) : DelegatingHandler(inner)
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            request.Headers.Host = host;
            return base.SendAsync(request, cancellationToken);
        }
    }
}
