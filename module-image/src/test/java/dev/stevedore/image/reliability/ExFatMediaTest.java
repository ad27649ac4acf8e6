package dev.stevedore.image.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.stevedore.engine.testkit.CliRun;
import dev.stevedore.engine.testkit.PlaybookRunner;
import dev.stevedore.image.ImageModule;
import dev.stevedore.testsupport.Programs;
import dev.stevedore.testsupport.RegistryServer;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A pull onto a real exFAT file system, as USB sticks carried across an air gap are often formatted: a 32 MiB
 * image made by {@code mkfs.exfat}, on a loop device, mounted by the FUSE exFAT driver. exFAT, like FAT32,
 * refuses {@code :} in a file name, which a KubeKey images directory needs; a bundle archive has no such name.
 * Needs root, a free loop device and {@code /dev/fuse}; skipped where they are not (the programs are required
 * under {@code ./test}).
 */
class ExFatMediaTest {

    @TempDir
    Path work;

    private Path stick;
    private String loopDevice;

    @BeforeEach
    void mountAnExFatStick() throws Exception {
        Path image = work.resolve("stick.img");
        try (RandomAccessFile file = new RandomAccessFile(image.toFile(), "rw")) {
            file.setLength(32L * 1024 * 1024);
        }
        assertEquals(0, run(Programs.require("mkfs.exfat"), image.toString()).exit());
        Ran loop = run(Programs.require("losetup"), "--find", "--show", image.toString());
        assumeTrue(loop.exit() == 0, "no loop device here: " + loop.output());
        loopDevice = loop.output().strip();
        stick = Files.createDirectory(work.resolve("stick"));
        Ran mounted = run(Programs.require("mount.exfat-fuse"), loopDevice, stick.toString());
        assumeTrue(mounted.exit() == 0, "cannot mount a FUSE file system here: " + mounted.output());
    }

    @AfterEach
    void unmount() throws Exception {
        if (stick != null) {
            run("umount", stick.toString());
        }
        if (loopDevice != null) {
            run("losetup", "-d", loopDevice);
        }
    }

    @Test
    void aPullIntoAnImagesDirectoryOnExFatFailsNamingTheCauseAndABundleArchiveThereWorks() throws Exception {
        try (RegistryServer registry = RegistryServer.start()) {
            Path seed = Files.createDirectory(work.resolve("seed"));
            SeedImages.Blob layer = SeedImages.random(seed, SeedImages.LAYER, 300_000, 1);
            SeedImages.push(SeedImages.single(seed, "usb/stick", "1", List.of(layer), 2), registry.hostPort(), null, null);
            PlaybookRunner runner = PlaybookRunner.withModules(new ImageModule(new FastRetryTargets()));
            String playbook = """
                    - hosts: localhost
                      tasks:
                        - image:
                            manifests: ["${registry}/usb/stick:1"]
                            dest: "${dest}"
                            auths: [{registry: "${registry}", plain_http: true}]
                    """;

            Path images = stick.resolve("images");
            CliRun directory = runner.runYaml(work, playbook, "-e", "registry=" + registry.hostPort(), "-e", "dest=local://" + images);

            assertEquals(2, directory.exitCode(), directory.toString());
            assertTrue(directory.stderr().contains("KubeKey images directory " + images + ": its file system refuses ':' in a"
                    + " file name, which the directory's names need (blobs/sha256:<hex>, a registry's host:port folder); FAT32"
                    + " and exFAT, as USB sticks often are, refuse it. Pull into a bundle archive there instead (archive://"
                    + stick.resolve("bundle.tar") + ", with max_part_size: 4095M on FAT32)"), directory.toString());
            assertTrue(!directory.stderr().contains("NoSuchFileException") && !directory.stderr().contains(".tmp-"),
                    "was: java.nio.file.NoSuchFileException naming a temporary file: " + directory);
            try (Stream<Path> left = Files.walk(images)) {
                assertEquals(List.of(), left.filter(Files::isRegularFile)
                        .filter(file -> file.getFileName().toString().startsWith(".tmp-")).toList(), "the name check leaves no file");
            }

            Path archive = stick.resolve("bundle.tar");
            CliRun bundle = runner.runYaml(work, playbook, "-e", "registry=" + registry.hostPort(), "-e", "dest=archive://" + archive);
            assertEquals(0, bundle.exitCode(), bundle.toString());
            CliRun verified = runner.run("verify", archive.toString());
            assertEquals(0, verified.exitCode(), verified.toString());
            assertTrue(verified.stdout().contains("1 image"), verified.toString());
        }
    }

    private record Ran(int exit, String output) {
    }

    private static Ran run(String... command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            return new Ran(-1, String.join(" ", command) + " did not finish in 30 s");
        }
        return new Ran(process.exitValue(), new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
    }
}
