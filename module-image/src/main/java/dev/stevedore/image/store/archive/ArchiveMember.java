package dev.stevedore.image.store.archive;

/**
 * One member of the archive as its headers describe it.
 *
 * @param name   the path inside the archive, without a leading {@code ./}
 * @param type   the ustar type flag ({@code '0'} regular file, {@code '5'} directory, ...)
 * @param start  the logical offset of the member's first header block (a PAX header when it has one)
 * @param data   the logical offset of its content
 * @param size   its content's length in bytes
 */
record ArchiveMember(String name, byte type, long start, long data, long size) {

    /** The offset just after the member's padded content: where the next member starts. */
    long end() {
        return data + TarHeaders.padded(size);
    }

    boolean isRegularFile() {
        return type == TarHeaders.REGULAR || type == 0 || type == '7';
    }

    boolean isDirectory() {
        return type == TarHeaders.DIRECTORY;
    }
}
