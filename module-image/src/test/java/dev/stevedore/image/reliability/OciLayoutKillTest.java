package dev.stevedore.image.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.stevedore.testsupport.FaultProxy;
import dev.stevedore.testsupport.RecordedRequest;
import dev.stevedore.testsupport.RegistryServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A pull into an OCI image layout writes {@code index.json} about once a second, not once a tag
 * ({@code PendingTags}), so a SIGKILL can take the last tags with it. What must hold: nothing corrupt stands in
 * the layout, every entry of the index names a manifest the layout holds, and the re-run tags every image
 * without fetching again a blob it already has.
 */
class OciLayoutKillTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int SMALL_IMAGES = 6;

    @TempDir
    Path work;

    @Test
    void aPullKilledWithTagsNotYetInTheIndexLeavesAConsistentLayoutAndTheRerunTagsEveryImage() throws Exception {
        try (RegistryServer registry = RegistryServer.start(); FaultProxy proxy = FaultProxy.start(registry.baseUri())) {
            Path seed = Files.createDirectory(work.resolve("seed"));
            List<SeedImages.Image> small = new ArrayList<>();
            for (int i = 0; i < SMALL_IMAGES; i++) {
                small.add(SeedImages.single(seed, "kill/small" + i, "1", List.of(SeedImages.random(seed, SeedImages.LAYER, 20_000, i)), i));
            }
            SeedImages.Blob stalled = SeedImages.random(seed, SeedImages.LAYER, 1_000_000, 100);
            SeedImages.Image slow = SeedImages.single(seed, "kill/slow", "1", List.of(stalled), 100);
            List<SeedImages.Image> all = new ArrayList<>(small);
            all.add(slow);
            for (SeedImages.Image image : all) {
                SeedImages.push(image, registry.hostPort(), null, null);
            }
            StringBuilder manifests = new StringBuilder();
            for (SeedImages.Image image : all) {
                manifests.append(manifests.length() == 0 ? "" : ", ").append("\"${registry}/").append(image.repository()).append(":1\"");
            }
            Path playbook = Files.writeString(work.resolve("pull.yaml"), """
                    - hosts: localhost
                      tasks:
                        - image:
                            pull:
                              manifests: [%s]
                              images_dir: "oci-layout://${layout}"
                              auths: [{repo: "${registry}", plain_http: true}]
                    """.formatted(manifests));
            Path layout = work.resolve("layout");
            String[] run = {"run", playbook.toString(), "-e", "registry=" + proxy.hostPort(), "-e", "layout=" + layout};

            proxy.on("GET", "/v2/.+/blobs/" + stalled.digest()).stallBodyAfter(100_000, Duration.ofSeconds(60));
            CliProcess first = CliProcess.start(work, work.resolve("first.log"), run);
            awaitManifests(first, layout, small);
            first.kill();

            List<String> tagged = assertConsistent(layout);
            assertTrue(tagged.size() <= SMALL_IMAGES, "the stalled image was never tagged: " + tagged);

            proxy.clearFaults();
            int seen = proxy.requests().size();
            CliProcess second = CliProcess.start(work, work.resolve("second.log"), run);
            assertEquals(0, second.await(120), second.output());

            List<String> names = assertConsistent(layout);
            List<String> expected = new ArrayList<>();
            all.forEach(image -> expected.add(proxy.hostPort() + "/" + image.repository() + ":1"));
            assertEquals(new TreeSet<>(expected), new TreeSet<>(names), "every image is tagged after the re-run (" + tagged.size()
                    + " were in the index after the kill)");
            List<RecordedRequest> rerun = proxy.requests().subList(seen, proxy.requests().size());
            for (SeedImages.Image image : small) {
                for (SeedImages.Blob blob : image.blobs()) {
                    assertTrue(rerun.stream().noneMatch(r -> r.method().equals("GET") && r.path().endsWith("/blobs/" + blob.digest())),
                            "the re-run fetched " + blob.digest() + " of " + image.repository() + " again: " + rerun);
                }
            }
        }
    }

    /** Waits until every small image's manifest is stored, which its tag follows at once. */
    private static void awaitManifests(CliProcess child, Path layout, List<SeedImages.Image> images) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!images.stream().allMatch(image -> Files.exists(blob(layout, image.root().digest().hex())))) {
            if (!child.isAlive()) {
                throw new AssertionError("stevedore ended before the kill:\n" + child.output());
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the small images never arrived:\n" + child.output());
            }
            Thread.sleep(10);
        }
    }

    /** Every blob is what its name says, and every entry of the index names a manifest the layout holds; returns the names. */
    private static List<String> assertConsistent(Path layout) throws IOException {
        try (Stream<Path> files = Files.list(layout.resolve("blobs").resolve("sha256"))) {
            for (Path file : files.filter(f -> !f.getFileName().toString().startsWith(".tmp-")).toList()) {
                assertEquals("sha256:" + file.getFileName(), ImagesDirectoryChecker.sha256(file), "a blob under its final name");
            }
        }
        List<String> names = new ArrayList<>();
        Path index = layout.resolve("index.json");
        if (!Files.exists(index)) {
            return names;
        }
        for (JsonNode entry : JSON.readTree(index.toFile()).get("manifests")) {
            String digest = entry.get("digest").asText();
            assertTrue(Files.exists(blob(layout, digest.substring("sha256:".length()))), "the index names " + digest + ", which is stored");
            names.add(entry.path("annotations").path("org.opencontainers.image.ref.name").asText());
        }
        return names;
    }

    private static Path blob(Path layout, String hex) {
        return layout.resolve("blobs").resolve("sha256").resolve(hex);
    }
}
