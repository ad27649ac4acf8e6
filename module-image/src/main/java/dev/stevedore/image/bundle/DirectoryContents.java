package dev.stevedore.image.bundle;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;

/**
 * A KubeKey images directory as {@link BundleContents}. Temporary files ({@code .tmp-} names, left by a
 * write in progress or a cut download) and symbolic links are not members, as the stores never read them.
 * Member names never leave the directory: they come from the walk, and {@link #open} refuses any other.
 */
public final class DirectoryContents implements BundleContents {

    private static final String TEMP_PREFIX = ".tmp-";

    private final Path root;

    public DirectoryContents(Path directory) {
        this.root = directory.toAbsolutePath().normalize();
    }

    public Path directory() {
        return root;
    }

    @Override
    public String describe() {
        return "images directory " + root;
    }

    @Override
    public List<String> members() throws IOException {
        return walk(root);
    }

    /** Walks {@code folder} alone: the inventory's blobs, without the repositories' folders beside them. */
    @Override
    public List<String> members(String folder) throws IOException {
        Path start = path(folder);
        return Files.isDirectory(start, LinkOption.NOFOLLOW_LINKS) ? walk(start) : List.of();
    }

    private List<String> walk(Path start) throws IOException {
        List<String> members = new ArrayList<>();
        Files.walkFileTree(start, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) {
                if (attributes.isRegularFile() && !file.getFileName().toString().startsWith(TEMP_PREFIX)) {
                    members.add(name(file));
                }
                return FileVisitResult.CONTINUE;
            }
        });
        members.sort(null);
        return members;
    }

    @Override
    public long size(String member) throws IOException {
        return Files.readAttributes(path(member), BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS).size();
    }

    @Override
    public InputStream open(String member) throws IOException {
        return Files.newInputStream(path(member), LinkOption.NOFOLLOW_LINKS);
    }

    private String name(Path file) {
        return root.relativize(file).toString().replace(file.getFileSystem().getSeparator(), "/");
    }

    private Path path(String member) throws NoSuchFileException {
        Path path = root.resolve(member).normalize();
        if (!path.startsWith(root) || path.equals(root)) {
            throw new NoSuchFileException(member, null, "not a member of " + describe());
        }
        return path;
    }
}
