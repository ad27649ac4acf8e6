package dev.stevedore.image.bundle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import dev.stevedore.image.oci.Descriptor;
import dev.stevedore.image.reference.Digest;
import dev.stevedore.image.reference.ImageReference;
import dev.stevedore.image.store.archive.ArchiveOptions;
import dev.stevedore.image.store.archive.ArchiveStore;
import dev.stevedore.spi.Progress;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ArchiveContentsTest {

    private static final ImageReference IMAGE = ImageReference.parse("registry.example.com/team/app:1");

    @TempDir
    Path work;

    @Test
    void anArchivesBlobsAreHashedInTheOrderTheyLieNotLargestFirst() throws Exception {
        Path archive = work.resolve("bundle.tar");
        Random random = new Random(7);
        // Written smallest first, so that the order they lie in is neither largest first nor by name.
        List<String> written = new ArrayList<>();
        try (ArchiveStore store = ArchiveStore.open(archive, ArchiveOptions.defaults())) {
            for (int size : new int[] {1_000, 50_000, 200_000, 3_000, 90_000}) {
                byte[] content = new byte[size];
                random.nextBytes(content);
                Digest digest = Digest.sha256Of(content);
                store.writeBlob(IMAGE, new Descriptor("application/octet-stream", digest, size), new ByteArrayInputStream(content));
                written.add("blobs/" + digest);
            }
        }
        List<String> byName = new ArrayList<>(written);
        Collections.sort(byName);
        assertNotEquals(byName, written, "the seed gives names out of the written order");

        try (ArchiveStore store = ArchiveStore.open(archive, ArchiveOptions.defaults())) {
            RecordingContents contents = new RecordingContents(new ArchiveContents(store));
            Map<String, Long> sizes = new TreeMap<>();
            for (String member : written) {
                sizes.put(member, contents.size(member));
            }
            Map<String, BlobHasher.Hashed> hashed = new BlobHasher(1).hash(contents, sizes, Progress.NO_ITEM);

            assertEquals(written, contents.opened, "one thread reads the archive front to back");
            for (String member : written) {
                assertEquals(member, "blobs/" + hashed.get(member).digest());
            }
        }
    }

    /** Its delegate's members, noting the order they are opened in. */
    private static final class RecordingContents implements BundleContents {
        private final BundleContents delegate;
        final List<String> opened = Collections.synchronizedList(new ArrayList<>());

        RecordingContents(BundleContents delegate) {
            this.delegate = delegate;
        }

        @Override
        public String describe() {
            return delegate.describe();
        }

        @Override
        public List<String> members() throws IOException {
            return delegate.members();
        }

        @Override
        public long size(String member) throws IOException {
            return delegate.size(member);
        }

        @Override
        public InputStream open(String member) throws IOException {
            opened.add(member);
            return delegate.open(member);
        }

        @Override
        public Optional<Comparator<String>> storageOrder() {
            return delegate.storageOrder();
        }
    }
}
