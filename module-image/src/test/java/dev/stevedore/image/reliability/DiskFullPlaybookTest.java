package dev.stevedore.image.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.stevedore.engine.testkit.CliRun;
import dev.stevedore.engine.testkit.PlaybookRunner;
import dev.stevedore.image.ImageModule;
import dev.stevedore.testsupport.RegistryServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A pull through the engine into a directory on a real, small file system (a 1 MiB tmpfs) fails saying the
 * disk is full and which directory, leaves no partial file under a final name, and succeeds once there is
 * room; into a read-only one, it fails saying so. Needs the right to mount (root with CAP_SYS_ADMIN, as in CI); skipped elsewhere. The store-level
 * counterpart is {@code store.DiskFullTest}.
 */
class DiskFullPlaybookTest {

    @TempDir
    Path work;

    @Test
    void aPullIntoAFullDiskSaysSoNamesTheDirectoryAndLeavesNoPartialFile() throws Exception {
        Path small = mountSmallDisk("1m");
        try (RegistryServer registry = RegistryServer.start()) {
            pushImageWithATooLargeLayer(registry);
            PlaybookRunner runner = PlaybookRunner.withModules(new ImageModule(new FastRetryTargets()));
            Path imagesDir = small.resolve("images");
            String playbook = """
                    - hosts: localhost
                      tasks:
                        - name: Pull into a small disk
                          image:
                            pull:
                              manifests: ["${registry}/full/disk:1"]
                              images_dir: "${images_dir}"
                              auths: [{repo: "${registry}", plain_http: true}]
                    """;

            CliRun full = runner.runYaml(work, playbook, "-e", "registry=" + registry.hostPort(), "-e", "images_dir=" + imagesDir);

            assertEquals(2, full.exitCode(), full.toString());
            // Blobs are written side by side: the one reported is whichever met the full disk first.
            assertTrue(full.stderr().contains("the disk of " + imagesDir.resolve("blobs") + " is full while writing blob sha256:"),
                    full.toString());
            assertTrue(full.stderr().contains("full/disk:1") && full.stderr().contains("free some space"), full.toString());
            ImagesDirectoryChecker.Report report = ImagesDirectoryChecker.check(imagesDir);
            assertTrue(report.consistent(), report.toString());
            assertEquals(List.of(), report.temporaryFiles(), "the partial layer must be removed: " + report);
            assertEquals(0, report.manifests(), "no tag for an incomplete image: " + report);

            assertEquals(0, run("mount", "-o", "remount,size=8m", small.toString()));
            CliRun again = runner.runYaml(work, playbook, "-e", "registry=" + registry.hostPort(), "-e", "images_dir=" + imagesDir);
            assertEquals(0, again.exitCode(), again.toString());
            ImagesDirectoryChecker.Report complete = ImagesDirectoryChecker.check(imagesDir);
            assertTrue(complete.consistent(), complete.toString());
            assertEquals(3, complete.blobs(), complete.toString());
            assertEquals(1, complete.manifests(), complete.toString());
        } finally {
            run("umount", small.toString());
        }
    }

