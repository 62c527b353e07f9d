package io.selectors4j.apps.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.selectors4j.apps.tls.PemFixtures.KeyForm;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Reading a server's certificate chain and key from PEM files, in every form a user may have them. */
class CredentialsTest {
    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(value = KeyForm.class, names = {"PKCS8", "TRADITIONAL"})
    void ecAndRsaKeysAreReadInPkcs8AndTheirOwnForm(KeyForm form) throws Exception {
        for (Credentials made : List.of(PemFixtures.ec(), PemFixtures.rsa())) {
            Path certificate = PemFixtures.writeCertificates(made, dir.resolve("cert.pem"));
            Path key = PemFixtures.writeKey(made, form, dir.resolve("key.pem"));
            String header = Files.readString(key).lines().findFirst().orElseThrow();
            assertThat(header).isEqualTo(form == KeyForm.PKCS8 ? "-----BEGIN PRIVATE KEY-----"
                    : "-----BEGIN " + made.key().getAlgorithm() + " PRIVATE KEY-----");
            Credentials read = Credentials.read(certificate, key);
            assertThat(read.chain()).isEqualTo(made.chain());
            assertThat(secret(read.key())).isEqualTo(secret(made.key()));
            assertThat(read.serverContext()).isNotNull();
        }
    }

    /** The number that makes a key what it is, whatever its encoding carries beside it. */
    private static java.math.BigInteger secret(java.security.PrivateKey key) {
        return key instanceof java.security.interfaces.ECPrivateKey ec ? ec.getS()
                : ((java.security.interfaces.RSAPrivateKey) key).getPrivateExponent();
    }

    @Test
    void keysMadeByOpensslAreRead() throws Exception {
        ProcessBuilder.Redirect quiet = ProcessBuilder.Redirect.DISCARD;
        Path key = dir.resolve("openssl-key.pem");
        Path certificate = dir.resolve("openssl-cert.pem");
        try {
            Process made = new ProcessBuilder("openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt",
                    "ec_paramgen_curve:P-256", "-nodes", "-keyout", key.toString(), "-out", certificate.toString(),
                    "-days", "2", "-subj", "/CN=localhost").redirectOutput(quiet).redirectError(quiet).start();
            org.junit.jupiter.api.Assumptions.assumeTrue(made.waitFor() == 0, "openssl could not make a key");
            Process sec1 = new ProcessBuilder("openssl", "ec", "-in", key.toString(), "-out",
                    dir.resolve("sec1.pem").toString()).redirectOutput(quiet).redirectError(quiet).start();
            assertThat(sec1.waitFor()).isZero();
        } catch (IOException notInstalled) {
            org.junit.jupiter.api.Assumptions.abort("openssl is not installed: this test reads keys it makes");
        }
        assertThat(Files.readString(dir.resolve("sec1.pem"))).startsWith("-----BEGIN EC PRIVATE KEY-----");
        assertThat(Credentials.read(certificate, key).chain()).hasSize(1);
        assertThat(Credentials.read(certificate, dir.resolve("sec1.pem")).chain()).hasSize(1);
    }

    @Test
    void aChainKeepsItsOrderAndOneFileMayHoldKeyAndCertificates() throws Exception {
        Credentials leaf = PemFixtures.ec();
        Credentials other = PemFixtures.rsa();
        Path both = dir.resolve("both.pem");
        PemFixtures.writeKey(leaf, KeyForm.PKCS8, dir.resolve("key.pem"));
        PemFixtures.writeCertificates(new Credentials(leaf.key(), List.of(leaf.chain().getFirst(),
                other.chain().getFirst())), dir.resolve("chain.pem"));
        Files.writeString(both, Files.readString(dir.resolve("key.pem")) + Files.readString(dir.resolve("chain.pem")));
        Credentials read = Credentials.read(both, both);
        assertThat(read.chain()).containsExactly(leaf.chain().getFirst(), other.chain().getFirst());
    }

    @Test
    void anEncryptedKeyIsRefusedSayingWhatToDo() throws Exception {
        Credentials made = PemFixtures.ec();
        Path certificate = PemFixtures.writeCertificates(made, dir.resolve("cert.pem"));
        Path key = PemFixtures.writeKey(made, KeyForm.ENCRYPTED, dir.resolve("key.pem"));
        assertThatThrownBy(() -> Credentials.read(certificate, key)).isInstanceOf(IOException.class)
                .hasMessage(key + ": the key is encrypted; give an unencrypted one "
                        + "(openssl pkey -in KEY -out PLAIN-KEY)");
    }

    @Test
    void aKeyOfAnotherCertificateAMissingFileAndAFileWithoutPemAreOneLineEach() throws Exception {
        Path certificate = PemFixtures.writeCertificates(PemFixtures.ec(), dir.resolve("cert.pem"));
        Path otherKey = PemFixtures.writeKey(PemFixtures.ec(), KeyForm.PKCS8, dir.resolve("other.pem"));
        assertThatThrownBy(() -> Credentials.read(certificate, otherKey))
                .hasMessage(otherKey + ": this key does not go with the certificate in " + certificate);
        Path missing = dir.resolve("missing.pem");
        assertThatThrownBy(() -> Credentials.read(missing, otherKey)).hasMessage(missing + ": no such file");
        Path text = Files.writeString(dir.resolve("text.pem"), "hello\n");
        assertThatThrownBy(() -> Credentials.read(text, otherKey)).hasMessage(text + ": no certificate in it");
        assertThatThrownBy(() -> Credentials.read(certificate, text))
                .hasMessageStartingWith(text + ": no private key in it");
    }

    @Test
    void theSelfSignedCertificateNamesTheLoopbackAndTheHostAndHasAnOpensslStyleFingerprint() throws Exception {
        Credentials made = SelfSigned.make("example.test");
        List<String> names = made.chain().getFirst().getSubjectAlternativeNames().stream()
                .map(entry -> String.valueOf(entry.get(1))).toList();
        assertThat(names).containsExactly("localhost", "127.0.0.1", "0:0:0:0:0:0:0:1", "example.test");
        assertThat(made.fingerprint()).matches("([0-9A-F]{2}:){31}[0-9A-F]{2}");
    }
}
