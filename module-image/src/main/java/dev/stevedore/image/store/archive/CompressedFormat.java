package dev.stevedore.image.store.archive;

import java.util.Optional;

/**
 * The compressions an operator may have put a bundle through to carry it (a bundle archive is plain tar),
 * told by their magic numbers, so that refusing such a file can say how to get the tar back: gzip (RFC 1952),
 * zstd (RFC 8878), xz and bzip2.
 *
 * @param name       what the format is called
 * @param decompress the command that gives the tar back
 */
record CompressedFormat(String name, String decompress) {

    private static final int[] GZIP = {0x1f, 0x8b};
    private static final int[] ZSTD = {0x28, 0xb5, 0x2f, 0xfd};
    private static final int[] XZ = {0xfd, '7', 'z', 'X', 'Z', 0x00};
    private static final int[] BZIP2 = {'B', 'Z', 'h'};

    /** The format whose magic number {@code head} (a file's first bytes) starts with, if any. */
    static Optional<CompressedFormat> of(byte[] head) {
        if (startsWith(head, GZIP)) {
            return Optional.of(new CompressedFormat("gzip", "gunzip"));
        }
        if (startsWith(head, ZSTD)) {
            return Optional.of(new CompressedFormat("zstd", "unzstd"));
        }
        if (startsWith(head, XZ)) {
            return Optional.of(new CompressedFormat("xz", "unxz"));
        }
        if (startsWith(head, BZIP2)) {
            return Optional.of(new CompressedFormat("bzip2", "bunzip2"));
        }
        return Optional.empty();
    }

    private static boolean startsWith(byte[] head, int[] magic) {
        if (head.length < magic.length) {
            return false;
        }
        for (int i = 0; i < magic.length; i++) {
            if ((head[i] & 0xff) != magic[i]) {
                return false;
            }
        }
        return true;
    }
}
