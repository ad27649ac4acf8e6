package dev.stevedore.image.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stevedore.image.oci.Manifest;
import dev.stevedore.image.reference.Digest;
import dev.stevedore.image.reference.ImageReference;
import dev.stevedore.image.store.TestImages.TestImage;
import dev.stevedore.testsupport.Programs;
import dev.stevedore.testsupport.RegistryServer;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** skopeo (containers/image) and the real registry read what we write, and we read what skopeo writes. */
class SkopeoInteropTest {

    private static RegistryServer registry;

    @TempDir
    Path dir;

    private final TestImages images = new TestImages(99);

    @BeforeAll
    static void startRegistry() throws IOException {
        registry = RegistryServer.start();
    }

    @AfterAll
    static void stopRegistry() {
        if (registry != null) {
            registry.close();
        }
    }

    @Test
    void skopeoPushesOurOciLayoutIntoTheRegistryWithIdenticalDigests() throws Exception {
        OciLayoutStore store = OciLayoutStore.open(dir.resolve("ours"));
        TestImage index = images.index("amd64", "arm64");
        TestImage single = images.image("amd64", 2);
        ImageReference indexRef = ImageReference.parse("quay.io/team/app:v1");
        ImageReference singleRef = ImageReference.parse("docker.io/library/tool:2.0");
        index.writeTo(store, indexRef);
        single.writeTo(store, singleRef);
        store.close(); // the copy closes its destination before the task ends: the index is written by then

        String pushedIndex = registry.hostPort() + "/team/app:v1";
        skopeo("copy", "--all", "--dest-tls-verify=false", "oci:" + store.directory() + ":" + indexRef, "docker://" + pushedIndex);
        String pushedSingle = registry.hostPort() + "/library/tool:2.0";
        skopeo("copy", "--dest-tls-verify=false", "oci:" + store.directory() + ":" + singleRef, "docker://" + pushedSingle);

        assertArrayEquals(index.root().bytes(), inspectRaw(pushedIndex));
        for (Manifest child : index.children()) {
            assertArrayEquals(child.bytes(), inspectRaw(registry.hostPort() + "/team/app@" + child.digest()));
        }
        assertArrayEquals(single.root().bytes(), inspectRaw(pushedSingle));
        assertEquals(single.root().digest(), Digest.sha256Of(inspectRaw(pushedSingle)));
    }

    @Test
    void weReadTheOciLayoutSkopeoWrites() throws Exception {
        // Seed the registry from a layout of ours, then let skopeo write its own layout from the registry.
        OciLayoutStore seed = OciLayoutStore.open(dir.resolve("seed"));
        TestImage index = images.index("amd64", "arm64", "s390x");
        TestImage pinned = images.image("arm64", 1);
        ImageReference seedRef = ImageReference.parse("example.com/seed:1");
        index.writeTo(seed, seedRef);
        pinned.writeTo(seed, ImageReference.parse("example.com/pinned:1"));
        seed.close();
        skopeo("copy", "--all", "--dest-tls-verify=false", "oci:" + seed.directory() + ":" + seedRef, "docker://" + registry.hostPort() + "/read/me:1.0");
        skopeo("copy", "--dest-tls-verify=false", "oci:" + seed.directory() + ":example.com/pinned:1", "docker://" + registry.hostPort() + "/read/pinned:1");

        Path theirs = dir.resolve("theirs");
        ImageReference tagged = ImageReference.parse(registry.hostPort() + "/read/me:1.0");
        ImageReference byDigest = ImageReference.parse(registry.hostPort() + "/read/pinned@" + pinned.root().digest());
        skopeo("copy", "--all", "--src-tls-verify=false", "docker://" + tagged, "oci:" + theirs + ":" + tagged);
        skopeo("copy", "--src-tls-verify=false", "docker://" + byDigest, "oci:" + theirs + ":" + byDigest);

        OciLayoutStore store = OciLayoutStore.open(theirs);
        assertEquals(List.of(tagged, byDigest), store.list());
        assertEquals(index.root(), store.findManifest(tagged).orElseThrow());
        assertEquals(pinned.root(), store.findManifest(byDigest).orElseThrow());
        for (Manifest child : index.children()) {
            assertEquals(child, store.findManifest(tagged.withDigest(child.digest())).orElseThrow());
        }
        for (Map.Entry<Digest, byte[]> blob : index.blobs().entrySet()) {
            try (InputStream in = store.openBlob(tagged, TestImages.blobDescriptor(blob.getValue()))) {
                assertArrayEquals(blob.getValue(), in.readAllBytes());
            }
        }

        // And what we read from skopeo's layout lands in a KubeKey directory as KubeKey would write it.
        KubeKeyLayoutStore kubekey = KubeKeyLayoutStore.open(dir.resolve("kubekey"));
        copy(store, kubekey, tagged, index);
        assertArrayEquals(index.root().bytes(), Files.readAllBytes(kubekey.directory().resolve(
                registry.hostPort() + "/read/me/manifests/1.0")));
        assertEquals(List.of(tagged), kubekey.list());
    }

    /** The copier's order, done by hand: blobs, children, root. */
    private static void copy(OciLayoutStore from, KubeKeyLayoutStore to, ImageReference reference, TestImage image) throws IOException {
        for (byte[] blob : image.blobs().values()) {
            try (InputStream in = from.openBlob(reference, TestImages.blobDescriptor(blob))) {
                to.writeBlob(reference, TestImages.blobDescriptor(blob), in);
            }
        }
        for (Manifest child : image.children()) {
            to.writeManifest(reference, from.findManifest(reference.withDigest(child.digest())).orElseThrow());
        }
        to.tag(reference, from.findManifest(reference).orElseThrow());
    }

    private byte[] inspectRaw(String image) throws Exception {
        return skopeo("inspect", "--raw", "--tls-verify=false", "docker://" + image);
    }

    private byte[] skopeo(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(Programs.require("skopeo"), "--insecure-policy"));
        command.addAll(List.of(args));
        if (args[0].equals("copy")) {
            command.add(3, "--preserve-digests"); // skopeo fails rather than silently rewrite a manifest
        }
        Path errors = Files.createTempFile(dir, "skopeo", ".err");
        Process process = new ProcessBuilder(command).redirectError(errors.toFile()).start();
        process.getOutputStream().close();
        byte[] out = process.getInputStream().readAllBytes();
        if (!process.waitFor(120, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("skopeo timed out: " + command);
        }
        assertEquals(0, process.exitValue(), () -> "skopeo failed: " + command + "\n" + read(errors));
        return out;
    }

    private static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return e.toString();
        }
    }
}
