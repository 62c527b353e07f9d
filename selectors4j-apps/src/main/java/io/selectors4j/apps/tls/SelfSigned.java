package io.selectors4j.apps.tls;

import java.math.BigInteger;
import java.net.InetAddress;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A throw-away server certificate, made at start-up: an EC P-256 key and a self-signed certificate
 * for {@code localhost}, 127.0.0.1, ::1 and the host the server binds, valid for 30 days from a day
 * ago (so a clock slightly behind still accepts it). Nothing is written to disk.
 */
public final class SelfSigned {
    private static final Duration VALIDITY = Duration.ofDays(30);

    private SelfSigned() {
    }

    /** A new key and certificate for the loopback names and {@code host} (a name or an address). */
    public static Credentials make(String host) {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"), new SecureRandom());
            return make(host, generator.generateKeyPair(), "SHA256withECDSA");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot make a self-signed certificate: " + e.getMessage(), e);
        }
    }

    /**
     * The certificate {@link #make(String)} makes, for a key pair of another kind (the tests' RSA key),
     * signed with {@code signatureAlgorithm} ({@code SHA256withRSA}).
     */
    static Credentials make(String host, KeyPair keys, String signatureAlgorithm) {
        Set<String> names = new LinkedHashSet<>(List.of("localhost", "127.0.0.1", "::1"));
        if (host != null && !host.isBlank() && !host.equals("0.0.0.0") && !host.equals("::")) {
            names.add(host);
        }
        try {
            X500Name subject = new X500Name("CN=" + names.iterator().next() + ", O=s4j self-signed");
            Instant now = Instant.now();
            JcaX509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(subject,
                    new BigInteger(64, new SecureRandom()), Date.from(now.minus(Duration.ofDays(1))),
                    Date.from(now.plus(VALIDITY)), subject, keys.getPublic());
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
            builder.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth));
            builder.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(
                    subjectNames(names).toArray(GeneralName[]::new)));
            X509Certificate certificate = new JcaX509CertificateConverter().getCertificate(
                    builder.build(new JcaContentSignerBuilder(signatureAlgorithm).build(keys.getPrivate())));
            return new Credentials(keys.getPrivate(), List.of(certificate));
        } catch (GeneralSecurityException | OperatorCreationException | java.io.IOException e) {
            throw new IllegalStateException("cannot make a self-signed certificate: " + e.getMessage(), e);
        }
    }

    private static List<GeneralName> subjectNames(Set<String> names) {
        List<GeneralName> result = new ArrayList<>();
        for (String name : names) {
            boolean address = isAddress(name);
            result.add(new GeneralName(address ? GeneralName.iPAddress : GeneralName.dNSName, name));
        }
        return result;
    }

    private static boolean isAddress(String name) {
        if (name.indexOf(':') >= 0) {
            return true;
        }
        if (!name.chars().allMatch(c -> c == '.' || Character.isDigit(c))) {
            return false;
        }
        try {
            InetAddress.getByName(name); // a dotted quad: parsed, not looked up
            return true;
        } catch (java.net.UnknownHostException e) {
            return false;
        }
    }
}
