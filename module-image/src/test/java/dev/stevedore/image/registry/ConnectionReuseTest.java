package dev.stevedore.image.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stevedore.image.oci.Descriptor;
import dev.stevedore.image.reference.Digest;
import dev.stevedore.image.reference.ImageReference;
import dev.stevedore.testsupport.LinkProfile;
import dev.stevedore.testsupport.LinkSimulator;
import dev.stevedore.testsupport.RegistryServer;
import java.io.ByteArrayInputStream;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Requests one after the other share one connection, whatever their answers carry: the empty bodies of
 * HEAD answers and of upload and mount answers (202, 201) too. Each new connection costs a round trip for
 * its handshake on a wide-area link (over TLS more), so the JDK's client must not be made to drop one:
 * it does when a body is closed before its end was delivered. Counted on a real socket, at the link
 * between the client and the real registry.
 */
class ConnectionReuseTest {

    /** Enough that the race the unread end of an empty body loses now and then shows (5-6 of 300). */
    private static final int REQUESTS = 300;

    static RegistryServer registry;
    LinkSimulator link;
    RegistryTarget target;
    ImageReference image;

    @BeforeAll
    static void startRegistry() throws Exception {
        registry = RegistryServer.start();
    }

    @AfterAll
    static void stopRegistry() {
        registry.close();
    }

    @BeforeEach
    void connectThroughALink() throws Exception {
        // A short round trip: the answer's headers and the end of its body arrive as they would from far away,
        // apart, yet the test stays quick.
        link = LinkSimulator.start(registry.baseUri(), LinkProfile.of(2, 1000));
        target = new RegistryTarget(Settings.of(List.of(Settings.plain(link.hostPort()))));
        image = ImageReference.parse(link.hostPort() + "/reuse/app:1");
    }

    @AfterEach
    void close() {
        target.close();
        link.close();
    }

    @Test
    void headsOfMissingBlobsShareOneConnection() throws Exception {
        Descriptor missing = blob(new byte[] {1, 2, 3});
        for (int i = 0; i < REQUESTS; i++) {
            assertFalse(target.hasBlob(image, missing));
        }
        assertEquals(1, link.counters().connections(), "connections for " + REQUESTS + " HEADs answered 404");
    }

    @Test
    void headsOfPresentBlobsShareOneConnection() throws Exception {
        byte[] content = "present".getBytes();
        Descriptor present = blob(content);
        target.writeBlob(image, present, new ByteArrayInputStream(content));
        for (int i = 0; i < REQUESTS; i++) {
            assertTrue(target.hasBlob(image, present));
        }
        assertEquals(1, link.counters().connections(), "connections for an upload and " + REQUESTS + " HEADs answered 200");
    }

    @Test
    void uploadsAndMountsShareOneConnection() throws Exception {
        ImageReference other = ImageReference.parse(link.hostPort() + "/reuse/other:1");
        for (int i = 0; i < REQUESTS / 3; i++) {
            byte[] content = ("blob " + i).getBytes();
            Descriptor blob = blob(content);
            target.writeBlob(image, blob, new ByteArrayInputStream(content));
            assertTrue(target.mountBlob(other, blob, image));
        }
        assertEquals(1, link.counters().connections(), "connections for " + REQUESTS / 3 + " uploads (POST, PUT) and mounts");
    }

    private static Descriptor blob(byte[] content) {
        return new Descriptor("application/octet-stream", Digest.sha256Of(content), content.length);
    }
}
