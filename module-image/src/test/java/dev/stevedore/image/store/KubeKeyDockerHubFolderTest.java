package dev.stevedore.image.store;

import static dev.stevedore.image.store.KubeKeyNewerLayoutTest.assertSameFiles;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.stevedore.image.oci.Descriptor;
import dev.stevedore.image.oci.Manifest;
import dev.stevedore.image.reference.Digest;
import dev.stevedore.image.reference.ImageReference;
import dev.stevedore.image.store.StoreOptions.KubeKeyLayout;
import dev.stevedore.image.testing.KubeKeyFixtures;
import dev.stevedore.image.testing.KubeKeyFixtures.Image;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Docker Hub's folder in a KubeKey images directory: KubeKey names it after the host it sends requests to,
 * {@code registry-1.docker.io}; Stevedore writes the same, reads it and the {@code docker.io} folder of its
 * earlier versions, and lists both as {@code docker.io}.
 */
class KubeKeyDockerHubFolderTest {

    private static final String FOLDER = "registry-1.docker.io/library/nginx";
    private static final ImageReference NGINX = ImageReference.parse("nginx:1.27");

    @TempDir
    Path dir;

    @Test
    void theFirstGenerationOriginalsDirectoryIsReadAsDockerHub() throws IOException {
        Image image = KubeKeyFixtures.dockerHubIndex(1);
        KubeKeyFixtures.writeFirstGeneration(dir, FOLDER, "1.27", image);
        KubeKeyLayoutStore store = KubeKeyLayoutStore.open(dir);

        assertEquals(List.of(NGINX), store.list());
        assertEquals(image.root(), store.findManifest(NGINX).orElseThrow());
        assertEquals(image.root(), store.findManifest(new ImageReference("registry-1.docker.io", "library/nginx", "1.27", null)).orElseThrow());
        assertEquals(image.children().get(1), store.fetchManifest(NGINX, image.children().get(1).digest()));
    }

    @Test
    void whatStevedoreWritesForADockerHubImageIsWhatTheFirstGenerationOriginalWrites() throws IOException {
        Image image = KubeKeyFixtures.dockerHubIndex(2);
        Path expected = dir.resolve("kubekey");
        KubeKeyFixtures.writeFirstGeneration(expected, FOLDER, "1.27", image);
        Path actual = dir.resolve("stevedore");

        writeAsTheCopierDoes(KubeKeyLayoutStore.open(actual), NGINX, image);

        assertSameFiles(expected, actual);
    }

    @Test
    void whatStevedoreWritesForADockerHubImageInTodaysGenerationIsWhatTodaysKubeKeyWrites() throws IOException {
        Image image = KubeKeyFixtures.dockerHubIndex(3);
        Path expected = dir.resolve("kubekey");
        KubeKeyFixtures.writeTodays(expected, FOLDER, Map.of("1.27", image));
        Path actual = dir.resolve("stevedore");

        writeAsTheCopierDoes(KubeKeyLayoutStore.open(actual, StoreOptions.defaults().withNewRepositories(KubeKeyLayout.KUBEKEY_V2)),
                NGINX, image);

        assertSameFiles(expected, actual);
    }

    @Test
    void theDockerIoFolderOfEarlierStevedoreVersionsIsStillReadAndNewTagsGoWhereKubeKeyLooks() throws IOException {
        Image old = KubeKeyFixtures.dockerHubIndex(4);
        Image current = KubeKeyFixtures.dockerHubIndex(5);
        KubeKeyFixtures.writeFirstGeneration(dir, "docker.io/library/nginx", "1.25", old);
        KubeKeyFixtures.writeFirstGeneration(dir, "docker.io/library/nginx", "1.27", old);
        KubeKeyLayoutStore store = KubeKeyLayoutStore.open(dir);
        ImageReference tag125 = ImageReference.parse("nginx:1.25");

        assertEquals(List.of(tag125, NGINX), store.list());
        assertEquals(old.root(), store.findManifest(tag125).orElseThrow());

        writeAsTheCopierDoes(store, NGINX, current);

        assertArrayEquals(current.root().bytes(), Files.readAllBytes(dir.resolve(FOLDER + "/manifests/1.27")));
        assertEquals(current.root(), store.findManifest(NGINX).orElseThrow(), "the folder KubeKey writes wins");
        assertEquals(List.of(tag125, NGINX), store.list(), "each image listed once");
        assertFalse(Files.exists(dir.resolve(FOLDER + "/manifests/1.25")));
    }

    /** Blobs, children by digest, then the root under its tag. */
    private static void writeAsTheCopierDoes(KubeKeyLayoutStore store, ImageReference reference, Image image) throws IOException {
        for (Map.Entry<Digest, byte[]> blob : image.blobs().entrySet()) {
            store.writeBlob(reference, new Descriptor("application/octet-stream", blob.getKey(), blob.getValue().length),
                    new ByteArrayInputStream(blob.getValue()));
        }
        for (Manifest child : image.children()) {
            store.writeManifest(reference, child);
        }
        store.tag(reference, image.root());
    }
}
