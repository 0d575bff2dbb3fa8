using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Https;

namespace CiliumDash.Simulator.Hosting;

/// <summary>
/// PEM files the relay stand-in serves TLS with, as hubble-relay does when its server TLS is on: a server certificate
/// (optionally followed by intermediates) and its private key; with <paramref name="ClientCaFile"/>, clients must
/// present a certificate that chains to that CA (mutual TLS).
/// </summary>
public sealed record RelayTls(string CertFile, string KeyFile, string? ClientCaFile = null)
{
    /// <summary>Reads and checks the files, failing with a message that names the file and what is wrong with it.</summary>
    /// <exception cref="IOException">a file is missing or unreadable.</exception>
    /// <exception cref="InvalidDataException">a file holds no usable PEM, or the key does not match the certificate.</exception>
    internal HttpsConnectionAdapterOptions Load()
    {
        var certPem = Read(CertFile, "certificate");
        var keyPem = Read(KeyFile, "key");
        var chain = Certificates(certPem, CertFile, "certificate");
        X509Certificate2 server;
        try
        {
            server = X509Certificate2.CreateFromPem(certPem, keyPem);
        }
        catch (ArgumentException ex)
        {
            throw new InvalidDataException($"relay TLS key file '{KeyFile}' is not the key of the certificate in '{CertFile}' ({chain[0].Subject})", ex);
        }
        catch (CryptographicException ex)
        {
            throw new InvalidDataException(
                $"relay TLS key file '{KeyFile}' holds no PEM private key (-----BEGIN PRIVATE KEY-----, EC or RSA) for the certificate in '{CertFile}'", ex);
        }

        var options = new HttpsConnectionAdapterOptions
        {
            ServerCertificate = server,
            ServerCertificateChain = chain.Count > 1 ? [.. chain.Skip(1)] : null,
        };
        if (ClientCaFile is not null)
        {
            var roots = Certificates(Read(ClientCaFile, "client CA"), ClientCaFile, "client CA");
            options.ClientCertificateMode = ClientCertificateMode.RequireCertificate;
            options.ClientCertificateValidation = (cert, _, _) => ChainsTo(cert, roots);
        }

        return options;
    }

    /// <summary>Kestrel checks client certificates against the system's roots; hubble-relay trusts only its client CA.</summary>
    private static bool ChainsTo(X509Certificate2 client, X509Certificate2Collection roots)
    {
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.CustomTrustStore.AddRange(roots);
        chain.ChainPolicy.ApplicationPolicy.Add(new Oid("1.3.6.1.5.5.7.3.2"));   // TLS client authentication
        return chain.Build(client);
    }

    private static string Read(string path, string what)
    {
        try
        {
            return File.ReadAllText(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new IOException($"relay TLS {what} file '{path}' cannot be read: {ex.Message}", ex);
        }
    }

    private static X509Certificate2Collection Certificates(string pem, string path, string what)
    {
        var certificates = new X509Certificate2Collection();
        try
        {
            certificates.ImportFromPem(pem);
        }
        catch (CryptographicException ex)
        {
            throw new InvalidDataException($"relay TLS {what} file '{path}' holds a broken certificate: {ex.Message}", ex);
        }

        return certificates.Count > 0
            ? certificates
            : throw new InvalidDataException($"relay TLS {what} file '{path}' holds no PEM certificate (-----BEGIN CERTIFICATE-----)");
    }
}