    @Test
    void aPullIntoABundleArchiveOnAFullDiskSaysSoForTheImageAndTheNextRunFinishesIt() throws Exception {
        Path small = mountSmallDisk("1m");
        try (RegistryServer registry = RegistryServer.start()) {
            pushImageWithATooLargeLayer(registry);
            PlaybookRunner runner = PlaybookRunner.withModules(new ImageModule(new FastRetryTargets()));
            Path archive = small.resolve("bundle.tar");
            String playbook = """
                    - hosts: localhost
                      tasks:
                        - name: Pull into a bundle on a small disk
                          image:
                            manifests: ["${registry}/full/disk:1"]
                            dest: "archive://${archive}"
                            auths: [{registry: "${registry}", plain_http: true}]
                    """;

            CliRun full = runner.runYaml(work, playbook, "-e", "registry=" + registry.hostPort(), "-e", "archive=" + archive);

            assertEquals(2, full.exitCode(), full.toString());
            // The image carries the full disk as its own failure, the first cause; the archive's close, which
            // the full disk fails too, does not replace it with a failure of the copy as a whole ("0 images").
            String said = "the disk of " + small + " is full while writing blob sha256:";
            assertTrue(full.stderr().contains("1 of 1 images failed") && full.stderr().contains(said), full.toString());
            assertTrue(full.stderr().contains("for bundle archive " + archive + " (image " + registry.hostPort() + "/full/disk)")
                    && full.stderr().contains("free some space"), full.toString());
            assertEquals(1, count(full.stderr(), "blob sha256:"), "the blob is named once: " + full);

            assertEquals(0, run("mount", "-o", "remount,size=8m", small.toString()));
            CliRun again = runner.runYaml(work, playbook, "-e", "registry=" + registry.hostPort(), "-e", "archive=" + archive);
            assertEquals(0, again.exitCode(), again.toString());
            assertTrue(again.stdout().contains("1 image: 1 copied"), again.toString());
            CliRun verified = runner.run("verify", archive.toString());
            assertEquals(0, verified.exitCode(), verified.toString());
            assertTrue(verified.stdout().contains("verified 3 blobs"), verified.toString());
        } finally {
            run("umount", small.toString());
        }
    }

    @Test
    void aBundleArchiveWhoseManifestsDoNotFitFailsItsImagesNamingTheDiskAndTheNextRunFinishesIt() throws Exception {
        // 64 KiB: a 56,000-byte layer and its config fit; the manifests, tag lists and checksums appended at the
        // archive's close do not.
        Path small = mountSmallDisk("64k");
        try (RegistryServer registry = RegistryServer.start()) {
            Path seed = Files.createDirectory(work.resolve("seed"));
            SeedImages.Blob layer = SeedImages.random(seed, SeedImages.LAYER, 56_000, 1);
            SeedImages.push(SeedImages.single(seed, "full/close", "1", List.of(layer), 3), registry.hostPort(), null, null);
            PlaybookRunner runner = PlaybookRunner.withModules(new ImageModule(new FastRetryTargets()));
            Path archive = small.resolve("bundle.tar");
            String playbook = """
                    - hosts: localhost
                      tasks:
                        - image:
                            manifests: ["${registry}/full/close:1"]
                            dest: "archive://${archive}"
                            auths: [{registry: "${registry}", plain_http: true}]
                    """;

            CliRun full = runner.runYaml(work, playbook, "-e", "registry=" + registry.hostPort(), "-e", "archive=" + archive);

            assertEquals(2, full.exitCode(), full.toString());
            assertTrue(full.stderr().contains("1 of 1 images failed"), full.toString());
            assertTrue(full.stderr().contains("could not finish writing bundle archive " + archive + ": the disk of " + small
                    + " is full while writing the manifests and checksums of bundle archive " + archive), full.toString());
            assertTrue(full.stderr().contains("what was copied into it is kept, and the next run finishes it"), full.toString());

            assertEquals(0, run("mount", "-o", "remount,size=1m", small.toString()));
            CliRun again = runner.runYaml(work, playbook, "-e", "registry=" + registry.hostPort(), "-e", "archive=" + archive);
            assertEquals(0, again.exitCode(), again.toString());
            CliRun verified = runner.run("verify", archive.toString());
            assertEquals(0, verified.exitCode(), verified.toString());
            assertTrue(verified.stdout().contains("1 image"), verified.toString());
        } finally {
            run("umount", small.toString());
        }
    }

