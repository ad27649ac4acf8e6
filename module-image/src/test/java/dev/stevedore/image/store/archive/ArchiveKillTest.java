package dev.stevedore.image.store.archive;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stevedore.engine.testkit.ModuleRun;
import dev.stevedore.engine.testkit.ModuleTestKit;
import dev.stevedore.image.ImageModule;
import dev.stevedore.image.oci.Descriptor;
import dev.stevedore.image.oci.Manifest;
import dev.stevedore.image.oci.MediaTypes;
import dev.stevedore.image.reference.Digest;
import dev.stevedore.image.reference.ImageReference;
import dev.stevedore.image.registry.RegistryAuth;
import dev.stevedore.image.registry.RegistrySettings;
import dev.stevedore.image.registry.RegistryTarget;
import dev.stevedore.testsupport.FaultProxy;
import dev.stevedore.testsupport.RecordedRequest;
import dev.stevedore.testsupport.RegistryServer;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * An archive write killed with SIGKILL, for a {@code .tar} and a {@code .tar.zst}: the pull runs in a JVM of its own
 * and is killed while the large layer is streaming into its member (its region in place, in either form: a
 * {@code .tar.zst} stores an incompressible layer's frame; the proxy stalls that layer part-way, so the kill lands
 * mid-blob whatever the machine's speed). What
 * the kill left is a valid prefix with nothing wrong under a final name; the re-run completes the archive without
 * fetching the blobs that were complete again, leaves no staged frame behind, and {@code tar -x} of it gives what a
 * pull into a directory writes.
 */
@Tag("slow")
class ArchiveKillTest {

    private static final int LARGE = 24 << 20;
    private static final long STALL_AT = 8L << 20;

    @TempDir
    Path work;

    @ParameterizedTest
    @ValueSource(strings = {"bundle.tar", "bundle.tar.zst"})
    void anArchiveWriteKilledMidBlobLeavesNothingWrongAndTheRerunFetchesOnlyTheCutBlob(String bundle) throws Exception {
        try (RegistryServer registry = RegistryServer.start(); FaultProxy proxy = FaultProxy.start(registry.baseUri())) {
            Random random = new Random(3);
            Map<Digest, byte[]> blobs = new LinkedHashMap<>();
            byte[] config = "{\"architecture\":\"amd64\",\"os\":\"linux\",\"rootfs\":{\"type\":\"layers\"}}".getBytes(StandardCharsets.UTF_8);
            blobs.put(Digest.sha256Of(config), config);
            for (int size : new int[] {300_000, LARGE, 1_000_000}) {
                byte[] layer = new byte[size];
                random.nextBytes(layer);
                blobs.put(Digest.sha256Of(layer), layer);
            }
            Digest large = new ArrayList<>(blobs.keySet()).get(2);
            Manifest manifest = manifest(blobs);
            seed(registry, blobs, manifest);

            // Every attempt at the large layer stalls, so a retry after the client's read timeout cannot finish
            // the pull before it is killed, however slow a loaded machine makes the rest.
            proxy.on("GET", "/v2/.+/blobs/" + large).always().stallBodyAfter(STALL_AT, Duration.ofSeconds(60));
            Path archive = work.resolve(bundle);
            Process first = pull(proxy, archive, work.resolve("first.log"));
            awaitCompleteBlobsAndTheCutOne(archive, blobs.size() - 1, first, work.resolve("first.log"));
            first.destroyForcibly().waitFor(10, TimeUnit.SECONDS); // SIGKILL on Linux: no shutdown hook, no close

            try (SplitFile file = SplitFile.open(archive, 0); ArchiveBody body = ArchiveBody.open(file, Clock.systemUTC())) {
                ArchiveScan afterKill = body.scan();
                int complete = 0;
                for (ArchiveMember member : afterKill.members()) {
                    Digest digest = BlobMemberWriter.digestOf(member);
                    assertFalse(member.name().contains("manifests"), "no manifest before close: " + member);
                    if (digest != null) {
                        assertEquals(digest, sha256(body.content(member, 0, "")), "what stands under a final name is right");
                        assertTrue(!digest.equals(large), "the cut layer is not under its final name");
                        complete++;
                    }
                }
                assertEquals(blobs.size() - 1, complete, afterKill.toString());
            }

            proxy.clearFaults();
            int before = proxy.requests().size();
            Process second = pull(proxy, archive, work.resolve("second.log"));
            assertTrue(second.waitFor(120, TimeUnit.SECONDS), "the re-run finished");
            assertEquals(0, second.exitValue(), Files.readString(work.resolve("second.log")));
            List<RecordedRequest> rerun = proxy.requests().subList(before, proxy.requests().size());
            for (Digest digest : blobs.keySet()) {
                long gets = rerun.stream().filter(r -> r.method().equals("GET") && r.path().endsWith("/blobs/" + digest)).count();
                assertEquals(digest.equals(large) ? 1 : 0, gets, "GETs of " + digest + " in the re-run: " + rerun);
            }

            Path directory = work.resolve("images");
            ModuleRun pulled = ModuleTestKit.of(new ImageModule(new ArchiveTargets())).withVariable("registry", registry.hostPort())
                    .runYaml("""
                            manifests: ["${registry}/crash/big:1"]
                            dest: "local://%s"
                            auths: [{registry: "${registry}", plain_http: true}]
                            """.formatted(directory));
            assertEquals("success", pulled.result().stdout(), pulled.result().error());
            Map<String, String> extracted = TarTool.tree(TarTool.extract(archive, work.resolve("extracted")));
            // The directory names the registry as the pull reached it; the archive was pulled through the proxy.
            Map<String, String> pulledTree = TarTool.tree(directory);
            // The integrity manifest names the images as each pull reached them: compared with the registry renamed.
            pulledTree.keySet().removeIf(name -> name.equals("stevedore-bundle.json"));
            assertEquals(Files.readString(directory.resolve("stevedore-bundle.json")).replace(registry.hostPort(), proxy.hostPort()),
                    Files.readString(work.resolve("extracted/stevedore-bundle.json")), "the integrity manifest a directory pull writes");
            extracted.keySet().removeIf(name -> name.equals("stevedore-bundle.json"));
            assertEquals(rename(pulledTree, registry.hostPort(), proxy.hostPort()), extracted,
                    "tar -x gives what a pull into a directory writes, with no temporary member left");
            TarTool.sha256sumCheck(work, bundle + ".sha256");
            assertEquals(List.of(), staged(archive), "no staged frame is left");
        }
    }

    /** The frames a {@code .tar.zst}'s writers staged beside it and had not appended yet. */
    private static List<Path> staged(Path archive) throws Exception {
        try (var beside = Files.list(archive.getParent())) {
            return beside.filter(p -> p.getFileName().toString().startsWith(".tmp-" + archive.getFileName() + "-frame-")).toList();
        }
    }

    private static Map<String, String> rename(Map<String, String> tree, String from, String to) {
        Map<String, String> out = new java.util.TreeMap<>();
        tree.forEach((name, hash) -> out.put(name.replace(from, to), hash));
        return out;
    }

    private Process pull(FaultProxy proxy, Path archive, Path log) throws Exception {
        List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m",
                "-cp", System.getProperty("java.class.path"), ArchivePullMain.class.getName(), proxy.hostPort(), "crash/big:1",
                archive.toString());
        return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }

    /** Polls the archive until the small blobs are complete members and the large one has streamed past the stall. */
    private static void awaitCompleteBlobsAndTheCutOne(Path archive, int complete, Process child, Path log) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            if (!child.isAlive()) {
                throw new AssertionError("the pull ended before it was killed: " + Files.readString(log));
            }
            // A .tar.zst stores the large layer's frame (its random bytes do not compress) in place, as a .tar its member.
            boolean zstd = archive.getFileName().toString().endsWith(".zst");
            if (Files.isRegularFile(archive) && Files.size(archive) > STALL_AT) {
                try (SplitFile file = SplitFile.open(archive, 0); ArchiveBody body = ArchiveBody.open(file, Clock.systemUTC())) {
                    ArchiveScan scan = body.scan();
                    long blobs = scan.members().stream().filter(m -> BlobMemberWriter.digestOf(m) != null).count();
                    // The cut member is listed when a later region follows it; when its region is the last one the
                    // scan stops at it, a member cut off (which order the regions are reserved in is the network's).
                    boolean cut = zstd || scan.members().stream().anyMatch(BlobMemberWriter::isPartial)
                            || scan.torn() != null && scan.torn().contains(BlobMemberWriter.PARTIAL_PREFIX);
                    if (blobs == complete && cut) {
                        return;
                    }
                }
            }
            Thread.sleep(100);
        }
        throw new AssertionError("the pull did not reach the stalled layer in time");
    }

    private static void seed(RegistryServer registry, Map<Digest, byte[]> blobs, Manifest manifest) throws Exception {
        RegistrySettings settings = ArchiveTargets.isolated(RegistrySettings.defaults(
                List.of(RegistryAuth.of(registry.hostPort()).withPlainHttp(true))));
        ImageReference image = ImageReference.parse(registry.hostPort() + "/crash/big:1");
        try (RegistryTarget target = new RegistryTarget(settings)) {
            for (Map.Entry<Digest, byte[]> blob : blobs.entrySet()) {
                target.writeBlob(image, new Descriptor("application/octet-stream", blob.getKey(), blob.getValue().length),
                        new ByteArrayInputStream(blob.getValue()));
            }
            target.tag(image, manifest);
        }
    }

    private static Manifest manifest(Map<Digest, byte[]> blobs) {
        List<Map.Entry<Digest, byte[]>> entries = new ArrayList<>(blobs.entrySet());
        StringBuilder layers = new StringBuilder();
        for (Map.Entry<Digest, byte[]> layer : entries.subList(1, entries.size())) {
            layers.append(layers.length() == 0 ? "" : ",").append("{\"mediaType\":\"application/vnd.oci.image.layer.v1.tar+gzip\",")
                    .append("\"digest\":\"").append(layer.getKey()).append("\",\"size\":").append(layer.getValue().length).append('}');
        }
        String json = "{\"schemaVersion\":2,\"mediaType\":\"" + MediaTypes.OCI_MANIFEST + "\",\"config\":{\"mediaType\":\""
                + MediaTypes.OCI_CONFIG + "\",\"digest\":\"" + entries.get(0).getKey() + "\",\"size\":" + entries.get(0).getValue().length
                + "},\"layers\":[" + layers + "]}";
        return Manifest.of(json.getBytes(StandardCharsets.UTF_8), MediaTypes.OCI_MANIFEST);
    }

    private static Digest sha256(InputStream in) throws Exception {
        MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
        try (InputStream digesting = new DigestInputStream(in, sha256)) {
            digesting.transferTo(java.io.OutputStream.nullOutputStream());
        }
        return Digest.of(sha256.digest());
    }
}
