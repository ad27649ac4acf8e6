package dev.stevedore.image.bundle;

import dev.stevedore.image.store.archive.ArchiveStore;
import java.io.IOException;
import java.io.InputStream;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * A bundle archive as {@link BundleContents}: its members as {@code tar -x} would give them (the last member
 * of a name wins; blobs a killed write left under a temporary name are not members), read in place.
 */
public final class ArchiveContents implements BundleContents {

    private final ArchiveStore archive;

    public ArchiveContents(ArchiveStore archive) {
        this.archive = archive;
    }

    @Override
    public String describe() {
        return archive.describe();
    }

    @Override
    public List<String> members() throws IOException {
        return archive.members();
    }

    @Override
    public long size(String member) throws IOException {
        return archive.memberSize(member);
    }

    @Override
    public InputStream open(String member) throws IOException {
        return archive.openMember(member);
    }

    /** Blobs by where they lie in the archive, the staged metadata first: a disk then reads it front to back. */
    @Override
    public Optional<Comparator<String>> storageOrder() {
        return Optional.of(Comparator.comparingLong((String member) -> archive.memberOffset(member).orElse(-1))
                .thenComparing(Comparator.naturalOrder()));
    }

    @Override
    public Optional<String> cutOff() {
        return archive.torn();
    }
}
