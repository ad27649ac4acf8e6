package dev.stevedore.image.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stevedore.image.reference.ImageReference;
import dev.stevedore.testsupport.RegistryServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** htpasswd Basic authentication on the real registry. */
class BasicAuthRegistryTest {

    static RegistryServer registry;
    @TempDir
    static Path folder;
    static TestImage image;

    @BeforeAll
    static void start() throws Exception {
        registry = RegistryServer.builder().basicAuth("alice", "wonder-land-42").start();
        image = TestImage.multiArch(Files.createDirectory(folder.resolve("blobs")), 20_000);
    }

    @AfterAll
    static void stop() {
        registry.close();
    }

    @Test
    void theRightPasswordPushesAndPulls() throws Exception {
        ImageReference reference = ImageReference.parse(registry.hostPort() + "/basic/app:1");
        try (RegistryTarget target = new RegistryTarget(Settings.of(List.of(Settings.plain(registry.hostPort(), "alice", "wonder-land-42"))))) {
            image.push(target, reference);
            assertEquals(image.index.digest(), target.resolve(reference).orElseThrow().digest());
            TestImage.Blob layer = image.blobs().get(1);
            Path back = folder.resolve("back");
            target.downloadBlob(reference, layer.descriptor(), back);
            assertEquals(Files.size(layer.file()), Files.size(back));
        }
    }

    @Test
    void aWrongPasswordIsReportedAsUnauthorizedWithoutThePassword() {
        ImageReference reference = ImageReference.parse(registry.hostPort() + "/basic/app:1");
        RegistryTarget target = new RegistryTarget(Settings.of(List.of(Settings.plain(registry.hostPort(), "alice", "not-the-password"))));
        RegistryException.Unauthorized e = assertThrows(RegistryException.Unauthorized.class, () -> target.resolve(reference));
        assertTrue(e.getMessage().contains(registry.hostPort()), e.getMessage());
        assertTrue(e.getMessage().contains("credentials") || e.getMessage().contains("password"), e.getMessage());
        assertFalse(e.getMessage().contains("not-the-password"), e.getMessage());
    }

    @Test
    void noCredentialsAtAllIsUnauthorized() {
        ImageReference reference = ImageReference.parse(registry.hostPort() + "/basic/app:1");
        RegistryTarget target = new RegistryTarget(Settings.of(List.of(Settings.plain(registry.hostPort()))));
        assertThrows(RegistryException.Unauthorized.class, () -> target.resolve(reference));
    }
}
