package dev.stevedore.image.bundle;

import java.io.IOException;
import java.io.InputStream;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * The members of a bundle, whatever holds them: a KubeKey images directory ({@link DirectoryContents}) or
 * a bundle archive. Member names are relative, {@code /}-separated paths in the images-directory layout
 * ({@code blobs/sha256:<hex>}, {@code <registry>/<repository>/manifests/<tag>}, {@value IntegrityManifest#FILE_NAME}).
 * Implementations must allow {@link #open} from several threads at once.
 */
public interface BundleContents {

    /** What the contents are, for messages: {@code images directory /srv/bundle}. */
    String describe();

    /** Every regular member, sorted; temporary files and links are not members. */
    List<String> members() throws IOException;

    /**
     * The members in {@code folder} and below it ({@code blobs}), sorted. The default picks them out of
     * {@link #members()}; a directory walks only that folder.
     */
    default List<String> members(String folder) throws IOException {
        String prefix = folder + "/";
        return members().stream().filter(member -> member.startsWith(prefix)).toList();
    }

    /** The size of a member in bytes. */
    long size(String member) throws IOException;

    /** Streams a member's bytes; the caller closes the stream. */
    InputStream open(String member) throws IOException;

    /**
     * The order in which members are cheapest to read one after the other, when there is one (an archive's: as
     * they lie in its file); empty when reading them in any order costs the same (a directory's files).
     */
    default Optional<Comparator<String>> storageOrder() {
        return Optional.empty();
    }

    /**
     * Why the members past some point could not be listed (an archive cut off, or corrupt, there), so that
     * {@link #members()} holds only those before it; empty when every member was listed.
     */
    default Optional<String> cutOff() {
        return Optional.empty();
    }
}
