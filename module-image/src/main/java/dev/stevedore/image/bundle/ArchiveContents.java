package dev.stevedore.image.bundle;

import dev.stevedore.image.store.archive.ArchiveStore;
import java.io.IOException;
import java.io.InputStream;
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

    @Override
    public Optional<String> cutOff() {
        return archive.torn();
    }
}
