package dev.stevedore.image.target;

import java.io.IOException;
import java.util.Optional;

/**
 * Files a bundle keeps at its root beside its images, which neither directory layout lists: the integrity
 * manifest, a delta bundle's marker. An images directory or an OCI layout holds them as files; a bundle
 * archive holds them as members, appended when it closes.
 */
public interface RootFiles {

    /** The file's bytes, or empty when the bundle has none. {@code name} is one plain file name. */
    Optional<byte[]> read(String name) throws IOException;

    /** Writes the file, replacing one of that name: atomically in a directory, at close in an archive. */
    void write(String name, byte[] content) throws IOException;
}
