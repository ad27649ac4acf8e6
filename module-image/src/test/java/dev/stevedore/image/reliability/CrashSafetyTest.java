package dev.stevedore.image.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stevedore.testsupport.FaultProxy;
import dev.stevedore.testsupport.RecordedRequest;
import dev.stevedore.testsupport.RegistryServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Crash safety: the CLI pulling an image with a 200 MB incompressible layer is killed with SIGKILL in the
 * middle of that layer. Nothing under a final name may be wrong, and running the same playbook again must
 * complete the image, verified, without downloading again the blobs that were complete before the kill,
 * and fetching of the cut layer only what the killed run had not written (a {@code Range} request, as the
 * registry's own access log shows).
 */
@Tag("slow")
class CrashSafetyTest {

    private static final long LARGE = 200L * 1024 * 1024;
    private static final long STALL_AT = 64L * 1024 * 1024;

    @TempDir
    Path work;

    @Test
    void aPullKilledMidLayerLeavesNothingCorruptAndTheRerunFetchesOnlyWhatWasMissing() throws Exception {
        try (RegistryServer registry = RegistryServer.start(); FaultProxy proxy = FaultProxy.start(registry.baseUri())) {
            Path blobs = Files.createDirectory(work.resolve("seed"));
            List<SeedImages.Blob> small = List.of(SeedImages.random(blobs, SeedImages.LAYER, 300_000, 1),
                    SeedImages.random(blobs, SeedImages.LAYER, 2_000_000, 2));
            SeedImages.Blob large = SeedImages.random(blobs, SeedImages.LAYER, LARGE, 3);
            SeedImages.Image image = SeedImages.single(blobs, "crash/big", "1",
                    List.of(small.get(0), large, small.get(1)), 4);
            SeedImages.push(image, registry.hostPort(), null, null);
            deleteSeedFiles(blobs);
            Path playbook = Files.writeString(work.resolve("pull.yaml"), """
                    - hosts: localhost
                      tasks:
                        - name: Pull the big image
                          image:
                            pull:
                              manifests: ["${registry}/crash/big:1"]
                              images_dir: "${images_dir}"
                              auths: [{repo: "${registry}", plain_http: true}]
                    """);
            Path imagesDir = work.resolve("images");
            String[] run = {"run", playbook.toString(), "-e", "registry=" + proxy.hostPort(), "-e", "images_dir=" + imagesDir};

            // The large layer stalls part-way, so the kill lands mid-transfer whatever the machine's speed.
            proxy.on("GET", "/v2/.+/blobs/" + large.digest()).stallBodyAfter(STALL_AT, Duration.ofSeconds(60));
            CliProcess first = CliProcess.start(work, work.resolve("first.log"), run);
            awaitMidTransfer(first, imagesDir, image.blobs().size() - 1);
            first.kill();

            ImagesDirectoryChecker.Report afterKill = ImagesDirectoryChecker.check(imagesDir);
            assertTrue(afterKill.consistent(), afterKill.toString());
            assertEquals(image.blobs().size() - 1, afterKill.blobs(), "the small blobs and the config were complete: " + afterKill);
            assertEquals(0, afterKill.manifests(), "no tag before its blobs: " + afterKill);
            Path kept = imagesDir.resolve("blobs").resolve(".tmp-resume-" + large.digest());
            assertEquals(List.of(kept), afterKill.temporaryFiles(), "the layer cut by the kill is kept for resuming: " + afterKill);
            assertFalse(Files.exists(imagesDir.resolve("blobs").resolve(large.digest())));
            long keptBytes = Files.size(kept);
            assertTrue(keptBytes >= STALL_AT && keptBytes < LARGE, "kept " + keptBytes);

            proxy.clearFaults();
            long logLines = RegistryAccessLog.lineCount(registry.logFile());
            CliProcess second = CliProcess.start(work, work.resolve("second.log"), run);
            assertEquals(0, second.await(120), second.output());
            assertResumedFrom(keptBytes, large, RegistryAccessLog.read(registry.logFile(), logLines));

            ImagesDirectoryChecker.Report afterRerun = ImagesDirectoryChecker.check(imagesDir);
            assertTrue(afterRerun.consistent(), afterRerun.toString());
            assertEquals(image.blobs().size(), afterRerun.blobs(), afterRerun.toString());
            assertEquals(1, afterRerun.manifests(), afterRerun.toString());
            assertEquals(ImagesDirectoryChecker.sha256(imagesDir.resolve("blobs").resolve(large.digest())), large.digest());
            List<RecordedRequest> requests = proxy.requests();
            for (SeedImages.Blob blob : image.blobs()) {
                long gets = requests.stream().filter(r -> r.method().equals("GET") && r.path().endsWith("/blobs/" + blob.digest())).count();
                assertEquals(blob == large ? 2 : 1, gets, "GET requests for " + blob.digest() + ": " + requests);
            }
        }
    }

    /**
     * A run that gives up on a layer whose connection is cut again and again (each cut resumed in-process, until
     * the attempts are spent) fails, keeps what arrived, and the next run fetches only the rest.
     */
    @Test
    void aRunThatFailsOnACutLayerKeepsWhatArrivedAndTheNextRunFetchesOnlyTheRest() throws Exception {
        long size = 40L * 1024 * 1024;
        try (RegistryServer registry = RegistryServer.start(); FaultProxy proxy = FaultProxy.start(registry.baseUri())) {
            Path blobs = Files.createDirectory(work.resolve("seed"));
            SeedImages.Blob layer = SeedImages.random(blobs, SeedImages.LAYER, size, 7);
            SeedImages.Image image = SeedImages.single(blobs, "crash/cut", "1", List.of(layer), 8);
            SeedImages.push(image, registry.hostPort(), null, null);
            deleteSeedFiles(blobs);
            Path playbook = Files.writeString(work.resolve("pull.yaml"), """
                    - hosts: localhost
                      tasks:
                        - name: Pull the image
                          image:
                            manifests: ["${registry}/crash/cut:1"]
                            dest: "local://${images_dir}"
                            auths: [{registry: "${registry}", plain_http: true}]
                    """);
            Path imagesDir = work.resolve("images");
            String[] run = {"run", playbook.toString(), "-e", "registry=" + proxy.hostPort(), "-e", "images_dir=" + imagesDir};

            proxy.on("GET", "/v2/.+/blobs/" + layer.digest()).always().resetAfterBodyBytes(3L * 1024 * 1024);
            CliProcess first = CliProcess.start(work, work.resolve("first.log"), run);
            assertEquals(2, first.await(120), first.output());

            ImagesDirectoryChecker.Report afterFailure = ImagesDirectoryChecker.check(imagesDir);
            assertTrue(afterFailure.consistent(), afterFailure.toString());
            Path kept = imagesDir.resolve("blobs").resolve(".tmp-resume-" + layer.digest());
            assertEquals(List.of(kept), afterFailure.temporaryFiles(), afterFailure.toString());
            assertEquals(0, afterFailure.manifests(), afterFailure.toString());
            long keptBytes = Files.size(kept);
            assertTrue(keptBytes > 0 && keptBytes < size, "kept " + keptBytes);

            proxy.clearFaults();
            long logLines = RegistryAccessLog.lineCount(registry.logFile());
            CliProcess second = CliProcess.start(work, work.resolve("second.log"), run);
            assertEquals(0, second.await(120), second.output());

            assertResumedFrom(keptBytes, layer, RegistryAccessLog.read(registry.logFile(), logLines));
            ImagesDirectoryChecker.Report afterRerun = ImagesDirectoryChecker.check(imagesDir);
            assertTrue(afterRerun.consistent(), afterRerun.toString());
            assertEquals(List.of(), afterRerun.temporaryFiles(), afterRerun.toString());
            assertEquals(image.blobs().size(), afterRerun.blobs(), afterRerun.toString());
            assertEquals(ImagesDirectoryChecker.sha256(imagesDir.resolve("blobs").resolve(layer.digest())), layer.digest());
        }
    }

    /** The registry answered the rerun's one GET of the layer with 206 and exactly the bytes the kept part lacked. */
    private static void assertResumedFrom(long keptBytes, SeedImages.Blob layer, List<RegistryAccessLog.Entry> rerun) {
        List<RegistryAccessLog.Entry> gets = rerun.stream()
                .filter(e -> e.method().equals("GET") && e.path().endsWith("/blobs/" + layer.digest())).toList();
        assertEquals(1, gets.size(), "the rerun's requests for the layer: " + gets);
        assertEquals(206, gets.get(0).status(), "a range request: " + gets);
        assertEquals(layer.descriptor().size() - keptBytes, gets.get(0).bytes(), "only the rest was sent: " + gets);
    }

    /** Polls until every blob but the large one has its final name and the large one is a temporary file past the stall. */
    private static void awaitMidTransfer(CliProcess child, Path imagesDir, int completeBlobs) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        Path blobsDir = imagesDir.resolve("blobs");
        while (true) {
            if (!child.isAlive()) {
                throw new AssertionError("stevedore ended before the kill:\n" + child.output());
            }
            if (Files.isDirectory(blobsDir) && finalBlobs(blobsDir) == completeBlobs && largestTemporary(blobsDir) >= STALL_AT) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the pull never reached the stall:\n" + child.output());
            }
            Thread.sleep(20);
        }
    }

    private static long finalBlobs(Path blobsDir) throws IOException {
        try (Stream<Path> files = Files.list(blobsDir)) {
            return files.filter(f -> f.getFileName().toString().startsWith("sha256:")).count();
        }
    }

    private static long largestTemporary(Path blobsDir) throws IOException {
        try (Stream<Path> files = Files.list(blobsDir)) {
            return files.filter(f -> f.getFileName().toString().startsWith(".tmp-")).mapToLong(f -> {
                try {
                    return Files.size(f);
                } catch (IOException gone) {
                    return 0; // renamed or removed between listing and asking
                }
            }).max().orElse(0);
        }
    }

    private static void deleteSeedFiles(Path folder) throws IOException {
        try (Stream<Path> files = Files.list(folder)) {
            for (Path file : files.toList()) {
                Files.delete(file);
            }
        }
    }
}
