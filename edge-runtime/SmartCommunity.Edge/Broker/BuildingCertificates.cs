namespace SmartCommunity.Edge.Broker;

using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

/// <summary>
/// The TLS identity of the embedded broker (hardware-docs/security.md, "TLS"). By default the edge is its own small
/// CA: at first start it makes a building CA (ECDSA P-256, 25 years) and a server certificate signed by it for the
/// configured host names, in the data folder, private keys mode 0600 like building.key. Devices trust the CA
/// certificate (<c>sc-edge ca export</c>), so the server certificate can be renewed, e.g. for a new address, without
/// touching a device. A site with its own PKI gives its own certificate, key and CA instead.
/// </summary>
public sealed class BuildingCertificates
{
    public const string CaCertificateFile = "mqtt-ca.crt";
    public const string CaKeyFile = "mqtt-ca.key";
    public const string ServerCertificateFile = "mqtt-server.crt";
    public const string ServerKeyFile = "mqtt-server.key";

    private static readonly TimeSpan CaLifetime = TimeSpan.FromDays(25 * 365);

    // Devices have no trustworthy clock and cannot fetch a renewal; a long-lived server certificate under an
    // offline-capable CA is the practical choice for a box in a cellar. It is remade when its names change.
    private static readonly TimeSpan ServerLifetime = TimeSpan.FromDays(10 * 365);

    private BuildingCertificates(X509Certificate2 server, string? caCertificatePath)
    {
        Server = server;
        CaCertificatePath = caCertificatePath;
    }

    /// <summary>The server certificate with its private key, as the TLS listener presents it.</summary>
    public X509Certificate2 Server { get; }

    /// <summary>The CA certificate devices must trust (PEM); null when an own certificate came without its CA.</summary>
    public string? CaCertificatePath { get; }

    /// <summary>The path of the edge-made CA certificate in a data folder.</summary>
    public static string CaPathIn(string dataDirectory) => Path.Combine(dataDirectory, CaCertificateFile);

    /// <summary>
    /// Loads the configured certificate, or the edge's own ones from <paramref name="dataDirectory"/>, creating what
    /// is missing. Throws <see cref="BrokerConfigurationException"/> with what to fix.
    /// </summary>
    public static BuildingCertificates LoadOrCreate(string dataDirectory, BrokerTlsOptions tls, string site, DateTimeOffset now)
    {
        if (tls.CertificatePath is not null || tls.KeyPath is not null)
        {
            return LoadOwn(tls);
        }

        Directory.CreateDirectory(dataDirectory);
        string caCertPath = CaPathIn(dataDirectory);
        string caKeyPath = Path.Combine(dataDirectory, CaKeyFile);
        X509Certificate2 ca = File.Exists(caCertPath) || File.Exists(caKeyPath)
            ? LoadPair(caCertPath, caKeyPath, "the building CA")
            : CreateCa(caCertPath, caKeyPath, site, now);

        string serverCertPath = Path.Combine(dataDirectory, ServerCertificateFile);
        string serverKeyPath = Path.Combine(dataDirectory, ServerKeyFile);
        IReadOnlySet<string> names = NamesFor(tls);
        if (File.Exists(serverCertPath) && File.Exists(serverKeyPath))
        {
            X509Certificate2 existing = LoadPair(serverCertPath, serverKeyPath, "the broker's server certificate");
            if (NamesOf(existing).SetEquals(names) && existing.NotAfter > now.AddDays(30).UtcDateTime && IssuedBy(existing, ca))
            {
                return new BuildingCertificates(existing, caCertPath);
            }

            // The configured names changed (a new address) or the certificate is near its end: make a new one
            // under the same CA, which devices already trust.
            File.Delete(serverCertPath);
            File.Delete(serverKeyPath);
        }

        return new BuildingCertificates(CreateServer(ca, names, serverCertPath, serverKeyPath, now), caCertPath);
    }

    /// <summary>The names a server certificate made from <paramref name="tls"/> carries.</summary>
    public static IReadOnlySet<string> NamesFor(BrokerTlsOptions tls)
    {
        var names = new SortedSet<string>(StringComparer.OrdinalIgnoreCase) { "localhost", "127.0.0.1" };
        foreach (string name in tls.ServerNames)
        {
            string trimmed = name.Trim();
            if (trimmed.Length > 0)
            {
                names.Add(IPAddress.TryParse(trimmed, out IPAddress? ip) ? ip.ToString() : trimmed);
            }
        }

        return names;
    }

    private static BuildingCertificates LoadOwn(BrokerTlsOptions tls)
    {
        if (tls.CertificatePath is null || tls.KeyPath is null)
        {
            throw new BrokerConfigurationException("an own TLS certificate needs both the certificate and its key (PEM files): give --mqtt-cert and --mqtt-key together, or neither to let the edge make its own");
        }

        if (tls.CaCertificatePath is not null && !File.Exists(tls.CaCertificatePath))
        {
            throw new BrokerConfigurationException($"the CA certificate {tls.CaCertificatePath} does not exist; give the PEM of the CA that signed {tls.CertificatePath}");
        }

        return new BuildingCertificates(LoadPair(tls.CertificatePath, tls.KeyPath, "the configured server certificate"), tls.CaCertificatePath);
    }

