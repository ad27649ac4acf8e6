package dev.stevedore.image.registry;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stevedore.image.oci.Descriptor;
import dev.stevedore.image.oci.ImageIndex;
import dev.stevedore.image.oci.ImageManifest;
import dev.stevedore.image.oci.ManifestParser;
import dev.stevedore.image.reference.ImageReference;
import dev.stevedore.testsupport.Programs;
import dev.stevedore.testsupport.RegistryServer;
import dev.stevedore.testsupport.TokenServer;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What we push, skopeo reads and copies; many threads share one target safely. */
class InteroperabilityTest {

    @TempDir
    Path folder;

    @Test
    void skopeoReadsWhatWePushedAndWePullWhatSkopeoCopied() throws Exception {
        try (RegistryServer registry = RegistryServer.start()) {
            TestImage image = TestImage.multiArch(Files.createDirectory(folder.resolve("blobs")), 20_000);
            ImageReference ours = ImageReference.parse(registry.hostPort() + "/interop/ours:1");
            ImageReference theirs = ImageReference.parse(registry.hostPort() + "/interop/theirs:1");
            try (RegistryTarget target = new RegistryTarget(Settings.of(List.of(Settings.plain(registry.hostPort()))))) {
                image.push(target, ours);
                byte[] raw = run("skopeo", "inspect", "--tls-verify=false", "--raw", "docker://" + ours);
                assertArrayEquals(image.index.bytes(), raw);
                run("skopeo", "copy", "--all", "--src-tls-verify=false", "--dest-tls-verify=false", "docker://" + ours, "docker://" + theirs);
                // skopeo may recompress layers (ours are random bytes labelled gzip), so digests can differ:
                // what matters is that everything it wrote reads back and verifies.
                Descriptor index = target.resolve(theirs).orElseThrow();
                ImageIndex children = ManifestParser.parseIndex(target.fetchManifest(theirs, index.digest()));
                assertEquals(2, children.manifests().size());
                for (Descriptor child : children.manifests()) {
                    ImageManifest manifest = ManifestParser.parseManifest(target.fetchManifest(theirs, child.digest()));
                    for (Descriptor blob : manifest.blobs()) {
                        target.downloadBlob(theirs, blob, folder.resolve("skopeo-" + blob.digest().hex()));
                    }
                }
            }
        }
    }

    @Test
    void oneTargetServesManyThreadsAtOnceWithTokenAuth() throws Exception {
        try (TokenServer tokens = TokenServer.builder().user("zoe", "par-pw").start();
             RegistryServer registry = RegistryServer.builder().tokenAuth(tokens).start();
             RegistryTarget target = new RegistryTarget(Settings.of(List.of(Settings.plain(registry.hostPort(), "zoe", "par-pw"))))) {
            List<TestImage.Blob> blobs = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                blobs.add(TestImage.writeLarge(folder, 300_000 + i, i));
            }
            ExecutorService pool = Executors.newFixedThreadPool(8);
            try {
                List<Future<?>> uploads = new ArrayList<>();
                for (int i = 0; i < blobs.size(); i++) {
                    TestImage.Blob blob = blobs.get(i);
                    ImageReference repo = ImageReference.parse(registry.hostPort() + "/parallel/r" + (i % 3) + ":1");
                    uploads.add(pool.submit(() -> {
                        target.uploadBlob(repo, blob.descriptor(), blob.file());
                        try (InputStream in = target.openBlob(repo, blob.descriptor())) {
                            assertEquals(blob.descriptor().digest(), TestImage.sha256(in));
                        }
                        return null;
                    }));
                }
                for (Future<?> upload : uploads) {
                    upload.get(60, TimeUnit.SECONDS);
                }
            } finally {
                pool.shutdownNow();
            }
            assertTrue(tokens.requests().size() <= 30, "tokens are cached per scope, not fetched per request: " + tokens.requests().size());
        }
    }

    private static byte[] run(String... command) throws Exception {
        Programs.require(command[0]);
        Process process = new ProcessBuilder(command).redirectErrorStream(false).start();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        process.getInputStream().transferTo(out);
        String err = new String(process.getErrorStream().readAllBytes());
        assertTrue(process.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, process.exitValue(), String.join(" ", command) + ": " + err);
        return out.toByteArray();
    }
}
