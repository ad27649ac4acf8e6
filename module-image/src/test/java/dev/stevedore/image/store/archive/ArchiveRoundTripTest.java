package dev.stevedore.image.store.archive;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stevedore.engine.testkit.CliRun;
import dev.stevedore.engine.testkit.ModuleRun;
import dev.stevedore.engine.testkit.ModuleTestKit;
import dev.stevedore.engine.testkit.PlaybookRunner;
import dev.stevedore.image.ImageModule;
import dev.stevedore.image.oci.Descriptor;
import dev.stevedore.image.oci.Manifest;
import dev.stevedore.image.reference.Digest;
import dev.stevedore.image.reference.ImageReference;
import dev.stevedore.image.registry.RegistryAuth;
import dev.stevedore.image.registry.RegistrySettings;
import dev.stevedore.image.registry.RegistryTarget;
import dev.stevedore.image.testing.TestImages;
import dev.stevedore.image.testing.TestImages.TestImage;
import dev.stevedore.testsupport.RegistryServer;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Registry to bundle archive to registry, through the module and the real CNCF registry: a pull of a
 * multi-platform image (and a single-platform one) into {@code bundle.tar} extracts with {@code tar -x} to
 * the same files and bytes as a pull into a directory (its integrity manifest included), its sums beside it
 * pass {@code sha256sum -c} and {@code stevedore verify}, and a push from the archive (given its first part,
 * when split) gives the second registry the same manifests, byte for byte, as skopeo reads them.
 */
class ArchiveRoundTripTest {

    static RegistryServer origin;
    static RegistryServer mirror;
    static final Map<String, TestImage> images = new LinkedHashMap<>();

    @TempDir
    Path work;

    @BeforeAll
    static void serveTheImages() throws IOException {
        origin = RegistryServer.start();
        mirror = RegistryServer.start();
        Random random = new Random(5);
        images.put("team/multi:1.0", TestImages.index(Map.of(
                "linux/amd64", TestImages.single("linux/amd64", text(random, 300_000), text(random, 7_000)),
                "linux/arm64", TestImages.single("linux/arm64", text(random, 200_000), text(random, 513)))));
        images.put("library/single:latest", TestImages.single("linux/amd64", text(random, 90_000)));
        RegistrySettings settings = ArchiveTargets.isolated(RegistrySettings.defaults(List.of(plain(origin))));
        try (RegistryTarget target = new RegistryTarget(settings)) {
            for (Map.Entry<String, TestImage> entry : images.entrySet()) {
                ImageReference image = ImageReference.parse(origin.hostPort() + "/" + entry.getKey());
                for (Map.Entry<Digest, byte[]> blob : entry.getValue().blobs().entrySet()) {
                    target.writeBlob(image, new Descriptor("application/octet-stream", blob.getKey(), blob.getValue().length),
                            new ByteArrayInputStream(blob.getValue()));
                }
                for (Manifest child : entry.getValue().children()) {
                    target.writeManifest(image, child);
                }
                target.tag(image, entry.getValue().root());
            }
        }
    }

    @AfterAll
    static void stop() {
        if (origin != null) {
            origin.close();
        }
        if (mirror != null) {
            mirror.close();
        }
    }

