package dev.stevedore.image.target;

import dev.stevedore.image.oci.Descriptor;
import dev.stevedore.image.oci.Manifest;
import dev.stevedore.image.oci.Referrer;
import dev.stevedore.image.reference.Digest;
import dev.stevedore.image.reference.ImageReference;
import dev.stevedore.spi.Cancellation;
import dev.stevedore.spi.TaskLog;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Optional;

/**
 * A place images are copied from or to: a registry, a KubeKey images directory, an OCI image layout.
 * The copier works between any two of them through this interface alone.
 *
 * <p>Every method takes the image reference it acts for: registries keep blobs per repository, the
 * directory stores share one blob pool but still need the name to place manifests. Implementations
 * are thread-safe: the copier writes many blobs at once, and two writers of the same blob must not
 * corrupt each other (the second finds the first's result, or both write and one rename wins).
 *
 * <p>Failures are {@link dev.stevedore.image.error.ImageException}s whose message an operator can act on.
 */
public interface ImageTarget extends AutoCloseable {

    /** For messages: {@code registry quay.io}, {@code images directory /srv/bundle/images}. */
    String describe();

    /** The descriptor of the manifest or index a tag or digest reference points at, or empty. */
    Optional<Descriptor> resolve(ImageReference reference) throws IOException;

    /** The manifest or index with the given digest, byte-exact, verified against the digest. */
    Manifest fetchManifest(ImageReference image, Digest digest) throws IOException;

    /**
     * The manifest or index a tag or digest reference points at, byte-exact and verified, or empty.
     * A registry answers this with one GET instead of a HEAD and a GET; the default resolves, then fetches.
     */
    default Optional<Manifest> fetchManifest(ImageReference reference) throws IOException {
        Optional<Descriptor> found = resolve(reference);
        return found.isPresent() ? Optional.of(fetchManifest(reference, found.get().digest())) : Optional.empty();
    }

    /** Whether the blob is present with the descriptor's size. */
    boolean hasBlob(ImageReference image, Descriptor blob) throws IOException;

    /** Opens a blob for streaming. The caller closes the stream and verifies what it read. */
    InputStream openBlob(ImageReference image, Descriptor blob) throws IOException;

    /**
     * Opens a blob from byte {@code offset} on, to continue a download cut earlier. The default reads and
     * discards the bytes before it; a registry asks only for the rest.
     */
    default InputStream openBlob(ImageReference image, Descriptor blob, long offset) throws IOException {
        InputStream in = openBlob(image, blob);
        try {
            in.skipNBytes(offset);
            return in;
        } catch (IOException | RuntimeException e) {
            in.close();
            throw e;
        }
    }

    /**
     * Stores a blob from a stream of exactly {@code blob.size()} bytes. The content is hashed while it
     * is written and becomes visible under its final name only when size and digest match; otherwise
     * nothing is left behind and a {@code DigestMismatchException} (or a size error) is thrown.
     */
    void writeBlob(ImageReference image, Descriptor blob, InputStream content) throws IOException;

    /**
     * Stores a blob whose content can be opened again. A target whose write may fail midway for reasons
     * unrelated to the content (a registry upload) retries from a new stream; the default, for stores that
     * write locally, reads one stream as {@link #writeBlob(ImageReference, Descriptor, InputStream)} does.
     */
    default void writeBlob(ImageReference image, Descriptor blob, BlobSource content) throws IOException {
        try (InputStream in = content.open()) {
            writeBlob(image, blob, in);
        }
    }

    /**
     * Makes a blob that exists in repository {@code from} of the same target available in
     * {@code image}'s repository without transferring it. Returns false when the target cannot (then
     * the caller uploads); the default, for stores with one shared blob pool, has nothing to do.
     */
    default boolean mountBlob(ImageReference image, Descriptor blob, ImageReference from) throws IOException {
        return false;
    }

    /** Stores a manifest or index by its digest (no tag). Its blobs and children must already be there. */
    void writeManifest(ImageReference image, Manifest manifest) throws IOException;

    /** Points {@code image}'s tag at the manifest, storing it too where the target needs that. */
    void tag(ImageReference image, Manifest manifest) throws IOException;

    /**
     * What the target's referrers API (distribution-spec 1.1) lists for {@code subject} in {@code image}'s
     * repository, or empty when the target has no such API; then the referrers tag schema is the way to
     * find them. The default, for the directory stores, has none: they hold referrers under tags.
     */
    default Optional<List<Referrer>> referrers(ImageReference image, Digest subject) throws IOException {
        return Optional.empty();
    }

    /**
     * Stores a manifest that has a {@code subject} by its digest in {@code image}'s repository, like
     * {@link #writeManifest} (so {@code image} should not name it by digest, or an OCI layout lists it), and says
     * whether the target indexed it by that subject itself (a registry with the referrers API answers
     * {@code OCI-Subject}). When it did not, the caller keeps the referrers tag schema's index up to date.
     */
    default boolean writeReferrer(ImageReference image, Manifest referrer) throws IOException {
        writeManifest(image, referrer);
        return false;
    }

    /**
     * Every image the target holds, as {@code registry/repository:tag}, or {@code @digest} for images
     * stored by digest only. Registries, which cannot be listed, throw {@link UnsupportedOperationException}.
     */
    List<ImageReference> list() throws IOException;

    /**
     * The copier is about to read these images from this target, before it asks for any of them. A registry
     * that meters pulls compares them with what its budget leaves; a bundle archive checks its parts. A failure
     * here stops the whole copy before anything is read or written. A directory source the copy lists is first
     * told with no images, before its listing. Work that takes long (an archive's hashing) reports its progress
     * into {@code log} and stops when {@code cancellation} fires, with an {@link java.io.InterruptedIOException}.
     * The default has nothing to do.
     */
    default void willRead(List<ImageReference> images, TaskLog log, Cancellation cancellation) throws IOException {
    }

    /**
     * Of the images {@link #willRead} announced, the copier will not read {@code image} here after all: its
     * destination holds what the tag points at, which a {@code HEAD} told. A registry that meters pulls stops
     * counting it among the pulls to come. The default has nothing to do.
     */
    default void willNotRead(ImageReference image) {
    }

    /**
     * What an operator should know about reading from this target that is no failure, once {@link #willRead}
     * has run: a bundle archive without its sums says that its parts were not checked. The default has nothing.
     */
    default Optional<String> readCaveat() {
        return Optional.empty();
    }

    /**
     * The copier is about to write {@code image} here, before it asks anything about it here. A registry that
     * keeps repositories in projects creates a missing one when the task asks for that ({@code create_project});
     * the default has nothing to do.
     */
    default void willWrite(ImageReference image) throws IOException {
    }

    /**
     * The files the bundle keeps at its root ({@link RootFiles}), or empty for a target that is not a bundle: a
     * registry. The default has none.
     */
    default Optional<RootFiles> rootFiles() {
        return Optional.empty();
    }

    /** Releases connections or locks. Idempotent. */
    @Override
    default void close() throws IOException {
    }
}
