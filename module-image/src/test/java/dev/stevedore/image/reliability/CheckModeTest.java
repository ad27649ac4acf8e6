package dev.stevedore.image.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stevedore.engine.testkit.ModuleRun;
import dev.stevedore.engine.testkit.ModuleTestKit;
import dev.stevedore.image.ImageModule;
import dev.stevedore.testsupport.FaultProxy;
import dev.stevedore.testsupport.HarborFront;
import dev.stevedore.testsupport.RecordedRequest;
import dev.stevedore.testsupport.RegistryServer;
import dev.stevedore.testsupport.TokenServer;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Given the real registry with token auth holding the three sample images, when the {@code image} module
 * runs in check mode ({@code stevedore run --check}):
 * <ul>
 *   <li>a pull into a KubeKey directory or an OCI layout leaves the file tree exactly as it was (the directory is not even
 *       created), lists one {@code source=destination} line per image with the source pinned to its digest,
 *       and forecasts the blobs and bytes the real pull then copies;</li>
 *   <li>a push sends the registry, as a recording proxy in front of it sees, only GET and HEAD requests,
 *       and forecasts what the real push then does, mounts included;</li>
 *   <li>{@code changed} is true while a real run would copy something and false once everything is there;</li>
 *   <li>a push with {@code create_project} into a Harbor does not create the missing project, and
 *       forecasts the real push, which creates it, as if it were there and empty.</li>
 * </ul>
 */
class CheckModeTest {

    private static final Path SAMPLES = Path.of("..", "src", "demo", "sample-images").toAbsolutePath().normalize();
    private static final List<String> IMAGES = List.of("library/hello:1.0", "library/static:1.0", "tools/toolbox:2.1");
    private static final String USER = "checker";
    private static final String PASSWORD = "check-pw-7a1c";
    private static final ImageModule MODULE = new ImageModule(new IsolatedTargets(Map.of("HOME", "/nonexistent", "PATH", "/usr/bin:/bin")));
    private static final Set<String> READS = Set.of("GET", "HEAD");

    static TokenServer tokens;
    static RegistryServer registry;

    @TempDir
    Path work;

    @BeforeAll
    static void startTheRegistryWithTheSamples() throws IOException {
        tokens = TokenServer.builder().user(USER, PASSWORD).start();
        registry = RegistryServer.builder().tokenAuth(tokens).start();
        ModuleRun pushed = kit(registry.hostPort()).runYaml("""
                src: "local://${samples}"
                dest: "oci://${registry}/src/${module.image.reference.repository}:${module.image.reference.reference}"
                auths: [{registry: "${registry}", username: "${user}", password: "${password}", plain_http: true}]
                """);
        assertEquals("success", pushed.result().stdout(), pushed.result().error());
    }

    @AfterAll
    static void stop() {
        registry.close();
        tokens.close();
    }

    private static ModuleTestKit kit(String registryHost) {
        return ModuleTestKit.of(MODULE).withVariables(Map.of("samples", SAMPLES.toString(), "registry", registryHost,
                "user", USER, "password", PASSWORD));
    }

    private ModuleRun pull(boolean check, String scheme, Path bundle) {
        ModuleTestKit kit = kit(registry.hostPort()).withVariable("bundle", scheme + bundle)
                .withVariable("images", IMAGES.stream().map(image -> registry.hostPort() + "/src/" + image).toList());
        return (check ? kit.inCheckMode() : kit).runYaml("""
                manifests: "${images}"
                dest: "${bundle}"
                auths: [{registry: "${registry}", username: "${user}", password: "${password}", plain_http: true}]
                """);
    }

    @Test
    void theImageModuleSupportsCheckMode() {
        assertTrue(MODULE.supportsCheckMode());
    }

