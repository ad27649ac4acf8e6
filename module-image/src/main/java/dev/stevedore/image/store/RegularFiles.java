package dev.stevedore.image.store;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.OptionalLong;

/**
 * The one question every store asks of a file before it reads one: is there a regular file, and how large is it.
 * A link is not followed (a store never reads through one), and an absent file is an answer, not a failure.
 */
public final class RegularFiles {

    private RegularFiles() {
    }

    /** The size of the regular file {@code file}, or empty when there is none (absent, a folder, a link). */
    public static OptionalLong size(Path file) throws IOException {
        try {
            BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            return attributes.isRegularFile() ? OptionalLong.of(attributes.size()) : OptionalLong.empty();
        } catch (NoSuchFileException e) {
            return OptionalLong.empty();
        }
    }
}