    @Test
    void aPullOntoAReadOnlyFileSystemSaysSoForEveryKindOfDestination() throws Exception {
        Path small = mountSmallDisk("1m");
        try (RegistryServer registry = RegistryServer.start()) {
            pushImageWithATooLargeLayer(registry);
            Files.createDirectory(small.resolve("images"));
            assertEquals(0, run("mount", "-o", "remount,ro", small.toString()));
            PlaybookRunner runner = PlaybookRunner.withModules(new ImageModule(new FastRetryTargets()));
            for (String dest : List.of("local://" + small.resolve("images"), "archive://" + small.resolve("bundle.tar"),
                    "oci-layout://" + small.resolve("images"))) {
                CliRun refused = runner.runYaml(work, """
                        - hosts: localhost
                          tasks:
                            - image:
                                manifests: ["${registry}/full/disk:1"]
                                dest: "${dest}"
                                auths: [{registry: "${registry}", plain_http: true}]
                        """, "-e", "registry=" + registry.hostPort(), "-e", "dest=" + dest);

                assertEquals(2, refused.exitCode(), refused.toString());
                // Before: "... into <dir>: java.nio.file.FileSystemException: <dir>: Read-only file system".
                assertTrue(refused.stderr().contains("is read-only; remount it read-write or choose another destination"),
                        dest + ": " + refused);
                assertTrue(refused.stderr().contains("the file system of " + small), dest + ": " + refused);
                assertFalse(refused.stderr().contains("java.nio"), dest + ": " + refused);
            }

            // The copy goes elsewhere and succeeds; the receipt asked for cannot be written, which fails the task
            // saying so, named as the file given rather than the temporary file beside it, after the copy.
            Path receipt = small.resolve("site-receipt.json");
            CliRun noReceipt = runner.runYaml(work, """
                    - hosts: localhost
                      tasks:
                        - image:
                            manifests: ["${registry}/full/disk:1"]
                            dest: "local://${dest}"
                            receipt: "${receipt}"
                            auths: [{registry: "${registry}", plain_http: true}]
                          register: pulled
                    """, "-e", "registry=" + registry.hostPort(), "-e", "dest=" + work.resolve("elsewhere"), "-e", "receipt=" + receipt);
            assertEquals(2, noReceipt.exitCode(), noReceipt.toString());
            assertTrue(noReceipt.stderr().contains("failed: copy: after the copy, cannot write the receipt " + receipt
                    + ": the file system of " + small + " is read-only"), noReceipt.toString());
            assertTrue(ImagesDirectoryChecker.check(work.resolve("elsewhere")).consistent());
            assertEquals(1, ImagesDirectoryChecker.check(work.resolve("elsewhere")).manifests());

            CliRun command = runner.run("receipt", "local://" + work.resolve("elsewhere"), receipt.toString());
            assertEquals(2, command.exitCode(), command.toString());
            assertEquals("stevedore receipt: cannot write the receipt " + receipt + ": the file system of " + small + " is read-only;"
                    + " remount it read-write or choose another destination", command.stderr().strip());
        } finally {
            run("umount", small.toString());
        }
    }

    /** A real, small file system: a tmpfs of {@code size}. Needs the right to mount; the test is skipped elsewhere. */
    private Path mountSmallDisk(String size) throws IOException, InterruptedException {
        Path small = Files.createDirectory(work.resolve("small"));
        assumeTrue(run("mount", "-t", "tmpfs", "-o", "size=" + size, "tmpfs", small.toString()) == 0, "cannot mount a tmpfs here");
        return small;
    }

    /** {@code full/disk:1}: a 200 kB layer, which fits in 1 MiB, and a 3 MB one, which does not. */
    private void pushImageWithATooLargeLayer(RegistryServer registry) throws IOException {
        Path seed = Files.createDirectory(work.resolve("seed"));
        SeedImages.Blob layer = SeedImages.random(seed, SeedImages.LAYER, 200_000, 1);
        SeedImages.Blob tooLarge = SeedImages.random(seed, SeedImages.LAYER, 3_000_000, 2);
        SeedImages.push(SeedImages.single(seed, "full/disk", "1", List.of(layer, tooLarge), 3), registry.hostPort(), null, null);
    }

    private static int count(String text, String part) {
        int count = 0;
        for (int at = text.indexOf(part); at >= 0; at = text.indexOf(part, at + 1)) {
            count++;
        }
        return count;
    }

    private static int run(String... command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            return -1;
        }
        return process.exitValue();
    }
}