    @ParameterizedTest(name = "into {0}")
    @ValueSource(strings = {"local://", "oci-layout://"})
    void aCheckedPullWritesNothingListsTheMappingAndForecastsTheRealPull(String scheme) throws IOException {
        Path bundle = work.resolve("bundle");
        Map<String, String> before = tree(work);

        ModuleRun checked = pull(true, scheme, bundle);

        assertEquals("success", checked.result().stdout(), checked.result().error());
        assertEquals(before, tree(work), "a check run changed the file tree");
        assertFalse(Files.exists(bundle), "a check run created the destination directory");
        assertTrue(checked.result().changed(), "a real pull would copy the images");
        assertEquals(true, checked.registered().get("check"));
        List<?> mapping = (List<?>) checked.registered().get("mapping");
        assertEquals(3, mapping.size(), mapping.toString());
        List<Map<?, ?>> images = images(checked);
        for (int i = 0; i < IMAGES.size(); i++) {
            String source = "oci://" + registry.hostPort() + "/src/" + IMAGES.get(i) + "@" + images.get(i).get("digest");
            String destination = scheme + bundle + "#" + registry.hostPort() + "/src/" + IMAGES.get(i);
            assertEquals(source + "=" + destination, mapping.get(i));
            assertTrue(checked.log().contains("output: " + source + "=" + destination), checked.log().toString());
            assertEquals("copy", images.get(i).get("action"));
        }
        assertTrue(checked.result().stderr().startsWith("check mode: 3 images: 3 to copy; blobs: "), checked.result().stderr());

        ModuleRun real = pull(false, scheme, bundle);

        assertEquals("success", real.result().stdout(), real.result().error());
        for (String total : List.of("images_copied", "images_unchanged", "blobs_copied", "blobs_skipped", "blobs_mounted", "bytes")) {
            assertEquals(real.registered().get(total), checked.registered().get(total), total + " was forecast wrongly");
        }
        assertTrue((Long) real.registered().get("bytes") > 0);
        List<Map<?, ?>> pulled = images(real);
        for (int i = 0; i < IMAGES.size(); i++) {
            assertEquals(pulled.get(i).get("digest"), images.get(i).get("digest"));
        }
    }

    @ParameterizedTest(name = "into {0}")
    @ValueSource(strings = {"local://", "oci-layout://"})
    void aCheckedPullOfWhatIsThereIsUnchangedAndLeavesTheTreeAlone(String scheme) throws IOException {
        Path bundle = work.resolve("bundle");
        assertEquals("success", pull(false, scheme, bundle).result().stdout());
        Map<String, String> before = tree(work);

        ModuleRun checked = pull(true, scheme, bundle);

        assertEquals("success", checked.result().stdout(), checked.result().error());
        assertFalse(checked.result().changed(), "everything is there: a real run would change nothing");
        assertEquals(before, tree(work), "a check run changed the file tree");
        assertEquals(3L, checked.registered().get("images_unchanged"));
        assertEquals(0L, checked.registered().get("bytes"));
        assertTrue(images(checked).stream().allMatch(image -> image.get("action").equals("up_to_date")), checked.registered().toString());
        assertEquals(3, ((List<?>) checked.registered().get("mapping")).size(), "up-to-date images are in the mapping too");
    }

    @Test
    void aCheckedPushSendsTheRegistryOnlyReadsAndForecastsTheRealPush() throws IOException {
        try (FaultProxy proxy = FaultProxy.start(registry.baseUri())) {
            ModuleTestKit kit = kit(proxy.hostPort());
            String push = """
                    src: "local://${samples}"
                    dest: "oci://${registry}/site/${module.image.reference.repository}:${module.image.reference.reference}"
                    auths: [{registry: "${registry}", username: "${user}", password: "${password}", plain_http: true}]
                    """;

            ModuleRun checked = kit.inCheckMode().runYaml(push);

            assertEquals("success", checked.result().stdout(), checked.result().error());
            assertTrue(checked.result().changed());
            assertOnlyReads(proxy.requests());
            assertTrue(proxy.requests().stream().anyMatch(r -> r.method().equals("HEAD") && r.path().contains("/site/")),
                    "the destination was read: " + proxy.requests());
            List<?> mapping = (List<?>) checked.registered().get("mapping");
            assertEquals(3, mapping.size());
            assertTrue(mapping.get(0).toString().startsWith("local://" + SAMPLES + "#demo.local/library/hello:1.0@sha256:"), mapping.toString());
            assertTrue(mapping.get(0).toString().endsWith("=oci://" + proxy.hostPort() + "/site/library/hello:1.0"), mapping.toString());

            ModuleRun real = kit.runYaml(push);

            assertEquals("success", real.result().stdout(), real.result().error());
            assertTrue(proxy.requests().stream().anyMatch(r -> !READS.contains(r.method())), "the real push wrote: the proxy records writes");
            for (String total : List.of("images_copied", "blobs_copied", "blobs_skipped", "blobs_mounted", "bytes")) {
                assertEquals(real.registered().get(total), checked.registered().get(total), total + " was forecast wrongly");
            }

            int after = proxy.requests().size();
            ModuleRun again = kit.inCheckMode().runYaml(push);

            assertEquals("success", again.result().stdout(), again.result().error());
            assertFalse(again.result().changed(), "the registry has everything: a real push would change nothing");
            assertEquals(3L, again.registered().get("images_unchanged"));
            assertOnlyReads(proxy.requests().subList(after, proxy.requests().size()));
        }
    }

