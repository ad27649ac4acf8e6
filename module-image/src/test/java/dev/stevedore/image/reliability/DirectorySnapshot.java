package dev.stevedore.image.reliability;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Every path under some roots with its kind, size and modification time: two snapshots are equal only
 * if nothing was created, deleted, written or touched in between. Folders named in {@code skipped}
 * (such as a build's {@code target}) are left out.
 *
 * @param entries "root-index:relative path" to "kind size mtime"
 */
record DirectorySnapshot(Map<String, String> entries) {

    static DirectorySnapshot of(Set<String> skipped, Path... roots) {
        Map<String, String> entries = new TreeMap<>();
        for (int i = 0; i < roots.length; i++) {
            Path root = roots[i];
            if (!Files.exists(root, LinkOption.NOFOLLOW_LINKS)) {
                entries.put(i + ":", "absent");
                continue;
            }
            try (Stream<Path> paths = Files.walk(root)) {
                int index = i;
                paths.filter(p -> root.relativize(p).getNameCount() == 0 || !skipped.contains(root.relativize(p).getName(0).toString()))
                        .forEach(p -> entries.put(index + ":" + root.relativize(p), describe(p)));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return new DirectorySnapshot(Map.copyOf(entries));
    }

    private static String describe(Path path) {
        try {
            BasicFileAttributes attributes = Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            String kind = attributes.isDirectory() ? "dir" : attributes.isSymbolicLink() ? "link" : "file";
            return kind + " " + (attributes.isDirectory() ? "" : attributes.size()) + " " + attributes.lastModifiedTime().toMillis();
        } catch (IOException e) {
            return "unreadable";
        }
    }

    /** What differs from {@code later}, for assertion messages. */
    String diff(DirectorySnapshot later) {
        StringBuilder diff = new StringBuilder();
        new TreeMap<>(entries).forEach((path, what) -> {
            if (!what.equals(later.entries.get(path))) {
                diff.append("\n  changed or removed: ").append(path);
            }
        });
        new TreeMap<>(later.entries).forEach((path, what) -> {
            if (!entries.containsKey(path)) {
                diff.append("\n  created: ").append(path);
            }
        });
        return diff.toString();
    }
}
