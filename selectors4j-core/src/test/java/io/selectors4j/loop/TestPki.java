package io.selectors4j.loop;

import java.io.IOException;
import java.io.Writer;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * Certificates for TLS tests, made in memory with EC P-256 keys: a CA, leaf certificates it signs for
 * {@code localhost}, 127.0.0.1 and ::1, and the SSL contexts and PEM files built from them.
 */
public final class TestPki {
    private static final AtomicLong SERIAL = new AtomicLong(System.currentTimeMillis());

    /** A certificate and its private key, with the chain up to (not including) its root. */
    public record Issued(KeyPair keys, X509Certificate certificate, List<X509Certificate> chain) {
    }

    /** The CA every test trusts by default. */
    public static final Issued CA = ca("selectors4j test CA");
    /** A certificate for localhost, 127.0.0.1 and ::1, signed by {@link #CA}. */
    public static final Issued SERVER = leaf(CA, "localhost", false);
    /** A client certificate signed by {@link #CA}. */
    public static final Issued CLIENT = leaf(CA, "test client", true);

    private TestPki() {
    }

    /** A self-signed CA. */
    public static Issued ca(String name) {
        KeyPair keys = keys();
        X500Name subject = new X500Name("CN=" + name);
        try {
            X509v3CertificateBuilder builder = builder(subject, subject, keys);
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
            builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
            X509Certificate certificate = sign(builder, keys);
            return new Issued(keys, certificate, List.of(certificate));
        } catch (IOException | GeneralSecurityException | org.bouncycastle.operator.OperatorCreationException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A leaf for {@code name} (and, for a server, 127.0.0.1 and ::1) signed by {@code issuer}. */
    public static Issued leaf(Issued issuer, String name, boolean client) {
        KeyPair keys = keys();
        try {
            X509v3CertificateBuilder builder = builder(new X500Name(issuer.certificate().getSubjectX500Principal()
                    .getName()), new X500Name("CN=" + name), keys);
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
            if (!client) {
                builder.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(new GeneralName[] {
                        new GeneralName(GeneralName.dNSName, name),
                        new GeneralName(GeneralName.iPAddress, "127.0.0.1"),
                        new GeneralName(GeneralName.iPAddress, "::1")}));
            }
            X509Certificate certificate = sign(builder, issuer.keys());
            List<X509Certificate> chain = new ArrayList<>();
            chain.add(certificate);
            if (issuer.chain().size() > 1 || !issuer.certificate().equals(issuer.chain().getFirst())) {
                chain.addAll(issuer.chain());
            }
            return new Issued(keys, certificate, chain);
        } catch (IOException | GeneralSecurityException | org.bouncycastle.operator.OperatorCreationException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A context whose key manager presents {@code identity}. */
    public static SSLContext serverContext(Issued identity) {
        return context(identity, null);
    }

    /** A context that trusts {@code trusted} and presents no certificate. */
    public static SSLContext clientContext(Issued trusted) {
        return context(null, trusted);
    }

    /** A context that presents {@code identity} (may be null) and trusts {@code trusted} (may be null). */
    public static SSLContext context(Issued identity, Issued trusted) {
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            KeyManagerFactory keys = null;
            if (identity != null) {
                KeyStore store = KeyStore.getInstance("PKCS12");
                store.load(null, null);
                store.setKeyEntry("key", identity.keys().getPrivate(), new char[0],
                        identity.chain().toArray(X509Certificate[]::new));
                keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
                keys.init(store, new char[0]);
            }
            TrustManagerFactory trust = null;
            if (trusted != null) {
                KeyStore store = KeyStore.getInstance("PKCS12");
                store.load(null, null);
                store.setCertificateEntry("ca", trusted.certificate());
                trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
                trust.init(store);
            }
            context.init(keys == null ? null : keys.getKeyManagers(), trust == null ? null : trust.getTrustManagers(),
                    null);
            return context;
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Writes {@code issued}'s certificate chain to {@code certificate} and its key to {@code key}, as PEM. */
    public static void writePem(Issued issued, Path certificate, Path key) throws IOException {
        try (Writer out = Files.newBufferedWriter(certificate); JcaPEMWriter pem = new JcaPEMWriter(out)) {
            for (X509Certificate each : issued.chain()) {
                pem.writeObject(each);
            }
        }
        if (key != null) {
            try (Writer out = Files.newBufferedWriter(key); JcaPEMWriter pem = new JcaPEMWriter(out)) {
                pem.writeObject(new org.bouncycastle.openssl.jcajce.JcaPKCS8Generator(issued.keys().getPrivate(), null));
            }
        }
    }

    private static X509v3CertificateBuilder builder(X500Name issuer, X500Name subject, KeyPair keys) {
        Instant now = Instant.now();
        return new JcaX509v3CertificateBuilder(issuer, BigInteger.valueOf(SERIAL.incrementAndGet()),
                Date.from(now.minus(Duration.ofDays(1))), Date.from(now.plus(Duration.ofDays(30))), subject,
                keys.getPublic());
    }

    private static X509Certificate sign(X509v3CertificateBuilder builder, KeyPair issuerKeys)
            throws GeneralSecurityException, org.bouncycastle.operator.OperatorCreationException {
        ContentSigner signer = new JcaContentSignerBuilder("SHA256withECDSA").build(issuerKeys.getPrivate());
        return new JcaX509CertificateConverter().getCertificate(builder.build(signer));
    }

    private static KeyPair keys() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"), new SecureRandom());
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
