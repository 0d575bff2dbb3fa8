using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace CiliumDash.Tests.Builders;

/// <summary>
/// A throwaway certificate authority in a temp folder, shaped like Cilium's Helm-generated Hubble PKI: a CA, a relay
/// server certificate for <see cref="RelayName"/> (and 127.0.0.1), and client certificates. Files are PEM.
/// </summary>
internal sealed class TestPki : IDisposable
{
    /// <summary>The name Cilium gives the relay's server certificate (hubble.relay.tls.server).</summary>
    public const string RelayName = "*.hubble-relay.cilium.io";

    /// <summary>A name the relay certificate matches, as a client passes it in --tls-server-name.</summary>
    public const string RelayServerName = "ui.hubble-relay.cilium.io";

    private static readonly Oid ServerAuth = new("1.3.6.1.5.5.7.3.1");
    private static readonly Oid ClientAuth = new("1.3.6.1.5.5.7.3.2");
    private readonly X509Certificate2 _ca;
    private int _serial;

    private TestPki(string directory, string caName)
    {
        Directory = directory;
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={caName}", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        _ca = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(1));
        CaFile = Write("ca.crt", _ca.ExportCertificatePem());
    }

    public string Directory { get; }

    public string CaFile { get; }

    /// <param name="caName">the CA's common name; two PKIs with different names do not trust each other.</param>
    public static TestPki Create(string caName = "Cilium CA")
    {
        var directory = Path.Combine(Path.GetTempPath(), $"ciliumdash-pki-{Guid.NewGuid():N}");
        System.IO.Directory.CreateDirectory(directory);
        return new TestPki(directory, caName);
    }

    /// <summary>The relay's server certificate: writes name.crt and name.key, returns their paths.</summary>
    /// <param name="loopbackIp">also name 127.0.0.1, so a client without a server name accepts it; Cilium's names no address.</param>
    public (string CertFile, string KeyFile) Server(string name = "relay", string dnsName = RelayName, bool loopbackIp = false) =>
        Issue(name, dnsName, ServerAuth, dnsName, loopbackIp ? IPAddress.Loopback : null);

    /// <summary>A client certificate for mutual TLS.</summary>
    public (string CertFile, string KeyFile) Client(string name = "client", string commonName = "ciliumdash") =>
        Issue(name, commonName, ClientAuth);

    /// <summary>Writes a file into the PKI folder (e.g. a deliberately broken PEM) and returns its path.</summary>
    public string Write(string fileName, string contents)
    {
        var path = Path.Combine(Directory, fileName);
        File.WriteAllText(path, contents);
        return path;
    }

    public void Dispose()
    {
        _ca.Dispose();
        System.IO.Directory.Delete(Directory, recursive: true);
    }

    private (string CertFile, string KeyFile) Issue(string name, string commonName, Oid usage, string? dnsName = null, IPAddress? ip = null)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={commonName}", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, false));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([usage], false));
        if (dnsName is not null || ip is not null)
        {
            var san = new SubjectAlternativeNameBuilder();
            if (dnsName is not null)
            {
                san.AddDnsName(dnsName);
            }

            if (ip is not null)
            {
                san.AddIpAddress(ip);
            }

            request.CertificateExtensions.Add(san.Build());
        }

        var serial = new[] { (byte)++_serial };
        using var cert = request.Create(_ca, DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddHours(12), serial);
        return (Write($"{name}.crt", cert.ExportCertificatePem()), Write($"{name}.key", key.ExportPkcs8PrivateKeyPem()));
    }
}
