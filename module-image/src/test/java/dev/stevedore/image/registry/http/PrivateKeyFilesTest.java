package dev.stevedore.image.registry.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stevedore.testsupport.TestCertificates;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.cert.CertificateFactory;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Given client keys as openssl writes them in every format PKIs hand out, each reads to the key that
 * belongs to its certificate (it signs what the certificate's public key verifies); given a file that
 * is no supported key, the error says what was found and what is supported, and never shows the password.
 */
class PrivateKeyFilesTest {

    private static final String PASSWORD = "k3y-Pass-7c1e";

    @TempDir
    static Path folder;
    static TestCertificates pki;
    static Path rsaCertificate;
    static Path ecCertificate;
    static Path edCertificate;

    @BeforeAll
    static void issueKeys() throws IOException {
        pki = TestCertificates.create(folder);
        rsaCertificate = pki.clientCertificate();
        ecCertificate = pki.issueClientCertificate("client-ec", "ec");
        edCertificate = pki.issueClientCertificate("client-ed", "ed25519");
        pki.openssl("rsa-pkcs1.pem", null, "rsa", "-in", "client.key", "-traditional", "-out", "rsa-pkcs1.pem");
        pki.openssl("rsa-pkcs1.der", null, "rsa", "-in", "client.key", "-traditional", "-outform", "DER", "-out", "rsa-pkcs1.der");
        pki.openssl("rsa-pkcs8.der", null, "pkcs8", "-topk8", "-nocrypt", "-in", "client.key", "-outform", "DER", "-out", "rsa-pkcs8.der");
        pki.openssl("rsa-pbes2.pem", PASSWORD + "\n", "pkcs8", "-topk8", "-in", "client.key", "-passout", "stdin", "-out", "rsa-pbes2.pem");
        pki.openssl("rsa-pbes1.pem", PASSWORD + "\n", "pkcs8", "-topk8", "-v1", "PBE-SHA1-3DES", "-in", "client.key",
                "-passout", "stdin", "-out", "rsa-pbes1.pem");
        pki.openssl("rsa-pbes2.der", PASSWORD + "\n", "pkcs8", "-topk8", "-in", "client.key", "-passout", "stdin",
                "-outform", "DER", "-out", "rsa-pbes2.der");
        pki.openssl("ec-sec1.pem", null, "ec", "-in", "client-ec.key", "-out", "ec-sec1.pem");
        pki.openssl("ec-sec1.der", null, "ec", "-in", "client-ec.key", "-outform", "DER", "-out", "ec-sec1.der");
        // 'openssl ecparam -genkey' writes the curve in a block of its own before the key.
        Path parameters = pki.openssl("ec-params.pem", null, "ecparam", "-name", "prime256v1", "-out", "ec-params.pem");
        Files.writeString(folder.resolve("ec-with-params.pem"), Files.readString(parameters) + Files.readString(folder.resolve("ec-sec1.pem")));
        pki.openssl("ec-pbes2.pem", PASSWORD + "\n", "pkcs8", "-topk8", "-in", "client-ec.key", "-passout", "stdin", "-out", "ec-pbes2.pem");
    }

    @ParameterizedTest(name = "{0} ({1})")
    @CsvSource({
            "client.key,          rsa, PKCS#8 PEM",
            "rsa-pkcs8.der,       rsa, PKCS#8 DER",
            "rsa-pkcs1.pem,       rsa, PKCS#1 PEM",
            "rsa-pkcs1.der,       rsa, PKCS#1 DER",
            "rsa-pbes2.pem,       rsa, encrypted PKCS#8 (PBES2 AES-256) PEM",
            "rsa-pbes2.der,       rsa, encrypted PKCS#8 (PBES2 AES-256) DER",
            "rsa-pbes1.pem,       rsa, encrypted PKCS#8 (PBES1 3DES) PEM",
            "client-ec.key,       ec,  PKCS#8 EC PEM",
            "ec-sec1.pem,         ec,  SEC1 PEM",
            "ec-sec1.der,         ec,  SEC1 DER",
            "ec-with-params.pem,  ec,  SEC1 after an EC PARAMETERS block",
            "ec-pbes2.pem,        ec,  encrypted PKCS#8 EC",
            "client-ed.key,       ed,  PKCS#8 Ed25519"})
    void everyFormatReadsToTheKeyOfItsCertificate(String file, String kind, String description) throws Exception {
        PrivateKey key = PrivateKeyFiles.read(folder.resolve(file), PASSWORD);
        Path certificate = switch (kind) {
            case "rsa" -> rsaCertificate;
            case "ec" -> ecCertificate;
            default -> edCertificate;
        };
        assertTrue(signsForCertificate(key, certificate), description + " read to another key");
    }

    @Test
    void anEncryptedKeyWithoutKeyPasswordSaysToGiveIt() {
        String message = failure("rsa-pbes2.pem", null);
        assertTrue(message.contains("encrypted PKCS#8") && message.contains("key_password"), message);
    }

    @Test
    void aWrongKeyPasswordSaysSoWithoutShowingEitherPassword() {
        String message = failure("rsa-pbes2.pem", "wrong-" + PASSWORD);
        assertTrue(message.contains("key_password") && message.contains("wrong"), message);
        assertFalse(message.contains(PASSWORD), message);
    }

    @Test
    void anEncryptionJavaCannotDecryptSaysHowToReEncrypt() throws IOException {
        pki.openssl("rsa-pbes2-des3.pem", PASSWORD + "\n", "pkcs8", "-topk8", "-v2", "des3", "-in", "client.key", "-passout", "stdin",
                "-out", "rsa-pbes2-des3.pem");
        String message = failure("rsa-pbes2-des3.pem", PASSWORD);
        assertTrue(message.contains("cannot decrypt") && message.contains("-v2 aes-256-cbc"), message);
        assertFalse(message.contains(PASSWORD), message);
    }

    @Test
    void unsupportedFilesSayWhatTheyHoldAndWhatIsSupported() throws IOException {
        pki.openssl("rsa-legacy.pem", null, "rsa", "-in", "client.key", "-traditional", "-aes256", "-passout", "pass:" + PASSWORD,
                "-out", "rsa-legacy.pem");
        pki.openssl("client.p12", null, "pkcs12", "-export", "-in", "client.crt", "-inkey", "client.key", "-passout", "pass:x",
                "-out", "client.p12");
        Files.write(folder.resolve("garbage.key"), "not a key at all\n".getBytes(StandardCharsets.US_ASCII));
        assertFormat("rsa-legacy.pem", "legacy PEM format (Proc-Type: 4,ENCRYPTED)", "openssl pkcs8 -topk8");
        assertFormat("client.p12", "a PKCS#12 key store", "openssl pkcs12");
        assertFormat("client.crt", "a certificate, not a private key", "belongs to cert_file");
        assertFormat("garbage.key", "nothing recognisable as a private key", "");
    }

    @Test
    void anOpenSshKeyIsNamedAsSuch() throws Exception {
        Process keygen = new ProcessBuilder("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", folder.resolve("id_ed25519").toString())
                .redirectErrorStream(true).start();
        try (InputStream out = keygen.getInputStream()) {
            out.readAllBytes();
        }
        assertEquals(0, keygen.waitFor());
        assertFormat("id_ed25519", "an OpenSSH key", "not a TLS client key");
    }

    @Test
    void aMissingKeyFileSaysItDoesNotExist() {
        String message = failure("no-such.key", null);
        assertTrue(message.startsWith("key_file " + folder.resolve("no-such.key") + " does not exist"), message);
    }

    @Test
    void theDerWriterAndReaderAgreeOnLongLengths() throws IOException {
        byte[] content = new byte[70_000];
        Der.Element element = Der.parse(Der.encode(Der.OCTET_STRING, content));
        assertEquals(Der.OCTET_STRING, element.tag());
        assertEquals(70_000, element.content().length);
        assertThrows(IOException.class, () -> Der.parse(new byte[] {0x30, (byte) 0x84, 0x7F, 0, 0, 0}), "a length beyond the data");
        assertEquals("1.2.840.10045.3.1.7", Der.parse(new byte[] {0x06, 0x08, 0x2A, (byte) 0x86, 0x48, (byte) 0xCE, 0x3D, 0x03, 0x01, 0x07})
                .oid());
    }

    private static void assertFormat(String file, String found, String remedy) {
        String message = failure(file, PASSWORD);
        assertTrue(message.startsWith("key_file " + folder.resolve(file) + " holds ") && message.contains(found), message);
        assertTrue(message.contains("supported are PKCS#8 (BEGIN PRIVATE KEY), PKCS#1 RSA (BEGIN RSA PRIVATE KEY), SEC1 EC"
                + " (BEGIN EC PRIVATE KEY) and encrypted PKCS#8 (BEGIN ENCRYPTED PRIVATE KEY, with key_password)"), message);
        assertTrue(message.contains(remedy), message);
        assertFalse(message.contains(PASSWORD), message);
    }

    private static String failure(String file, String password) {
        return assertThrows(IOException.class, () -> PrivateKeyFiles.read(folder.resolve(file), password)).getMessage();
    }

    private static boolean signsForCertificate(PrivateKey key, Path certificate) throws Exception {
        PublicKey publicKey;
        try (InputStream in = Files.newInputStream(certificate)) {
            publicKey = CertificateFactory.getInstance("X.509").generateCertificate(in).getPublicKey();
        }
        String algorithm = switch (key.getAlgorithm()) {
            case "RSA" -> "SHA256withRSA";
            case "EC" -> "SHA256withECDSA";
            default -> "Ed25519";
        };
        byte[] data = List.of("given", "signed").toString().getBytes(StandardCharsets.UTF_8);
        Signature signer = Signature.getInstance(algorithm);
        signer.initSign(key);
        signer.update(data);
        byte[] signature = signer.sign();
        Signature verifier = Signature.getInstance(algorithm);
        verifier.initVerify(publicKey);
        verifier.update(data);
        return verifier.verify(signature);
    }
}
