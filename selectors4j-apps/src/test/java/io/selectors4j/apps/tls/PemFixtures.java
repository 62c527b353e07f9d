package io.selectors4j.apps.tls;

import java.io.IOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPairGenerator;
import java.security.cert.X509Certificate;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.openssl.jcajce.JceOpenSSLPKCS8EncryptorBuilder;

/** PEM files for the programs' TLS tests: certificates and keys in each form a user may have. */
public final class PemFixtures {
    private PemFixtures() {
    }

    /** The forms a private key comes in. */
    public enum KeyForm {
        /** {@code PRIVATE KEY}. */
        PKCS8,
        /** {@code EC PRIVATE KEY} or {@code RSA PRIVATE KEY}: the algorithm's own form. */
        TRADITIONAL,
        /** {@code ENCRYPTED PRIVATE KEY}. */
        ENCRYPTED
    }

    /** A self-signed certificate for localhost, 127.0.0.1 and ::1 with an EC key. */
    public static Credentials ec() {
        return SelfSigned.make("localhost");
    }

    /** The same certificate with an RSA 2048 key. */
    public static Credentials rsa() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            return SelfSigned.make("localhost", generator.generateKeyPair(), "SHA256withRSA");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** An EC key in SEC1's form as openssl writes it: with its curve and its public key. */
    private static org.bouncycastle.util.io.pem.PemObject sec1(java.security.interfaces.ECPrivateKey key,
            X509Certificate certificate) throws IOException {
        org.bouncycastle.asn1.pkcs.PrivateKeyInfo info = org.bouncycastle.asn1.pkcs.PrivateKeyInfo.getInstance(
                key.getEncoded());
        org.bouncycastle.asn1.x509.SubjectPublicKeyInfo publicInfo =
                org.bouncycastle.asn1.x509.SubjectPublicKeyInfo.getInstance(certificate.getPublicKey().getEncoded());
        org.bouncycastle.asn1.sec.ECPrivateKey sec1 = new org.bouncycastle.asn1.sec.ECPrivateKey(
                key.getParams().getOrder().bitLength(), key.getS(), publicInfo.getPublicKeyData(),
                info.getPrivateKeyAlgorithm().getParameters());
        return new org.bouncycastle.util.io.pem.PemObject("EC PRIVATE KEY", sec1.getEncoded());
    }

    /** Writes the chain of {@code credentials} to {@code file}. */
    public static Path writeCertificates(Credentials credentials, Path file) throws IOException {
        try (Writer out = Files.newBufferedWriter(file); JcaPEMWriter pem = new JcaPEMWriter(out)) {
            for (X509Certificate certificate : credentials.chain()) {
                pem.writeObject(certificate);
            }
        }
        return file;
    }

    /** Writes the key of {@code credentials} to {@code file} in {@code form}. */
    public static Path writeKey(Credentials credentials, KeyForm form, Path file) throws IOException {
        try (Writer out = Files.newBufferedWriter(file); JcaPEMWriter pem = new JcaPEMWriter(out)) {
            switch (form) {
                case PKCS8 -> pem.writeObject(new JcaPKCS8Generator(credentials.key(), null));
                case TRADITIONAL -> {
                    if (credentials.key() instanceof java.security.interfaces.ECPrivateKey ec) {
                        pem.writeObject(sec1(ec, credentials.chain().getFirst()));
                    } else {
                        pem.writeObject(credentials.key()); // RSA PRIVATE KEY, PKCS#1
                    }
                }
                case ENCRYPTED -> pem.writeObject(new JcaPKCS8Generator(credentials.key(),
                        new JceOpenSSLPKCS8EncryptorBuilder(org.bouncycastle.openssl.PKCS8Generator.AES_256_CBC)
                                .setProvider(new org.bouncycastle.jce.provider.BouncyCastleProvider())
                                .setPassword("secret".toCharArray()).build()));
            }
        } catch (org.bouncycastle.operator.OperatorCreationException e) {
            throw new IOException(e);
        }
        return file;
    }
}
