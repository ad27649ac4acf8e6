package dev.stevedore.image.store.archive;

import dev.stevedore.image.oci.Descriptor;
import dev.stevedore.image.reference.Digest;
import dev.stevedore.image.store.DigestMismatchException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Writes one blob as an archive member while other blobs are written beside it. The member's region
 * ({@code [headers][content][padding]}) is reserved at once from the shared end offset, so writers never
 * overlap. The header goes first, under the temporary name {@code blobs/.tmp-partial-sha256:<hex>}; the
 * content follows with positional writes, hashed as it streams by in a fixed buffer; only when size and
 * digest match is the header block rewritten in place with the final name {@code blobs/sha256:<hex>}: the
 * archive's rename into place. A write that fails leaves a valid member under the temporary name, which
 * this store's scan skips and which a directory store treats as a left-over temporary file; the next write of
 * the same blob, in this run or a resumed one, writes into that region again instead of growing the archive.
 */
final class BlobMemberWriter {

    private static final int CHUNK = 64 * 1024;
    static final String PARTIAL_PREFIX = "blobs/.tmp-partial-";

    private final SplitFile file;
    private final AtomicLong end;
    private final long mtimeSeconds;

    BlobMemberWriter(SplitFile file, AtomicLong end, long mtimeSeconds) {
        this.file = file;
        this.end = end;
        this.mtimeSeconds = mtimeSeconds;
    }

    private byte[] headers(Descriptor blob) {
        return TarHeaders.member(PARTIAL_PREFIX + blob.digest(), blob.size(), TarHeaders.REGULAR, 0644, mtimeSeconds);
    }

    static String finalName(Digest digest) {
        return "blobs/" + digest;
    }

    /** A new region at the end for {@code blob}: the member under its temporary name, not yet written. */
    ArchiveMember reserve(Descriptor blob) {
        int headers = headers(blob).length;
        long start = end.getAndAdd(headers + TarHeaders.padded(blob.size()));
        return new ArchiveMember(PARTIAL_PREFIX + blob.digest(), TarHeaders.REGULAR, start, start + headers, blob.size());
    }

    /**
     * Writes {@code content} (exactly {@code blob.size()} bytes) into {@code region} (from {@link #reserve}, or
     * one an earlier write of this blob left, see {@link #reusableFor}) and returns the member under its final name.
     */
    ArchiveMember write(ArchiveMember region, Descriptor blob, InputStream content, String where) throws IOException {
        byte[] headers = headers(blob);
        long start = region.start();
        file.write(ByteBuffer.wrap(headers), start);
        long data = start + headers.length;
        byte[] chunk = new byte[CHUNK];
        ByteBuffer buffer = ByteBuffer.wrap(chunk);
        copyVerified(blob, content, where, chunk, (n, written) -> {
            buffer.clear().limit(n);
            file.write(buffer, data + written);
        });
        int padding = (int) (TarHeaders.padded(blob.size()) - blob.size());
        if (padding > 0) {
            Arrays.fill(chunk, 0, padding, (byte) 0);
            file.write(ByteBuffer.wrap(chunk, 0, padding), data + blob.size());
        }
        byte[] header = Arrays.copyOfRange(headers, headers.length - TarHeaders.BLOCK, headers.length);
        file.write(ByteBuffer.wrap(TarHeaders.renamed(header, finalName(blob.digest()))), data - TarHeaders.BLOCK);
        return new ArchiveMember(finalName(blob.digest()), TarHeaders.REGULAR, start, data, blob.size());
    }

    /** Takes the {@code n} bytes a copy has just read into its chunk, {@code written} bytes into the blob. */
    @FunctionalInterface
    interface ChunkSink {
        void accept(int n, long written) throws IOException;
    }

    /**
     * Reads exactly {@code blob.size()} bytes of {@code content} through {@code chunk}, hashing them as they go by,
     * hands each read to {@code sink}, and fails unless the size and the digest are the descriptor's.
     */
    static void copyVerified(Descriptor blob, InputStream content, String where, byte[] chunk, ChunkSink sink) throws IOException {
        MessageDigest sha256 = Digest.newSha256();
        long written = 0;
        while (written < blob.size()) {
            int n = content.read(chunk, 0, (int) Math.min(chunk.length, blob.size() - written));
            if (n < 0) {
                throw DigestMismatchException.ofSize(blob.digest(), blob.size(), Long.toString(written), where);
            }
            sha256.update(chunk, 0, n);
            sink.accept(n, written);
            written += n;
        }
        if (content.read() >= 0) {
            throw DigestMismatchException.ofSize(blob.digest(), blob.size(), "more", where);
        }
        Digest actual = Digest.of(sha256.digest());
        if (!actual.equals(blob.digest())) {
            throw DigestMismatchException.ofDigest(blob.digest(), actual, where);
        }
    }

    /** Whether a scanned member is a blob left by a write that did not complete. */
    static boolean isPartial(ArchiveMember member) {
        return member.name().startsWith(PARTIAL_PREFIX);
    }

    /**
     * The region of a member left under the temporary name, as the region to write {@code blob} into: a
     * member this writer itself laid out for a blob of that digest and size, else null.
     */
    static ArchiveMember reusableFor(ArchiveMember partial, Descriptor blob) {
        boolean sameLayout = partial.name().equals(PARTIAL_PREFIX + blob.digest()) && partial.size() == blob.size()
                && partial.data() - partial.start() == TarHeaders.member(partial.name(), blob.size(), TarHeaders.REGULAR, 0644, 0).length;
        return sameLayout ? partial : null;
    }

    /** The digest a partial member was written for, or null when its name is not this writer's. */
    static Digest partialDigestOf(ArchiveMember member) {
        try {
            return isPartial(member) ? Digest.parse(member.name().substring(PARTIAL_PREFIX.length())) : null;
        } catch (RuntimeException e) {
            return null;
        }
    }

    /** The digest a final blob member's name gives, or null when the name is not {@code blobs/sha256:<hex>}. */
    static Digest digestOf(ArchiveMember member) {
        if (!member.isRegularFile() || !member.name().startsWith("blobs/") || member.name().indexOf('/', 6) >= 0) {
            return null;
        }
        try {
            return Digest.parse(member.name().substring(6));
        } catch (RuntimeException e) {
            return null;
        }
    }
}
