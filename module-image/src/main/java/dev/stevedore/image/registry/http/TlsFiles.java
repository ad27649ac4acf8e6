package dev.stevedore.image.registry.http;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Reads the files a task names for TLS ({@code ca_file}, {@code cert_file}, {@code key_file}). A file
 * that is missing, a folder or unreadable gets an error naming the key and saying which, instead of
 * the bare path the JDK's {@code NoSuchFileException} carries.
 */
final class TlsFiles {

    private TlsFiles() {
    }

    static byte[] read(String key, Path file) throws IOException {
        if (!Files.exists(file)) {
            throw new IOException(key + " " + file + " does not exist" + relativeNote(file));
        }
        if (Files.isDirectory(file)) {
            throw new IOException(key + " " + file + " is a folder, not a file");
        }
        try {
            return Files.readAllBytes(file);
        } catch (AccessDeniedException e) {
            throw new IOException(key + " " + file + " cannot be read: permission denied", e);
        }
    }

    private static String relativeNote(Path file) {
        return file.isAbsolute() ? "" : " (a relative path is read from the folder stevedore runs in, "
                + Path.of("").toAbsolutePath() + ")";
    }
}
