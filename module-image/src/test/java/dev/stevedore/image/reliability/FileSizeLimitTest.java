package dev.stevedore.image.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stevedore.engine.testkit.CliRun;
import dev.stevedore.engine.testkit.PlaybookRunner;
import dev.stevedore.image.ImageModule;
import dev.stevedore.testsupport.RegistryServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A pull meets the largest file its destination's file system holds, as a bundle of a few images meets FAT32's
 * 4 GiB less one byte on a USB stick. The limit here is the kernel's own: the child {@code stevedore} runs under
 * a 1 MiB file size limit (RLIMIT_FSIZE), and a write past it fails with EFBIG, the error FAT32 gives. A re-run
 * meets the same limit, so the failure says what does get past it, and that is tested too.
 */
class FileSizeLimitTest {

    private static final long LIMIT = 1024 * 1024;

    @TempDir
    Path work;

    private Path seed;

    @BeforeEach
    void seedFolder() throws IOException {
        seed = Files.createDirectory(work.resolve("seed"));
    }

    @Test
    void aBundleArchiveLargerThanTheFileSystemHoldsFailsSayingSoAndPartsThatFitFinishIt() throws Exception {
        try (RegistryServer registry = RegistryServer.start()) {
            pushImageOfATwoMegabyteLayer(registry);
            Path usb = Files.createDirectory(work.resolve("usb"));
            Path archive = usb.resolve("bundle.tar");

            CliRun oneFile = pull(registry, "archive://" + archive, "");

            assertEquals(2, oneFile.exitCode(), oneFile.toString());
            assertTrue(oneFile.stderr().contains("1 of 1 images failed"), oneFile.toString());
            assertTrue(oneFile.stderr().contains("for bundle archive " + archive + " (image " + registry.hostPort()
                    + "/large/layer): the file system of " + usb + " holds no file this large (FAT32, as USB sticks often"
                    + " are, holds 4 GiB less one byte at most); pull into a bundle archive in parts that fit instead"
                    + " (archive://FILE.tar with max_part_size: 4095M; one begun as a single file, or in larger parts, must"
                    + " be removed first), or write to another file system"), oneFile.toString());
            assertFalse(oneFile.stderr().contains("the next run finishes it"), "a re-run meets the same limit: " + oneFile);
            assertFalse(oneFile.stderr().contains("File too large"), "said in words, not as the errno: " + oneFile);

            // What the message says to do works under the same limit.
            Files.delete(archive);
            Files.deleteIfExists(usb.resolve("bundle.tar.sha256"));
            CliRun inParts = pull(registry, "archive://" + archive, "max_part_size: 512KiB");

            assertEquals(0, inParts.exitCode(), inParts.toString());
            try (var listed = Files.list(usb)) {
                List<Path> parts = listed.filter(part -> part.getFileName().toString().startsWith("bundle.tar.part-")).toList();
                assertTrue(parts.size() > 1, parts.toString());
                for (Path part : parts) {
                    assertTrue(Files.size(part) <= 512 * 1024, part.toString());
                }
            }
            CliRun verified = PlaybookRunner.withModules(new ImageModule(new FastRetryTargets())).run("verify", archive.toString());
            assertEquals(0, verified.exitCode(), verified.toString());
            assertTrue(verified.stdout().contains("1 image"), verified.toString());
        }
    }

    @Test
    void anArchiveWhoseManifestsGoPastTheLimitDoesNotPromiseThatTheNextRunFinishesIt() throws Exception {
        try (RegistryServer registry = RegistryServer.start()) {
            // The layer's and the config's members end a few KiB short of the limit; the manifests, tag lists and
            // checksums the archive appends as it closes do not fit.
            SeedImages.Blob layer = SeedImages.random(seed, SeedImages.LAYER, 1_044_000, 1);
            SeedImages.push(SeedImages.single(seed, "large/layer", "1", List.of(layer), 3), registry.hostPort(), null, null);
            Path archive = Files.createDirectory(work.resolve("usb")).resolve("bundle.tar");

            CliRun pulled = pull(registry, "archive://" + archive, "");

            assertEquals(2, pulled.exitCode(), pulled.toString());
            assertTrue(pulled.stderr().contains("could not finish writing bundle archive " + archive + ": cannot write the"
                    + " manifests and checksums of bundle archive " + archive + ": the file system of " + archive.getParent()
                    + " holds no file this large (FAT32"), pulled.toString());
            assertFalse(pulled.stderr().contains("the next run finishes it"), "a re-run meets the same limit: " + pulled);
        }
    }

    @Test
    void aLayerLargerThanTheFileSystemHoldsFailsAPullIntoADirectorySayingSoAndLeavesNoPartialFile() throws Exception {
        try (RegistryServer registry = RegistryServer.start()) {
            pushImageOfATwoMegabyteLayer(registry);
            Path imagesDir = work.resolve("usb/images");

            CliRun pulled = pull(registry, "local://" + imagesDir, "");

            assertEquals(2, pulled.exitCode(), pulled.toString());
            assertTrue(pulled.stderr().contains("the file system of " + imagesDir.resolve("blobs") + " holds no file this large"
                    + " (FAT32"), pulled.toString());
            assertTrue(pulled.stderr().contains("cannot write blob sha256:") && pulled.stderr().contains("large/layer"),
                    pulled.toString());
            ImagesDirectoryChecker.Report report = ImagesDirectoryChecker.check(imagesDir);
            assertTrue(report.consistent(), report.toString());
            assertEquals(List.of(), report.temporaryFiles(), "the partial layer must be removed: " + report);
            assertEquals(0, report.manifests(), "no tag for an incomplete image: " + report);
        }
    }

    /** {@code large/layer:1}: a 2 MB layer, twice the limit, and a small one. */
    private void pushImageOfATwoMegabyteLayer(RegistryServer registry) throws IOException {
        SeedImages.Blob small = SeedImages.random(seed, SeedImages.LAYER, 100_000, 1);
        SeedImages.Blob large = SeedImages.random(seed, SeedImages.LAYER, 2_000_000, 2);
        SeedImages.push(SeedImages.single(seed, "large/layer", "1", List.of(small, large), 3), registry.hostPort(), null, null);
    }

    private CliRun pull(RegistryServer registry, String destination, String option) throws IOException, InterruptedException {
        Path playbook = Files.writeString(Files.createTempFile(work, "pull", ".yaml"), """
                - hosts: localhost
                  tasks:
                    - image:
                        manifests: ["%s/large/layer:1"]
                        dest: "%s"
                        %s
                        auths: [{registry: "%s", plain_http: true}]
                """.formatted(registry.hostPort(), destination, option, registry.hostPort()));
        return ChildCli.runWithFileSizeLimit(LIMIT, work, Map.of("PATH", System.getenv("PATH")), "run", playbook.toString());
    }
}
