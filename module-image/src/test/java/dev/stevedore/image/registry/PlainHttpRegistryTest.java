package dev.stevedore.image.registry;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stevedore.image.oci.Descriptor;
import dev.stevedore.image.oci.Manifest;
import dev.stevedore.image.oci.MediaTypes;
import dev.stevedore.image.reference.Digest;
import dev.stevedore.image.reference.ImageReference;
import dev.stevedore.testsupport.RegistryServer;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Push and pull of a multi-arch OCI image against the real registry over plain HTTP. */
class PlainHttpRegistryTest {

    static RegistryServer registry;
    static RegistryTarget target;
    @TempDir
    static Path folder;
    static TestImage image;
    static ImageReference reference;

    @BeforeAll
    static void pushMultiArchImage() throws Exception {
        registry = RegistryServer.start();
        target = new RegistryTarget(Settings.of(List.of(Settings.plain(registry.hostPort()))));
        image = TestImage.multiArch(Files.createDirectory(folder.resolve("blobs")), 300_000);
        reference = ImageReference.parse(registry.hostPort() + "/team/app:1.0");
        image.push(target, reference);
    }

    @AfterAll
    static void stop() throws Exception {
        target.close();
        registry.close();
    }

    @Test
    void resolvingTheTagGivesTheIndexDescriptorSentWithOciAcceptTypes() throws Exception {
        Descriptor resolved = target.resolve(reference).orElseThrow();
        assertEquals(image.index.digest(), resolved.digest());
        assertEquals(MediaTypes.OCI_INDEX, resolved.mediaType());
        assertEquals(image.index.size(), resolved.size());
    }

    @Test
    void fetchedManifestsAreByteExact() throws Exception {
        Manifest index = target.fetchManifest(reference, image.index.digest());
        assertArrayEquals(image.index.bytes(), index.bytes());
        for (TestImage.Child child : image.children) {
            Manifest manifest = target.fetchManifest(reference, child.manifest().digest());
            assertEquals(MediaTypes.OCI_MANIFEST, manifest.mediaType());
            assertArrayEquals(child.manifest().bytes(), manifest.bytes());
        }
    }

    @Test
    void everyBlobDownloadsToAFileWithItsContentVerified() throws Exception {
        for (TestImage.Blob blob : image.blobs()) {
            Path downloaded = folder.resolve("download-" + blob.descriptor().digest().hex());
            target.downloadBlob(reference, blob.descriptor(), downloaded);
            assertArrayEquals(Files.readAllBytes(blob.file()), Files.readAllBytes(downloaded));
        }
    }

    @Test
    void openedBlobStreamsYieldTheBlob() throws Exception {
        for (TestImage.Blob blob : image.blobs()) {
            try (InputStream in = target.openBlob(reference, blob.descriptor())) {
                assertEquals(blob.descriptor().digest(), TestImage.sha256(in));
            }
        }
    }

    @Test
    void pushedBlobsExistAndUnknownOnesDoNot() throws Exception {
        for (TestImage.Blob blob : image.blobs()) {
            assertTrue(target.hasBlob(reference, blob.descriptor()));
        }
        Descriptor unknown = new Descriptor("application/octet-stream", Digest.sha256Of(new byte[] {1, 2, 3}), 3);
        assertFalse(target.hasBlob(reference, unknown));
    }

    @Test
    void anUnknownTagResolvesToNothingAndAnUnknownDigestIsNotFound() throws Exception {
        assertTrue(target.resolve(reference.withTag("missing")).isEmpty());
        RegistryException.NotFound notFound = assertThrows(RegistryException.NotFound.class,
                () -> target.fetchManifest(reference, Digest.sha256Of(new byte[] {9})));
        assertTrue(notFound.getMessage().contains(registry.hostPort()), notFound.getMessage());
        assertTrue(notFound.getMessage().contains("team/app"), notFound.getMessage());
    }

    @Test
    void aBlobIsMountedFromAnotherRepositoryOfTheSameRegistry() throws Exception {
        ImageReference other = ImageReference.parse(registry.hostPort() + "/other/app:1.0");
        Descriptor layer = image.children.get(0).blobs().get(1).descriptor();
        assertFalse(target.hasBlob(other, layer));
        assertTrue(target.mountBlob(other, layer, reference));
        assertTrue(target.hasBlob(other, layer));
    }

    @Test
    void aStreamedUploadAndAChunkedUploadBothStoreTheBlob() throws Exception {
        ImageReference streamed = ImageReference.parse(registry.hostPort() + "/uploads/streamed:1");
        byte[] content = new byte[200_001];
        new java.util.Random(7).nextBytes(content);
        Descriptor blob = new Descriptor("application/octet-stream", Digest.sha256Of(content), content.length);
        target.writeBlob(streamed, blob, new ByteArrayInputStream(content));
        assertTrue(target.hasBlob(streamed, blob));

        ImageReference chunked = ImageReference.parse(registry.hostPort() + "/uploads/chunked:1");
        try (RegistryTarget chunking = new RegistryTarget(Settings.of(List.of(Settings.plain(registry.hostPort()))).withChunkSize(64 * 1024))) {
            chunking.writeBlob(chunked, blob, new ByteArrayInputStream(content));
            assertTrue(chunking.hasBlob(chunked, blob));
            Path back = folder.resolve("chunked-back");
            chunking.downloadBlob(chunked, blob, back);
            assertArrayEquals(content, Files.readAllBytes(back));
        }
    }

    @Test
    void anUploadWhoseContentDoesNotMatchItsDigestIsRejected() throws Exception {
        ImageReference wrong = ImageReference.parse(registry.hostPort() + "/uploads/wrong:1");
        byte[] content = "actual".getBytes();
        Descriptor claimed = new Descriptor("application/octet-stream", Digest.sha256Of("claimed".getBytes()), content.length);
        assertThrows(RegistryException.DigestMismatch.class, () -> target.writeBlob(wrong, claimed, new ByteArrayInputStream(content)));
        assertFalse(target.hasBlob(wrong, claimed));
    }

    @Test
    void aManifestPushedByDigestOnlyIsResolvableByDigest() throws Exception {
        ImageReference byDigest = reference.withDigest(image.children.get(1).manifest().digest());
        Descriptor resolved = target.resolve(byDigest).orElseThrow();
        assertEquals(image.children.get(1).manifest().digest(), resolved.digest());
    }

    @Test
    void listingARegistryIsNotSupported() {
        assertThrows(UnsupportedOperationException.class, () -> target.list());
    }

    @Test
    void aPlainHttpRegistryReachedOverHttpsSuggestsPlainHttp() {
        try (RegistryTarget https = new RegistryTarget(Settings.of(List.of()))) {
            RegistryException e = assertThrows(RegistryException.class, () -> https.resolve(reference));
            assertTrue(e.getMessage().contains("plain_http") && e.getMessage().contains(registry.hostPort()), e.getMessage());
        }
    }
}
