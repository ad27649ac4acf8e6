package dev.stevedore.image.registry;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import dev.stevedore.image.reference.ImageReference;
import dev.stevedore.testsupport.FaultProxy;
import dev.stevedore.testsupport.RecordedRequest;
import dev.stevedore.testsupport.RegistryServer;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Blob GETs redirected to another origin (as registries do to S3 or a CDN): the client follows by
 * hand and never sends the registry's Authorization there.
 */
class RedirectTest {

    static RegistryServer registry;
    static FaultProxy proxy;
    static HttpServer blobStore;
    static final List<String> authorizationsSeenByBlobStore = new CopyOnWriteArrayList<>();
    @TempDir
    static Path folder;
    static TestImage image;

    @BeforeAll
    static void start() throws Exception {
        registry = RegistryServer.builder().basicAuth("bob", "redirect-pw").start();
        proxy = FaultProxy.start(registry.baseUri());
        image = TestImage.multiArch(Files.createDirectory(folder.resolve("blobs")), 40_000);
        try (RegistryTarget target = bob()) {
            image.push(target, ImageReference.parse(proxy.hostPort() + "/redirect/app:1"));
        }
        blobStore = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 10);
        blobStore.createContext("/", exchange -> {
            authorizationsSeenByBlobStore.add(String.valueOf(exchange.getRequestHeaders().getFirst("Authorization")));
            String path = exchange.getRequestURI().getPath();
            TestImage.Blob blob = image.blobs().stream().filter(b -> path.endsWith(b.descriptor().digest().toString())).findFirst().orElse(null);
            if (blob == null) {
                exchange.sendResponseHeaders(404, -1);
            } else {
                byte[] content = Files.readAllBytes(blob.file());
                exchange.sendResponseHeaders(200, content.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(content);
                }
            }
            exchange.close();
        });
        blobStore.start();
    }

    @AfterAll
    static void stop() {
        blobStore.stop(0);
        proxy.close();
        registry.close();
    }

    static RegistryTarget bob() {
        return new RegistryTarget(Settings.of(List.of(Settings.plain(proxy.hostPort(), "bob", "redirect-pw"))));
    }

    @Test
    void aRedirectedBlobIsFetchedFromTheOtherOriginWithoutAuthorization() throws Exception {
        TestImage.Blob layer = image.blobs().get(1);
        URI store = URI.create("http://127.0.0.1:" + blobStore.getAddress().getPort());
        int before = proxy.requests().size();
        proxy.on("GET", ".*/blobs/sha256:.*").redirectTo(store);
        Path file = folder.resolve("redirected");
        try (RegistryTarget target = bob()) {
            ImageReference reference = ImageReference.parse(proxy.hostPort() + "/redirect/app:1");
            target.resolve(reference); // learns Basic auth from the registry's challenge
            target.downloadBlob(reference, layer.descriptor(), file);
        }
        assertArrayEquals(Files.readAllBytes(layer.file()), Files.readAllBytes(file));
        assertEquals(List.of("null"), authorizationsSeenByBlobStore, "the blob store saw no Authorization header");
        List<RecordedRequest> mine = proxy.requests().subList(before, proxy.requests().size());
        assertTrue(mine.stream().anyMatch(r -> r.method().equals("GET") && r.status() == 307 && r.hadAuthorization()),
                "the registry itself got the credentials: " + mine);
    }

    @Test
    void moreThanFiveRedirectsAreRefused() throws Exception {
        // The proxy redirects to itself, over and over.
        proxy.on("GET", ".*/blobs/sha256:.*").times(10).redirectTo(proxy.baseUri());
        TestImage.Blob layer = image.blobs().get(1);
        try (RegistryTarget target = bob()) {
            RegistryException e = assertThrows(RegistryException.class, () -> target.downloadBlob(
                    ImageReference.parse(proxy.hostPort() + "/redirect/app:1"), layer.descriptor(), folder.resolve("loop")));
            assertTrue(e.getMessage().contains("redirects"), e.getMessage());
        } finally {
            proxy.clearFaults();
        }
    }
}
