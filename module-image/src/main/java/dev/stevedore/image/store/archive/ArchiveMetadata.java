package dev.stevedore.image.store.archive;

import dev.stevedore.image.error.ImageException;
import dev.stevedore.image.reference.Digest;
import dev.stevedore.image.store.KubeKeyLayoutStore;
import dev.stevedore.image.store.StoreOptions;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Everything of the bundle that is not a blob (manifests, tag files, {@code manifests/layout} tag lists),
 * staged in a private temporary directory as a KubeKey images directory, so that the one
 * {@link KubeKeyLayoutStore} logic reads and writes it and its files are byte for byte those a pull into
 * a directory writes. These files are small (a manifest is at most a few megabytes) and change during a
 * run; blobs never come here. At close, the files that are new or changed since the archive was opened
 * become members at the archive's end (a later member of the same name wins, as for {@code tar -x}).
 */
final class ArchiveMetadata implements AutoCloseable {

    /** Larger than any manifest or tag list: such a member is not metadata we read. */
    private static final long MAX_MEMBER = 64L << 20;

    /** A file or folder to append, by its archive name. */
    record Entry(String name, Path file, boolean directory) {

        /** The length of the member {@link #writeMember} writes. */
        long memberLength() throws IOException {
            long size = directory ? 0 : Files.size(file);
            return headers(size, 0).length + TarHeaders.padded(size);
        }

        /** Writes the member: its headers, and a file's content padded to whole blocks. */
        void writeMember(long mtimeSeconds, OutputStream out) throws IOException {
            long size = directory ? 0 : Files.size(file);
            out.write(headers(size, mtimeSeconds));
            if (directory) {
                return;
            }
            long copied;
            try (InputStream in = Files.newInputStream(file)) {
                copied = in.transferTo(out);
            }
            if (copied != size) {
                throw new ImageException("the staged file " + file + " changed while its bundle was closed");
            }
            out.write(new byte[(int) (TarHeaders.padded(size) - size)]);
        }

        private byte[] headers(long size, long mtimeSeconds) {
            return directory ? TarHeaders.member(name + "/", 0, TarHeaders.DIRECTORY, 0755, mtimeSeconds)
                    : TarHeaders.member(name, size, TarHeaders.REGULAR, 0644, mtimeSeconds);
        }
    }

    /** The content of a member of the archive, however its file holds it. */
    @FunctionalInterface
    interface MemberContent {
        InputStream open(ArchiveMember member) throws IOException;
    }

    private final Path staging;
    private final KubeKeyLayoutStore store;
    private final Map<String, Digest> inArchive = new HashMap<>();
    private final Set<String> foldersInArchive = new HashSet<>();

    private ArchiveMetadata(Path staging, StoreOptions options) {
        this.staging = staging;
        this.store = KubeKeyLayoutStore.open(staging, options);
    }

    /** Stages the metadata members of {@code members} (the last of a name wins), read through {@code content}. */
    static ArchiveMetadata stage(List<ArchiveMember> members, MemberContent content, StoreOptions options) throws IOException {
        ArchiveMetadata metadata = new ArchiveMetadata(Files.createTempDirectory("stevedore-bundle-"), options);
        try {
            for (ArchiveMember member : members) {
                boolean metadataName = isMetadataName(member.name());
                if (member.isDirectory() && (metadataName || member.name().equals("blobs"))) {
                    metadata.foldersInArchive.add(member.name());
                } else if (metadataName && member.isRegularFile() && member.size() <= MAX_MEMBER) {
                    metadata.inArchive.put(member.name(), metadata.copyIn(content, member));
                }
            }
            return metadata;
        } catch (IOException | RuntimeException e) {
            metadata.close();
            throw e;
        }
    }

    KubeKeyLayoutStore store() {
        return store;
    }

