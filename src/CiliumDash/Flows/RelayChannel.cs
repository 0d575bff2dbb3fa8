using System.Net.Security;
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
        var handler = new SocketsHttpHandler
        {
            EnableMultipleHttp2Connections = true,
            KeepAlivePingDelay = TimeSpan.FromSeconds(30),
            KeepAlivePingTimeout = TimeSpan.FromSeconds(10),
        };
        var uri = new Uri(address);
        if (tls.Enabled && uri.Scheme == Uri.UriSchemeHttp)
        {
            uri = new UriBuilder(uri) { Scheme = Uri.UriSchemeHttps, Port = uri.Port }.Uri;
        }

        if (uri.Scheme == Uri.UriSchemeHttps)
        {
            handler.SslOptions = Ssl(tls, uri.Host);
        }

        return GrpcChannel.ForAddress(uri, new GrpcChannelOptions { HttpHandler = handler, DisposeHttpClient = true });
    }

    public static SslClientAuthenticationOptions Ssl(RelayTlsOptions tls, string host)
    {
        ArgumentNullException.ThrowIfNull(tls);
        var options = new SslClientAuthenticationOptions { TargetHost = string.IsNullOrEmpty(tls.ServerName) ? host : tls.ServerName };
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
}
