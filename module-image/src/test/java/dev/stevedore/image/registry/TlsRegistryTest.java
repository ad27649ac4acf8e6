package dev.stevedore.image.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stevedore.image.reference.ImageReference;
import dev.stevedore.testsupport.RegistryServer;
import dev.stevedore.testsupport.TestCertificates;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** TLS per registry against the real registry serving a certificate of a test CA. */
class TlsRegistryTest {

    static RegistryServer registry;
    static TestCertificates certificates;
    @TempDir
    static Path folder;
    static TestImage image;

    @BeforeAll
    static void start() throws Exception {
        registry = RegistryServer.builder().tls().start();
        certificates = registry.certificates().orElseThrow();
        image = TestImage.multiArch(Files.createDirectory(folder.resolve("blobs")), 50_000);
    }

    @AfterAll
    static void stop() {
        registry.close();
    }

    static RegistryAuth tls(String host, Boolean skipVerify, Path caFile) {
        return RegistryAuth.of(host).withTransport(RegistryAuth.Transport.DEFAULT.withCaFile(caFile).withSkipTlsVerify(skipVerify));
    }

    @Test
    void withTheTestCaAsCaFileTheImageIsPushedAndResolvedOverVerifiedTls() throws Exception {
        ImageReference reference = ImageReference.parse(registry.hostPort() + "/tls/app:1");
        try (RegistryTarget target = new RegistryTarget(Settings.of(List.of(tls(registry.hostPort(), null, certificates.caCertificate()))))) {
            image.push(target, reference);
            assertEquals(image.index.digest(), target.resolve(reference).orElseThrow().digest());
        }
    }

    @Test
    void withoutTheCaVerificationFailsNamingTheHostAndTheRemedies() {
        ImageReference reference = ImageReference.parse(registry.hostPort() + "/tls/app:1");
        RegistryTarget target = new RegistryTarget(Settings.of(List.of()));
        RegistryException.TlsVerificationFailed e = assertThrows(RegistryException.TlsVerificationFailed.class,
                () -> target.resolve(reference));
        assertTrue(e.getMessage().contains(registry.hostPort()), e.getMessage());
        assertTrue(e.getMessage().contains("ca_file") && e.getMessage().contains("skip_tls_verify"), e.getMessage());
    }

    @Test
    void aWrongCaFailsVerificationClearly() {
        ImageReference reference = ImageReference.parse(registry.hostPort() + "/tls/app:1");
        RegistryTarget target = new RegistryTarget(Settings.of(List.of(tls(registry.hostPort(), null, certificates.otherCaCertificate()))));
        assertThrows(RegistryException.TlsVerificationFailed.class, () -> target.resolve(reference));
    }

    @Test
    void skipTlsVerifyAppliesToItsRegistryOnly() throws Exception {
        // The certificate names both 127.0.0.1 and localhost: the same server under two registry names.
        String skipped = "localhost:" + registry.port();
        ImageReference viaSkipped = ImageReference.parse(skipped + "/tls/skip:1");
        ImageReference viaVerified = ImageReference.parse(registry.hostPort() + "/tls/skip:1");
        try (RegistryTarget target = new RegistryTarget(Settings.of(List.of(tls(skipped, true, null))))) {
            image.push(target, viaSkipped);
            assertTrue(target.resolve(viaSkipped).isPresent());
            assertThrows(RegistryException.TlsVerificationFailed.class, () -> target.resolve(viaVerified));
        }
    }

    @Test
    void theTaskWideSkipTlsVerifyIsUsedWhenTheRegistryHasNoOverride() throws Exception {
        RegistrySettings base = Settings.of(List.of());
        RegistrySettings skipAll = RegistrySettings.defaults(base.auths()).withSkipTlsVerify(true)
                .withLimits(new RetryLimits(base.limits().connectTimeout(), base.limits().readTimeout(), base.limits().maxAttempts(), base.limits().maxRetryTime()))
                .withMachine(new MachineConfig(base.machine().environment(), null));
        ImageReference reference = ImageReference.parse(registry.hostPort() + "/tls/app:1");
        try (RegistryTarget target = new RegistryTarget(skipAll)) {
            image.push(target, reference);
            assertTrue(target.resolve(reference).isPresent());
        }
    }
}
