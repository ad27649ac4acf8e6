package dev.stevedore.image.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stevedore.image.reference.ImageReference;
import dev.stevedore.testsupport.FaultProxy;
import dev.stevedore.testsupport.RecordedRequest;
import dev.stevedore.testsupport.RegistryServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * How blobs go up, per registry, against the real registry behind a recording proxy: one request per
 * blob unless the task sets a chunk size; a registry that refuses a blob in one request (the proxy
 * plays a body limit answering 413, as nginx's {@code client_max_body_size} does) is switched to
 * chunks for the rest of the task, with one warning; a registry that never asks is never chunked.
 */
class UploadStrategyTest {

    static final long MIB = 1 << 20;

    @TempDir
    static Path folder;
    static RegistryServer registry;
    static TestImage.Blob first;
    static TestImage.Blob second;

    @BeforeAll
    static void start() throws Exception {
        registry = RegistryServer.start();
        first = TestImage.writeLarge(folder, 3 * MIB + 5, 1);
        second = TestImage.writeLarge(folder, 3 * MIB + 7, 2);
    }

    @AfterAll
    static void stop() {
        registry.close();
    }

    record Recorded(List<String> warnings) implements RegistryEvents {
        @Override
        public void uploadsChunked(String host, String reason, long chunkSize) {
            warnings.add(host + " " + reason + " " + chunkSize);
        }
    }

    static List<RecordedRequest> since(FaultProxy proxy, int from) {
        return proxy.requests().subList(from, proxy.requests().size());
    }

    @Test
    void aRegistryThatNeverAsksIsNeverChunked() throws Exception {
        try (FaultProxy proxy = FaultProxy.start(registry.baseUri());
             RegistryTarget target = new RegistryTarget(Settings.of(List.of(Settings.plain(proxy.hostPort()))))) {
            target.uploadBlob(ImageReference.parse(proxy.hostPort() + "/uploads/whole:1"), first.descriptor(), first.file());
            assertTrue(proxy.requests().stream().noneMatch(r -> r.method().equals("PATCH")), proxy.requests().toString());
            assertEquals(1, proxy.requests().stream().filter(r -> r.method().equals("PUT") && r.status() == 201).count());
        }
    }

    @Test
    void aChunkSizeFromTheTaskSendsPatchChunks() throws Exception {
        try (FaultProxy proxy = FaultProxy.start(registry.baseUri());
             RegistryTarget target = new RegistryTarget(Settings.of(List.of(Settings.plain(proxy.hostPort()))).withChunkSize(MIB))) {
            ImageReference image = ImageReference.parse(proxy.hostPort() + "/uploads/chunks:1");
            target.uploadBlob(image, first.descriptor(), first.file());
            assertEquals(4, proxy.requests().stream().filter(r -> r.method().equals("PATCH") && r.status() == 202).count());
            assertTrue(target.hasBlob(image, first.descriptor()));
        }
    }

    @Test
    void aRefusedWholeUploadFallsBackToChunksThatFitAndTheRegistryIsRememberedAsChunked() throws Exception {
        List<String> warnings = new CopyOnWriteArrayList<>();
        try (FaultProxy proxy = FaultProxy.start(registry.baseUri());
             RegistryTarget target = new RegistryTarget(Settings.of(List.of(Settings.plain(proxy.hostPort()))).withEvents(new Recorded(warnings)))) {
            proxy.on("*", ".*/blobs/uploads/.*").always().whenRequestBodyOver(MIB)
                    .respond(413, Map.of("Content-Type", "text/html"), "<html><body>413 Request Entity Too Large</body></html>");
            ImageReference image = ImageReference.parse(proxy.hostPort() + "/uploads/limited:1");
            target.uploadBlob(image, first.descriptor(), first.file());
            assertTrue(target.hasBlob(image, first.descriptor()));
            assertEquals(List.of(proxy.hostPort() + " HTTP 413 " + 4 * MIB, proxy.hostPort() + " HTTP 413 for a chunk " + 2 * MIB,
                    proxy.hostPort() + " HTTP 413 for a chunk " + MIB), warnings);

            int before = proxy.requests().size();
            target.uploadBlob(image, second.descriptor(), second.file());
            assertTrue(target.hasBlob(image, second.descriptor()));
            List<RecordedRequest> secondUpload = since(proxy, before);
            assertTrue(secondUpload.stream().noneMatch(r -> r.status() == 413), "remembered: " + secondUpload);
            assertEquals(4, secondUpload.stream().filter(r -> r.method().equals("PATCH")).count(), secondUpload.toString());
            assertEquals(3, warnings.size(), "announced once per change");
        }
    }

    @Test
    void theRegistrysMinimumChunkLengthWins() {
        UploadStrategy chunked = new UploadStrategy("r", MIB, RegistryEvents.NONE);
        assertEquals(5 * MIB, chunked.chunkSize(5 * MIB));
        assertEquals(MIB, chunked.chunkSize(0));
        assertEquals(0, new UploadStrategy("r", 0, RegistryEvents.NONE).chunkSize(5 * MIB), "a minimum does not make a registry chunked");
        assertFalse(new UploadStrategy("r", 0, RegistryEvents.NONE).adaptTo(new RegistryException("HTTP 400", 400, null), 0));
    }
}
