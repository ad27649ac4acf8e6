package dev.stevedore.image.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stevedore.image.reference.ImageReference;
import dev.stevedore.image.store.KubeKeyLayoutStore;
import dev.stevedore.testsupport.FaultProxy;
import dev.stevedore.testsupport.RegistryServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two CLI processes pulling overlapping image lists into one images directory at the same time: both
 * succeed and leave one consistent store. The layer both need stalls for 4 s in each download (longer than the two JVMs take to start apart), so
 * both processes are writing that same blob at once, whatever the machine's speed.
 */
@Tag("slow")
class ConcurrentRunsTest {

    @TempDir
    Path work;

    @Test
    void twoProcessesPullingOverlappingImagesIntoOneDirectoryBothSucceed() throws Exception {
        try (RegistryServer registry = RegistryServer.start(); FaultProxy proxy = FaultProxy.start(registry.baseUri())) {
            Path seed = Files.createDirectory(work.resolve("seed"));
            SeedImages.Blob common = SeedImages.random(seed, SeedImages.LAYER, 8_000_000, 11);
            SeedImages.Blob firstAndSecond = SeedImages.random(seed, SeedImages.LAYER, 3_000_000, 12);
            List<SeedImages.Image> images = List.of(
                    SeedImages.single(seed, "overlap/first", "1", List.of(common, firstAndSecond), 21),
                    SeedImages.multiArch(seed, "overlap/second", "1", common, 1_000_000, 22),
                    SeedImages.single(seed, "overlap/third", "1", List.of(firstAndSecond, common), 23));
            for (SeedImages.Image image : images) {
                SeedImages.push(image, registry.hostPort(), null, null);
            }
            proxy.on("GET", "/v2/.+/blobs/" + common.digest()).times(2).stallBodyAfter(4_000_000, Duration.ofSeconds(4));
            Path playbook = Files.writeString(work.resolve("pull.yaml"), """
                    - hosts: localhost
                      tasks:
                        - name: Pull a list of images
                          image:
                            pull:
                              manifests: "${images}"
                              images_dir: "${images_dir}"
                              auths: [{repo: "${registry}", plain_http: true}]
                    """);
            Path imagesDir = work.resolve("images");
            String registryHost = proxy.hostPort();
            CliProcess one = CliProcess.start(work, work.resolve("one.log"), "run", playbook.toString(), "-e", "registry=" + registryHost,
                    "-e", "images_dir=" + imagesDir, "-e", "images=" + list(registryHost, "overlap/first:1", "overlap/second:1"));
            CliProcess two = CliProcess.start(work, work.resolve("two.log"), "run", playbook.toString(), "-e", "registry=" + registryHost,
                    "-e", "images_dir=" + imagesDir, "-e", "images=" + list(registryHost, "overlap/second:1", "overlap/third:1"));

            assertEquals(0, one.await(120), one.output());
            assertEquals(0, two.await(120), two.output());

            ImagesDirectoryChecker.Report report = ImagesDirectoryChecker.check(imagesDir);
            assertTrue(report.consistent(), report.toString());
            assertEquals(List.of(), report.temporaryFiles(), "both runs finished: no temporary file may be left");
            long distinctBlobs = images.stream().flatMap(i -> i.blobs().stream()).map(SeedImages.Blob::digest).distinct().count();
            assertEquals(distinctBlobs, report.blobs(), report.toString());
            List<ImageReference> listed = KubeKeyLayoutStore.open(imagesDir).list();
            assertEquals(3, listed.size(), listed.toString());
            long commonDownloads = proxy.requests().stream()
                    .filter(r -> r.method().equals("GET") && r.path().endsWith("/blobs/" + common.digest())).count();
            assertTrue(commonDownloads >= 2, "each process fetched the shared layer itself, at the same time: " + proxy.requests());
        }
    }

    /** A YAML flow list of image references, as one {@code -e} value. */
    private static String list(String registry, String... images) {
        StringBuilder text = new StringBuilder("[");
        for (String image : images) {
            text.append(text.length() == 1 ? "" : ", ").append('"').append(registry).append('/').append(image).append('"');
        }
        return text.append(']').toString();
    }
}