    /**
     * Folders not yet in the archive and files new or changed since it was opened, parents first; the
     * {@code blobs} folder too when the archive lacks it, so that {@code tar -x} gives it the mode a pull
     * into a directory does.
     */
    List<Entry> changes() throws IOException {
        List<Entry> entries = new ArrayList<>();
        if (!foldersInArchive.contains("blobs")) {
            entries.add(new Entry("blobs", staging, true));
        }
        try (Stream<Path> walk = Files.walk(staging)) {
            for (Path path : walk.sorted(Comparator.comparing(Path::toString)).toList()) {
                if (path.equals(staging) || isTemporary(path)) {
                    continue;
                }
                String name = staging.relativize(path).toString().replace('\\', '/');
                if (Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS)) {
                    if (!foldersInArchive.contains(name)) {
                        entries.add(new Entry(name, path, true));
                    }
                } else if (Files.isRegularFile(path, LinkOption.NOFOLLOW_LINKS) && !hash(path).equals(inArchive.get(name))) {
                    entries.add(new Entry(name, path, false));
                }
            }
        }
        return entries;
    }

    /** Every staged file by its member name, sorted; temporary files are not members. */
    List<String> files() throws IOException {
        try (Stream<Path> walk = Files.walk(staging)) {
            return walk.filter(path -> Files.isRegularFile(path, LinkOption.NOFOLLOW_LINKS) && !isTemporary(path))
                    .map(path -> staging.relativize(path).toString().replace('\\', '/')).sorted().toList();
        }
    }

    /** The staged file of a member name {@link #files} gives, or null for any other name. */
    Path file(String name) {
        if (!isMetadataName(name)) {
            return null;
        }
        Path path = staging.resolve(name).normalize();
        return path.startsWith(staging) && Files.isRegularFile(path, LinkOption.NOFOLLOW_LINKS) ? path : null;
    }

    /** Whether any file differs from the archive's: only then is there metadata to append. */
    static boolean hasFiles(List<Entry> changes) {
        return changes.stream().anyMatch(e -> !e.directory());
    }

    /** Deletes the staging directory. */
    @Override
    public void close() throws IOException {
        if (!Files.exists(staging)) {
            return;
        }
        Files.walkFileTree(staging, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Files.delete(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
                Files.delete(dir);
                return FileVisitResult.CONTINUE;
            }
        });
    }

    /**
     * Whether a member name is metadata we stage: a relative path of plain names, outside {@code blobs/},
     * not a temporary file. Any other name (absolute, {@code ..}, a blob) never becomes a path here.
     */
    static boolean isMetadataName(String name) {
        if (name.isEmpty() || name.startsWith("/")) {
            return false;
        }
        String[] parts = name.split("/", -1);
        if (parts[0].equals("blobs")) {
            return false;
        }
        for (String part : parts) {
            if (part.isEmpty() || part.equals(".") || part.equals("..") || part.indexOf('\\') >= 0 || part.indexOf('\0') >= 0
                    || part.startsWith(".tmp-")) {
                return false;
            }
        }
        return true;
    }

    private Digest copyIn(MemberContent content, ArchiveMember member) throws IOException {
        Path target = staging.resolve(member.name()).normalize();
        if (!target.startsWith(staging)) {
            throw new IllegalStateException("member name escapes the staging directory: " + member.name());
        }
        Files.createDirectories(target.getParent());
        MessageDigest sha256 = Digest.newSha256();
        try (InputStream in = new DigestInputStream(content.open(member), sha256); OutputStream out = Files.newOutputStream(target)) {
            in.transferTo(out);
        }
        return Digest.of(sha256.digest());
    }

    private static Digest hash(Path file) throws IOException {
        MessageDigest sha256 = Digest.newSha256();
        try (InputStream in = new DigestInputStream(Files.newInputStream(file, LinkOption.NOFOLLOW_LINKS), sha256)) {
            in.transferTo(OutputStream.nullOutputStream());
        }
        return Digest.of(sha256.digest());
    }

    private static boolean isTemporary(Path path) {
        return path.getFileName().toString().startsWith(".tmp-");
    }
}
