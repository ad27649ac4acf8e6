package dev.stevedore.image.store;

import dev.stevedore.image.oci.Descriptor;
import dev.stevedore.image.reference.ImageReference;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One layout's {@code index.json} as last read, kept while the file is that same version: it is read again only
 * when its file key (the inode), modification time, change time or size changed, as they do whenever any writer
 * renames a new index into place. A task copying thousands of images into a layout then parses the file once per change
 * instead of once per image: before, each image's lookup parsed it whole, which made a re-run of N images cost
 * N parses of an index of N entries. Thread-safe; a writer holds the layout's locks between {@link #forUpdate}
 * and {@link #written}.
 */
final class OciIndexCache {

    /**
     * What identifies one version of the file. The change time is the inode's ({@code unix:ctime}, where the
     * file system has one): any write, rename or change of the modification time moves it, so an edit in place
     * that keeps the size and puts the modification time back is still seen.
     */
    private record Version(Object fileKey, FileTime modified, Object changed, long size) {
    }

    /** The file's index at one version, and its named images (the last entry of a name wins, as in skopeo). */
    private record Snapshot(Version version, OciIndexFile index, Map<ImageReference, Descriptor> named) {
    }

    /** A copy of the index to change, and the named images of the version it was copied from. */
    record Update(OciIndexFile index, Map<ImageReference, Descriptor> named) {
    }

    private static final Snapshot ABSENT = new Snapshot(null, OciIndexFile.empty(), Map.of());

    private final Path file;
    private volatile Snapshot snapshot;
    private volatile boolean unixView = true;

    OciIndexCache(Path file) {
        this.file = file;
    }

    /** The named images as the file holds them now; an absent file names none. */
    Map<ImageReference, Descriptor> named() throws IOException {
        return current().named();
    }

    /** A copy of the index as the file holds it now, for a writer holding the locks to change and write. */
    Update forUpdate() throws IOException {
        Snapshot now = current();
        return new Update(now.index().copy(), now.named());
    }

    /**
     * The writer holding the locks renamed {@code update}'s index into place, with {@code names} pointed at their
     * descriptors: that is the file's version now, as no other writer can have replaced it meanwhile.
     */
    void written(Update update, Map<ImageReference, Descriptor> names) throws IOException {
        Map<ImageReference, Descriptor> named = new HashMap<>(update.named());
        named.putAll(names);
        Version version = version();
        snapshot = version == null ? null : new Snapshot(version, update.index(), Collections.unmodifiableMap(named));
    }

    private Snapshot current() throws IOException {
        Version version = version();
        if (version == null) {
            return ABSENT;
        }
        Snapshot cached = snapshot;
        if (cached != null && cached.version().equals(version)) {
            return cached;
        }
        // One thread reads; the others wait for its snapshot. When the copy's threads all start by looking up
        // their images, each reading the file at once held as many parsed copies of it as there were threads.
        synchronized (this) {
            cached = snapshot;
            if (cached != null && cached.version().equals(version)) {
                return cached;
            }
            // Read after the version was taken: the content is at least that new, so a change in between is
            // seen as a change at the next look, never hidden.
            OciIndexFile index = OciIndexFile.read(file);
            Map<ImageReference, Descriptor> named = new HashMap<>();
            index.entries().forEach(entry -> named.put(entry.reference(), entry.descriptor()));
            Snapshot read = new Snapshot(version, index, Collections.unmodifiableMap(named));
            snapshot = read;
            return read;
        }
    }

    private Version version() throws IOException {
        try {
            BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
            return new Version(Objects.requireNonNullElse(attributes.fileKey(), ""), attributes.lastModifiedTime(), changeTime(),
                    attributes.size());
        } catch (NoSuchFileException absent) {
            return null;
        }
    }

    private Object changeTime() throws IOException {
        if (!unixView) {
            return "";
        }
        try {
            return Files.getAttribute(file, "unix:ctime");
        } catch (UnsupportedOperationException | IllegalArgumentException noUnixView) {
            unixView = false; // another platform: the file key, modification time and size decide
            return "";
        }
    }
}