    @Test
    void aCheckedPushWithCreateProjectLeavesAMissingHarborProjectMissing() throws IOException {
        try (RegistryServer basic = RegistryServer.builder().basicAuth(USER, PASSWORD).start();
             HarborFront harbor = HarborFront.start(basic.baseUri(), USER, PASSWORD)) {
            String push = """
                    src: "local://${samples}"
                    dest: "oci://${registry}/bundle/${module.image.reference.repository}:${module.image.reference.reference}"
                    auths: [{registry: "${registry}", username: "${user}", password: "${password}", plain_http: true}]
                    create_project: true
                    """;
            ModuleRun checked = kit(harbor.hostPort()).inCheckMode().runYaml(push);

            assertFalse(harbor.projects().contains("bundle"), "a check run created a Harbor project");
            assertTrue(harbor.exchanges().stream().allMatch(e -> READS.contains(e.method())), harbor.exchanges().toString());
            assertEquals("success", checked.result().stdout(), checked.result().error());
            assertTrue(checked.result().changed(), "a real push would create the project and copy the images");
            assertEquals(3L, checked.registered().get("images_copied"));

            ModuleRun real = kit(harbor.hostPort()).runYaml(push);

            assertEquals("success", real.result().stdout(), real.result().error());
            assertTrue(harbor.projects().contains("bundle"), "the real run creates the project");
            for (String total : List.of("images_copied", "blobs_copied", "blobs_skipped", "blobs_mounted", "bytes")) {
                assertEquals(real.registered().get(total), checked.registered().get(total), total + " was forecast wrongly");
            }
        }
    }

    @Test
    void aClassicPullAndPushIsForecastForThePullAndWarnsThatThePushWaitsForIt() throws IOException {
        Path bundle = work.resolve("images");
        Map<String, String> before = tree(work);

        ModuleRun checked = kit(registry.hostPort()).withVariable("dir", bundle.toString()).inCheckMode().runYaml("""
                pull:
                  images_dir: "${dir}"
                  manifests: ["${registry}/src/library/hello:1.0"]
                  auths: [{repo: "${registry}", username: "${user}", password: "${password}", plain_http: true}]
                push:
                  images_dir: "${dir}"
                  dest: "${registry}/site-classic/${module.image.src.reference.repository}:${module.image.src.reference.reference}"
                  auths: [{repo: "${registry}", username: "${user}", password: "${password}", plain_http: true}]
                """);

        assertEquals("success", checked.result().stdout(), checked.result().error());
        assertTrue(checked.result().changed());
        assertEquals(before, tree(work));
        assertEquals(1, ((List<?>) checked.registered().get("mapping")).size(), checked.registered().toString());
        assertTrue(checked.log().stream().anyMatch(line -> line.startsWith("warn: push: ")
                && line.endsWith("check mode cannot forecast the push before the pull has filled the images directory")), checked.log().toString());
    }

    private static void assertOnlyReads(List<RecordedRequest> requests) {
        List<RecordedRequest> writes = requests.stream().filter(r -> !READS.contains(r.method())).toList();
        assertEquals(List.of(), writes, "a check run sent writes to the registry");
        assertFalse(requests.isEmpty());
    }

    @SuppressWarnings("unchecked")
    private static List<Map<?, ?>> images(ModuleRun run) {
        return (List<Map<?, ?>>) run.registered().get("images");
    }

    /** Every path under {@code root} with its kind, size, modification time and content digest. */
    private static Map<String, String> tree(Path root) throws IOException {
        Map<String, String> entries = new TreeMap<>();
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : paths.toList()) {
                String what = Files.isDirectory(path) ? "dir" : "file " + Files.size(path) + " " + sha256(path);
                entries.put(root.relativize(path).toString(), what + " " + Files.getLastModifiedTime(path));
            }
        }
        return entries;
    }

    private static String sha256(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            byte[] buffer = new byte[64 * 1024];
            for (int n; (n = in.read(buffer)) > 0; ) {
                digest.update(buffer, 0, n);
            }
            return HexFormat.of().formatHex(digest.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