    @ParameterizedTest
    @CsvSource({"0, kubekey-v1, bundle.tar", "65536, kubekey-v1, bundle.tar", "0, kubekey-v2, bundle.tar",
            "0, kubekey-v1, bundle.tar.zst", "65536, kubekey-v2, bundle.tar.zst"})
    void aPullIntoAnArchiveExtractsToTheDirectoryAPullWritesAndItsPushGivesTheSameDigests(long maxPartSize, String layout,
            String bundle) throws Exception {
        ModuleTestKit kit = ModuleTestKit.of(new ImageModule(new ArchiveTargets()))
                .withVariable("origin", origin.hostPort()).withVariable("mirror", mirror.hostPort());
        Path directory = work.resolve("images");
        Path archive = work.resolve(bundle);
        String partsArgument = maxPartSize > 0 ? "max_part_size: " + maxPartSize : "";
        for (String dest : List.of("local://" + directory, "archive://" + archive)) {
            ModuleRun pulled = kit.runYaml("""
                    manifests: %s
                    dest: "%s"
                    layout: %s
                    auths: [{registry: "${origin}", plain_http: true}]
                    %s
                    """.formatted(references(), dest, layout, dest.startsWith("archive") ? partsArgument : ""));
            assertEquals("success", pulled.result().stdout(), pulled.result().error());
        }

        Path tar = archive;
        if (maxPartSize == 0) {
            assertTrue(Files.isRegularFile(archive), "one file");
            byte[] before = Files.readAllBytes(archive);
            ModuleRun again = kit.runYaml("""
                    manifests: %s
                    dest: "archive://%s"
                    layout: %s
                    auths: [{registry: "${origin}", plain_http: true}]
                    """.formatted(references(), archive, layout));
            assertEquals("success", again.result().stdout(), again.result().error());
            assertArrayEquals(before, Files.readAllBytes(archive), "a pull of what the archive holds leaves it as it was");
        } else {
            List<Path> parts = ArchiveStoreTest.parts(archive);
            assertTrue(parts.size() > 5, "split into parts: " + parts);
            tar = TarTool.concatenate(parts, work.resolve("joined-" + bundle));
        }
        // The integrity manifest too: the archive's member is byte for byte the one the directory pull wrote.
        Map<String, String> pulled = TarTool.tree(directory);
        assertTrue(pulled.containsKey("stevedore-bundle.json"), pulled.toString());
        assertEquals(8, pulled.keySet().stream().filter(name -> name.startsWith("blobs/sha256:")).count(), pulled.toString());
        assertEquals(pulled, TarTool.tree(TarTool.extract(tar, work.resolve("extracted"))),
                "tar -x gives the files and bytes a pull into a directory writes");
        // The sums beside the archive check every part (or the one file) with sha256sum, and stevedore verify passes.
        String sums = Files.readString(work.resolve(bundle + ".sha256"));
        assertEquals(maxPartSize > 0 ? ArchiveStoreTest.parts(archive).size() : 1, sums.lines().count(), sums);
        TarTool.sha256sumCheck(work, bundle + ".sha256");
        CliRun verified = PlaybookRunner.withDiscoveredModules().run("verify", (maxPartSize > 0 ? ArchiveStoreTest.parts(archive).get(0)
                : archive).toString());
        assertEquals(0, verified.exitCode(), verified.toString());
        assertTrue(verified.stdout().contains("all present and intact"), verified.toString());

        Path source = maxPartSize > 0 ? ArchiveStoreTest.parts(archive).get(0) : archive;
        String repositoryPrefix = (maxPartSize > 0 ? "parts-" : "whole-") + layout + (bundle.endsWith(".zst") ? "-zst" : "");
        ModuleRun pushed = kit.runYaml("""
                src: "archive://%s"
                dest: "oci://${mirror}/%s/${module.image.reference.repository}:${module.image.reference.reference}"
                auths: [{registry: "${mirror}", plain_http: true}]
                """.formatted(source, repositoryPrefix));
        assertEquals("success", pushed.result().stdout(), pushed.result().error());
        // The parts' check before the copy is a progress batch of its own, every byte of the archive counted.
        long archiveBytes = 0;
        for (Path file : maxPartSize > 0 ? ArchiveStoreTest.parts(archive) : List.of(archive)) {
            archiveBytes += Files.size(file);
        }
        String checked = maxPartSize > 0 ? "the " + ArchiveStoreTest.parts(archive).size() + " parts of " + bundle : bundle;
        int checkDone = pushed.log().indexOf("done " + checked + " against " + bundle + ".sha256: intact, " + archiveBytes + " transferred");
        int copyOpened = pushed.log().indexOf("progress copy images: " + images.size() + " items, 0 bytes");
        assertTrue(checkDone >= 0 && checkDone < copyOpened, pushed.log().toString());
        assertEquals((long) images.size(), pushed.result().data().get("images_copied"), pushed.result().data().toString());
        for (Map.Entry<String, TestImage> entry : images.entrySet()) {
            String pushedImage = mirror.hostPort() + "/" + repositoryPrefix + "/" + entry.getKey();
            assertArrayEquals(entry.getValue().root().bytes(), skopeoRaw(pushedImage), pushedImage + " is the same manifest, byte for byte");
            for (Manifest child : entry.getValue().children()) {
                String byDigest = pushedImage.substring(0, pushedImage.lastIndexOf(':')) + "@" + child.digest();
                assertArrayEquals(child.bytes(), skopeoRaw(byDigest), byDigest);
            }
        }
    }

