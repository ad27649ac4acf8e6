package dev.stevedore.image.store;

import dev.stevedore.image.error.ImageException;
import java.nio.file.Path;
import java.util.Objects;

/**
 * The root folder of a directory store, and the only way to build paths under it. Names reach here
 * already parsed by the reference grammar; this is the second line of defence: every name must be one
 * plain path component, and the resolved path must stay inside the root after normalization.
 */
final class StoreRoot {

    private final Path root;

    StoreRoot(Path directory) {
        this.root = Objects.requireNonNull(directory, "directory").toAbsolutePath().normalize();
    }

    Path path() {
        return root;
    }

    /**
     * {@code root/a/b/...}, where each part is a file name or a {@code /}-separated relative path of
     * file names (a repository). Rejects empty parts, {@code .}, {@code ..}, back-slashes and NUL.
     */
    Path resolve(String... parts) throws ImageException {
        Path path = root;
        for (String part : parts) {
            for (String name : part.split("/", -1)) {
                checkName(name, part);
                path = path.resolve(name);
            }
        }
        return requireInside(path);
    }

    /** {@code folder/name} for a folder already under the root and one plain file name. */
    Path child(Path folder, String name) throws ImageException {
        checkName(name, name);
        return requireInside(folder.resolve(name));
    }

    /** Fails unless {@code path} normalizes to the root or a path below it. */
    Path requireInside(Path path) throws ImageException {
        Path normalized = path.toAbsolutePath().normalize();
        if (!normalized.startsWith(root)) {
            throw new ImageException("refusing path " + path + ": it leaves the store directory " + root);
        }
        return normalized;
    }

    private void checkName(String name, String part) throws ImageException {
        if (name.isEmpty() || name.equals(".") || name.equals("..") || name.indexOf('\\') >= 0 || name.indexOf('\0') >= 0) {
            throw new ImageException("refusing path component '" + part + "' under " + root
                    + ": it is not a plain file name");
        }
    }

    @Override
    public String toString() {
        return root.toString();
    }
}
