package dev.stevedore.image.registry;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stevedore.image.error.ImageException;
import dev.stevedore.image.oci.Descriptor;
import dev.stevedore.image.reference.Digest;
import dev.stevedore.image.reference.ImageReference;
import dev.stevedore.testsupport.FaultProxy;
import dev.stevedore.testsupport.RegistryServer;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Foreign layers from their URLs, on a real socket: the layer is a blob of a real registry (as Windows base
 * layers are blobs of MCR), reached directly or through a proxy that redirects, as a download network does.
 */
class ForeignLayerFetcherTest {

    static RegistryServer registry;
    static FaultProxy redirecting;
    static final byte[] LAYER = "a Windows base layer, in short".getBytes(StandardCharsets.UTF_8);
    static final Digest DIGEST = Digest.sha256Of(LAYER);
    static final ImageReference IMAGE = ImageReference.parse("mcr.example/windows/servercore:ltsc2019");

    @BeforeAll
    static void start() throws Exception {
        registry = RegistryServer.start();
        redirecting = FaultProxy.start(registry.baseUri());
        try (RegistryTarget target = new RegistryTarget(Settings.of(List.of(Settings.plain(registry.hostPort()))))) {
            target.writeBlob(ImageReference.parse(registry.hostPort() + "/base/layers:any"),
                    new Descriptor("application/octet-stream", DIGEST, LAYER.length), new ByteArrayInputStream(LAYER));
        }
    }

    @AfterAll
    static void stop() {
        redirecting.close();
        registry.close();
    }

    private static Descriptor layer(String... urls) {
        return new Descriptor("application/vnd.docker.image.rootfs.foreign.diff.tar.gzip", DIGEST, LAYER.length, null, Map.of(),
                List.of(urls));
    }

    @Test
    void theFirstUrlThatServesTheLayerIsReadAndAFailureNamesEveryUrlTried() throws Exception {
        String missing = registry.baseUri() + "/v2/elsewhere/blobs/" + DIGEST;
        String viaRedirect = redirecting.baseUri() + "/cdn/layer?token=secret-token";
        try (ForeignLayerFetcher fetcher = new ForeignLayerFetcher(Settings.of(List.of()))) {
            try (InputStream in = fetcher.open(IMAGE, layer("ftp://mcr.example/layer", missing,
                    registry.baseUri() + "/v2/base/layers/blobs/" + DIGEST))) {
                assertArrayEquals(LAYER, in.readAllBytes());
            }
            ImageException e = assertThrows(ImageException.class, () -> fetcher.open(IMAGE, layer(missing, viaRedirect)));
            String message = e.getMessage();
            assertTrue(message.contains(DIGEST.toString()) && message.contains("windows/servercore"), message);
            assertTrue(message.contains("/v2/elsewhere/blobs/" + DIGEST + ": HTTP 404"), message);
            assertTrue(message.contains("/cdn/layer: HTTP 404"), message);
            assertFalse(message.contains("secret-token"), "a signed URL's query stays out of messages: " + message);
            assertTrue(message.contains("foreign_layers"), message);
        }
    }

    @Test
    void aRedirectToTheLayerIsFollowed() throws Exception {
        redirecting.on("GET", "/v2/base/layers/blobs/.*").redirectTo(registry.baseUri());
        int before = redirecting.requests().size();
        try (ForeignLayerFetcher fetcher = new ForeignLayerFetcher(Settings.of(List.of()));
             InputStream in = fetcher.open(IMAGE, layer(redirecting.baseUri() + "/v2/base/layers/blobs/" + DIGEST))) {
            assertArrayEquals(LAYER, in.readAllBytes());
        }
        assertEquals(before + 1, redirecting.requests().size(), "one answer from the proxy, the redirect; the layer came from the registry");
    }
}
