package dev.stevedore.image.store.archive;

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
import dev.stevedore.image.target.ArchiveFileNames;
import dev.stevedore.image.testing.TestImages;
import dev.stevedore.image.testing.TestImages.TestImage;
import dev.stevedore.testsupport.FaultProxy;
import dev.stevedore.testsupport.RecordedRequest;
import dev.stevedore.testsupport.RegistryServer;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A bundle archive's integrity, against the real CNCF registry: a split archive pulled through the module has
 * {@code bundle.tar.sha256} beside its parts; one byte flipped in part 2, or part 2 missing, makes
 * {@code stevedore verify} name that part first (exit 2), and makes a push from the archive fail naming it
 * before any request that writes reaches the registry (a recording proxy stands in front of it).
 */
class ArchiveIntegrityTest {

    /** The bundle's file name; {@link ZstdArchiveIntegrityTest} runs every test on a {@code .tar.zst}. */
    String bundle() {
        return "bundle.tar";
    }

    private static final long PART_SIZE = 65_536;

    static RegistryServer origin;
    static RegistryServer mirror;
    static TestImage image;

    @TempDir
    Path work;
    Path archive;
    ModuleTestKit kit;

    @BeforeAll
    static void serveTheImage() throws IOException {
        origin = RegistryServer.start();
        mirror = RegistryServer.start();
        Random random = new Random(11);
        // Letters compress to about 0.6 of their size: a .tar.zst of these still has four parts at least.
        image = TestImages.single("linux/amd64", text(random, 400_000), text(random, 90_000));
        RegistrySettings settings = ArchiveTargets.isolated(RegistrySettings.defaults(
                List.of(RegistryAuth.of(origin.hostPort()).withPlainHttp(true))));
        try (RegistryTarget target = new RegistryTarget(settings)) {
            ImageReference reference = ImageReference.parse(origin.hostPort() + "/team/app:1.0");
            for (Map.Entry<Digest, byte[]> blob : image.blobs().entrySet()) {
                target.writeBlob(reference, new Descriptor("application/octet-stream", blob.getKey(), blob.getValue().length),
                        new ByteArrayInputStream(blob.getValue()));
            }
            target.tag(reference, image.root());
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

    @BeforeEach
    void pullIntoParts() throws IOException {
        archive = work.resolve(bundle());
        kit = ModuleTestKit.of(new ImageModule(new ArchiveTargets())).withVariable("origin", origin.hostPort());
        ModuleRun pulled = kit.runYaml("""
                manifests: ["${origin}/team/app:1.0"]
                dest: "archive://%s"
                max_part_size: %d
                auths: [{registry: "${origin}", plain_http: true}]
                """.formatted(archive, PART_SIZE));
        assertEquals("success", pulled.result().stdout(), pulled.result().error());
        assertTrue(ArchiveStoreTest.parts(archive).size() >= 4, ArchiveStoreTest.parts(archive).toString());
    }

    @Test
    void anIntactArchiveVerifiesAndItsVerifyTaskSucceeds() throws IOException {
        CliRun run = verify(part(1));
        assertEquals(0, run.exitCode(), run.toString());
        assertTrue(run.stdout().contains("note: " + ArchiveStoreTest.parts(archive).size() + " files of the archive hashed against"
                + " " + bundle() + ".sha256"), run.toString());
        ModuleRun task = kit.runYaml("verify: \"archive://%s\"".formatted(archive));
        assertFalse(task.failed(), task.toString());
        assertEquals(true, task.result().data().get("intact"), task.result().data().toString());
    }

    @Test
    void aByteFlippedInPartTwoIsNamedByVerifyAndFailsThePushBeforeAnythingIsWritten() throws Exception {
        try (FileChannel channel = FileChannel.open(part(2), StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            ByteBuffer one = ByteBuffer.allocate(1);
            channel.read(one, 1000);
            one.put(0, (byte) (one.get(0) ^ 0x01)).rewind();
            channel.write(one, 1000);
        }
        CliRun run = verify(archive);
        assertEquals(2, run.exitCode(), run.toString());
        assertTrue(run.stdoutLines().get(0).startsWith(bundle() + ".part-0002: corrupt (sha256 is "), run.toString());

        ModuleRun task = kit.runYaml("verify: \"archive://%s\"".formatted(part(1)));
        assertTrue(task.failed(), task.toString());
        assertTrue(task.result().error().contains(bundle() + ".part-0002: corrupt"), task.result().error());

        pushFailsNaming("part " + bundle() + ".part-0002 of bundle archive", "is corrupt");
    }

    @Test
    void aMissingMiddlePartIsNamedByVerifyAndFailsThePushBeforeAnythingIsWritten() throws Exception {
        Files.delete(part(2));
        CliRun run = verify(part(1));
        assertEquals(2, run.exitCode(), run.toString());
        assertEquals(bundle() + ".part-0002: missing (listed in " + bundle() + ".sha256)", run.stdoutLines().get(0), run.toString());

        pushFailsNaming("part " + bundle() + ".part-0002 of the bundle", "is missing");
    }

    @Test
    void aMissingLastPartIsNamedByVerifyAndFailsThePushBeforeAnythingIsWritten() throws Exception {
        int last = ArchiveStoreTest.parts(archive).size();
        String name = part(last).getFileName().toString();
        Files.delete(part(last));
        CliRun run = verify(part(1));
        assertEquals(2, run.exitCode(), run.toString());
        assertEquals(name + ": missing (listed in " + bundle() + ".sha256)", run.stdoutLines().get(0), run.toString());
        // The integrity manifest is the last member: it is behind the cut, which is not a bundle without one.
        assertTrue(run.stdoutLines().get(1).startsWith(part(1).getFileName() + ": cut off ("), run.toString());
        assertTrue(run.stdoutLines().get(1).endsWith("a part is missing or corrupt, or the write did not finish"), run.toString());
        assertTrue(run.stdoutLines().contains("note: stevedore-bundle.json not reached before the cut: the members before it"
                + " were checked against their own manifests only"), run.toString());
        assertFalse(run.stdout().contains("did not pull into"), run.toString());

        pushFailsNaming("part " + name + " of bundle archive", "missing");
    }

    @Test
    void anArchiveWithoutItsSumsIsPushedWithAWarningThatItsPartsWereNotChecked() throws Exception {
        Files.delete(archive.resolveSibling(bundle() + ".sha256"));
        ModuleRun pushed = kit.withVariable("mirror", mirror.hostPort()).runYaml("""
                src: "archive://%s"
                dest: "oci://${mirror}/unchecked/${module.image.reference.repository}:${module.image.reference.reference}"
                auths: [{registry: "${mirror}", plain_http: true}]
                """.formatted(part(1)));
        assertEquals("success", pushed.result().stdout(), pushed.result().error());
        assertTrue(pushed.logContains("has no " + bundle() + ".sha256 beside it (an archive made by tar, or one whose pull did not finish):"
                + " its parts were not checked before reading"), pushed.log().toString());
        assertTrue(pushed.logContains("`sha256sum " + bundle() + " > " + bundle() + ".sha256`"), pushed.log().toString());

        ModuleRun checked = kit.withVariable("mirror", mirror.hostPort()).runYaml("""
                src: "archive://%s"
                dest: "oci://${mirror}/checked/${module.image.reference.repository}:${module.image.reference.reference}"
                auths: [{registry: "${mirror}", plain_http: true}]
                """.formatted(part(1)));
        assertTrue(checked.logContains("its parts were not checked"), "said again for each copy that reads the archive");
    }

    @Test
    void anArchiveWithItsSumsIsPushedWithoutThatWarning() {
        ModuleRun pushed = kit.withVariable("mirror", mirror.hostPort()).runYaml("""
                src: "archive://%s"
                dest: "oci://${mirror}/summed/${module.image.reference.repository}:${module.image.reference.reference}"
                auths: [{registry: "${mirror}", plain_http: true}]
                """.formatted(part(1)));
        assertEquals("success", pushed.result().stdout(), pushed.result().error());
        assertFalse(pushed.logContains("were not checked"), pushed.log().toString());
    }

    /** A push from the archive into a registry behind a recording proxy fails so, and no write request reaches it. */
    private void pushFailsNaming(String part, String what) throws Exception {
        try (FaultProxy proxy = FaultProxy.start(mirror.baseUri())) {
            ModuleRun pushed = kit.withVariable("mirror", proxy.hostPort()).runYaml("""
                    src: "archive://%s"
                    dest: "oci://${mirror}/copy/${module.image.reference.repository}:${module.image.reference.reference}"
                    auths: [{registry: "${mirror}", plain_http: true}]
                    """.formatted(part(1)));
            assertTrue(pushed.failed(), pushed.toString());
            String error = pushed.result().error();
            assertTrue(error.contains(part) && error.contains(what), error);
            assertTrue(error.contains("copy the missing part") || error.contains("copy the part again"), error);
            List<RecordedRequest> writes = proxy.requests().stream().filter(r -> !r.method().equals("GET") && !r.method().equals("HEAD"))
                    .toList();
            assertEquals(List.of(), writes, "nothing was written to the registry");
            assertTrue(proxy.requests().stream().noneMatch(r -> r.path().contains("/manifests/")), proxy.requests().toString());
        }
    }

    private Path part(int number) {
        return ArchiveFileNames.part(archive, number);
    }

    private static CliRun verify(Path bundle) {
        return PlaybookRunner.withDiscoveredModules().run("verify", bundle.toString());
    }

    private static String text(Random random, int size) {
        StringBuilder out = new StringBuilder(size);
        for (int i = 0; i < size; i++) {
            out.append((char) ('a' + random.nextInt(26)));
        }
        return out.toString();
    }
}