    private static X509Certificate2 LoadPair(string certPath, string keyPath, string what)
    {
        if (!File.Exists(certPath) || !File.Exists(keyPath))
        {
            throw new BrokerConfigurationException(
                $"{what} is incomplete: {(File.Exists(certPath) ? keyPath : certPath)} is missing; restore both files from the backup, or delete the other one too so the edge makes new ones (devices must then trust the new CA)");
        }

        if (!OperatingSystem.IsWindows() && (File.GetUnixFileMode(keyPath) & (UnixFileMode.GroupRead | UnixFileMode.OtherRead | UnixFileMode.GroupWrite | UnixFileMode.OtherWrite)) != 0)
        {
            throw new BrokerConfigurationException($"{keyPath} is readable by other users; run `chmod 600 {keyPath}` (owner: the service user)");
        }

        try
        {
            using X509Certificate2 pem = X509Certificate2.CreateFromPemFile(certPath, keyPath);

            // Through PKCS#12 so the key is one TLS can use on every platform, not an ephemeral handle.
            return X509CertificateLoader.LoadPkcs12(pem.Export(X509ContentType.Pkcs12), null);
        }
        catch (Exception ex) when (ex is CryptographicException or ArgumentException)
        {
            throw new BrokerConfigurationException($"{what} in {certPath} and {keyPath} cannot be read ({ex.Message}); both must be PEM, the key unencrypted and matching the certificate");
        }
    }

    private static X509Certificate2 CreateCa(string certPath, string keyPath, string site, DateTimeOffset now)
    {
        using ECDsa key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN=SmartCommunity building CA {site}, O=SmartCommunity", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(certificateAuthority: true, hasPathLengthConstraint: true, pathLengthConstraint: 0, critical: true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, critical: true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, critical: false));
        using X509Certificate2 ca = request.CreateSelfSigned(now.AddMinutes(-5), now.Add(CaLifetime));
        WritePair(ca, key, certPath, keyPath);
        return X509CertificateLoader.LoadPkcs12(ca.Export(X509ContentType.Pkcs12), null);
    }

    private static X509Certificate2 CreateServer(X509Certificate2 ca, IReadOnlySet<string> names, string certPath, string keyPath, DateTimeOffset now)
    {
        using ECDsa key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={names.First(n => !IPAddress.TryParse(n, out _))}, O=SmartCommunity", key, HashAlgorithmName.SHA256);
        var san = new SubjectAlternativeNameBuilder();
        foreach (string name in names)
        {
            if (IPAddress.TryParse(name, out IPAddress? ip))
            {
                san.AddIpAddress(ip);
            }
            else
            {
                san.AddDnsName(name);
            }
        }

        request.CertificateExtensions.Add(san.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, critical: true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], critical: false));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, critical: false));
        DateTimeOffset notAfter = now.Add(ServerLifetime) < ca.NotAfter ? now.Add(ServerLifetime) : new DateTimeOffset(ca.NotAfter.ToUniversalTime());
        using X509Certificate2 signed = request.Create(ca, now.AddMinutes(-5), notAfter, RandomNumberGenerator.GetBytes(16));
        using X509Certificate2 withKey = signed.CopyWithPrivateKey(key);
        WritePair(signed, key, certPath, keyPath);
        return X509CertificateLoader.LoadPkcs12(withKey.Export(X509ContentType.Pkcs12), null);
    }

    private static void WritePair(X509Certificate2 certificate, ECDsa key, string certPath, string keyPath)
    {
        // The key first, created owner-only so it is never readable by others, not even for a moment.
        var keyOptions = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            keyOptions.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        using (var file = new StreamWriter(new FileStream(keyPath, keyOptions)))
        {
            file.Write(key.ExportPkcs8PrivateKeyPem());
        }

        File.WriteAllText(certPath, certificate.ExportCertificatePem());
    }

    private static HashSet<string> NamesOf(X509Certificate2 certificate)
    {
        var names = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (X509Extension extension in certificate.Extensions)
        {
            if (extension is X509SubjectAlternativeNameExtension san)
            {
                names.UnionWith(san.EnumerateDnsNames());
                names.UnionWith(san.EnumerateIPAddresses().Select(ip => ip.ToString()));
            }
        }

        return names;
    }

    private static bool IssuedBy(X509Certificate2 certificate, X509Certificate2 ca)
    {
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(ca);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        return chain.Build(certificate);
    }
}

/// <summary>A broker setting that cannot work (a plain listener off loopback, a broken certificate); the message says what to change.</summary>
public sealed class BrokerConfigurationException(string message) : Exception(message);
