package dev.stevedore.image.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
 * room. Needs the right to mount (root with CAP_SYS_ADMIN, as in CI); skipped elsewhere. The store-level
 * counterpart is {@code store.DiskFullTest}.
 */
class DiskFullPlaybookTest {

    @TempDir
    Path work;

    @Test
    void aPullIntoAFullDiskSaysSoNamesTheDirectoryAndLeavesNoPartialFile() throws Exception {
        Path small = Files.createDirectory(work.resolve("small"));
        assumeTrue(run("mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", small.toString()) == 0, "cannot mount a tmpfs here");
        try (RegistryServer registry = RegistryServer.start()) {
            Path seed = Files.createDirectory(work.resolve("seed"));
            SeedImages.Blob layer = SeedImages.random(seed, SeedImages.LAYER, 200_000, 1);
            SeedImages.Blob tooLarge = SeedImages.random(seed, SeedImages.LAYER, 3_000_000, 2);
            SeedImages.push(SeedImages.single(seed, "full/disk", "1", List.of(layer, tooLarge), 3), registry.hostPort(), null, null);
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

    private static int run(String... command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            return -1;
        }
        return process.exitValue();
    }
}