    /** The classic form: an images_dir naming a .tar file is a bundle archive, for the pull and for the push. */
    @Test
    void aClassicImagesDirNamingATarFileIsABundleArchive() throws Exception {
        ModuleTestKit kit = ModuleTestKit.of(new ImageModule(new ArchiveTargets()))
                .withVariable("origin", origin.hostPort()).withVariable("mirror", mirror.hostPort());
        Path archive = work.resolve("classic.tar");
        ModuleRun run = kit.runYaml("""
                pull:
                  manifests: %s
                  images_dir: "%s"
                  max_part_size: 65536
                  auths: [{repo: "${origin}", plain_http: true}]
                push:
                  images_dir: "%s.part-0001"
                  dest: "${mirror}/classic/${module.image.src.reference.repository}:${module.image.src.reference.reference}"
                  auths: [{repo: "${mirror}", plain_http: true}]
                """.formatted(references(), archive, archive));
        assertEquals("success", run.result().stdout(), run.result().error());
        assertFalse(Files.exists(archive), "written in parts, not as one file");
        assertTrue(ArchiveStoreTest.parts(archive).size() > 5, ArchiveStoreTest.parts(archive).toString());
        for (Map.Entry<String, TestImage> entry : images.entrySet()) {
            String pushedImage = mirror.hostPort() + "/classic/" + entry.getKey();
            assertArrayEquals(entry.getValue().root().bytes(), skopeoRaw(pushedImage), pushedImage);
        }
    }

    @Test
    void checkModeWritesNoArchive() {
        Path archive = work.resolve("checked/bundle.tar");
        ModuleRun run = ModuleTestKit.of(new ImageModule(new ArchiveTargets())).inCheckMode()
                .withVariable("origin", origin.hostPort()).runYaml("""
                        manifests: %s
                        dest: "archive://%s"
                        max_part_size: 65536
                        auths: [{registry: "${origin}", plain_http: true}]
                        """.formatted(references(), archive));
        assertEquals("success", run.result().stdout(), run.result().error());
        assertEquals(true, run.result().changed(), "a real run would write the bundle");
        assertFalse(Files.exists(archive.getParent()), "nothing is created, not even the folder");
    }

    @Test
    void maxPartSizeWithoutAnArchiveIsAnArgumentError() {
        ModuleRun run = ModuleTestKit.of(new ImageModule(new ArchiveTargets())).runYaml("""
                manifests: ["%s/x/y:1"]
                dest: "local://%s"
                max_part_size: 4G
                """.formatted(origin.hostPort(), work.resolve("dir")));
        assertTrue(run.failed(), run.toString());
        assertTrue(run.result().error().contains("image.max_part_size applies to a bundle archive"), run.result().error());
        assertFalse(Files.exists(work.resolve("dir")));
    }

    private static byte[] skopeoRaw(String image) throws Exception {
        Process skopeo = new ProcessBuilder("skopeo", "inspect", "--raw", "--tls-verify=false", "docker://" + image)
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        byte[] out = skopeo.getInputStream().readAllBytes();
        assertTrue(skopeo.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, skopeo.exitValue(), "skopeo inspect " + image);
        return out;
    }

    private static String references() {
        return images.keySet().stream().map(name -> "\"${origin}/" + name + "\"").toList().toString();
    }

    private static RegistryAuth plain(RegistryServer registry) {
        return RegistryAuth.of(registry.hostPort()).withPlainHttp(true);
    }

    /** Incompressible-looking text of {@code size} characters: a layer big enough to cross parts. */
    private static String text(Random random, int size) {
        StringBuilder out = new StringBuilder(size);
        for (int i = 0; i < size; i++) {
            out.append((char) ('a' + random.nextInt(26)));
        }
        return out.toString();
    }
}
