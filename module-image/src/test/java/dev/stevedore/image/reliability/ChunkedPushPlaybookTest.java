package dev.stevedore.image.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stevedore.engine.testkit.CliRun;
import dev.stevedore.engine.testkit.PlaybookRunner;
import dev.stevedore.image.ImageModule;
import dev.stevedore.testsupport.FaultProxy;
import dev.stevedore.testsupport.RecordedRequest;
import dev.stevedore.testsupport.RegistryServer;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Given a registry behind a body limit of 1 MiB (the proxy answers 413 to any larger request, as nginx's
 * {@code client_max_body_size} does), when a playbook pushes an image with a 3 MiB layer with
 * {@code chunk_size} (classic push from a directory, and the newer form from a registry), then every blob
 * goes up in {@code PATCH} chunks of at most that size from the first request: the limit never answers,
 * and the image arrives.
 */
class ChunkedPushPlaybookTest {

    private static final long MIB = 1 << 20;

    static RegistryServer registry;
    static FaultProxy limited;
    static SeedImages.Image image;

    @TempDir
    static Path work;

    @BeforeAll
    static void seed() throws Exception {
        registry = RegistryServer.start();
        SeedImages.Blob layer = SeedImages.random(work, SeedImages.LAYER, 3 * MIB + 5, 7);
        image = SeedImages.single(work, "chunks/app", "1", List.of(layer), 7);
        SeedImages.push(image, registry.hostPort(), null, null);
        limited = FaultProxy.start(registry.baseUri());
        limited.on("*", ".*/blobs/uploads/.*").always().whenRequestBodyOver(MIB)
                .respond(413, Map.of("Content-Type", "text/html"), "<html><body>413 Request Entity Too Large</body></html>");
    }

    @AfterAll
    static void stop() {
        limited.close();
        registry.close();
    }

    @Test
    void chunkSizeSendsEveryBlobInChunksThatFitFromTheFirstRequest() {
        CliRun run = PlaybookRunner.withModules(new ImageModule(new IsolatedTargets(Map.of("HOME", "/nonexistent"))))
                .runYaml(work, """
                        - hosts: localhost
                          tasks:
                            - name: bundle the image
                              image:
                                pull:
                                  manifests: ["${registry}/chunks/app:1"]
                                  images_dir: "${dir}/bundle"
                                  auths: [{repo: "${registry}", plain_http: true}]
                            - name: classic push in chunks
                              image:
                                push:
                                  images_dir: "${dir}/bundle"
                                  dest: "${limited}/classic/${module.image.src.reference.repository}:${module.image.src.reference.reference}"
                                  chunk_size: 1MiB
                                  auths: [{repo: "${limited}", plain_http: true}]
                              register: classic
                            - name: newer form, registry to registry, in chunks
                              image:
                                manifests: ["${registry}/chunks/app:1"]
                                dest: "oci://${limited}/newer/${module.image.reference.repository}:${module.image.reference.reference}"
                                chunk_size: 524288
                                auths: [{registry: "${registry}", plain_http: true}, {registry: "${limited}", plain_http: true}]
                              register: newer
                            - assert:
                                that:
                                  - "classic.images[0].status == 'copied'"
                                  - "newer.images[0].status == 'copied'"
                        """, "-e", "registry=" + registry.hostPort(), "-e", "limited=" + limited.hostPort(), "-e", "dir=" + work);

        assertEquals(0, run.exitCode(), run.toString());
        List<RecordedRequest> sent = limited.requests();
        assertTrue(sent.stream().noneMatch(r -> r.status() == 413), "the body limit never had to answer: " + sent);
        // The layer: 4 chunks of 1 MiB (classic), 7 of 512 KiB (newer); the config: one chunk each.
        assertEquals(5, patches(sent, "/v2/classic/chunks/app/"), sent.toString());
        assertEquals(8, patches(sent, "/v2/newer/chunks/app/"), sent.toString());
        assertTrue(sent.stream().anyMatch(r -> r.method().equals("PUT") && r.path().equals("/v2/newer/chunks/app/manifests/1")
                && r.status() == 201), sent.toString());
    }

    private static long patches(List<RecordedRequest> sent, String prefix) {
        return sent.stream().filter(r -> r.method().equals("PATCH") && r.path().startsWith(prefix) && r.status() == 202).count();
    }
}
