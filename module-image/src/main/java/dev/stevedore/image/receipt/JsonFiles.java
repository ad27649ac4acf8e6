package dev.stevedore.image.receipt;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;

/** Writes the receipt package's JSON files: indented, to a {@code .tmp-} file beside the target, mode 0644, renamed into place. */
final class JsonFiles {

    static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private JsonFiles() {
    }

    /** The bytes {@link #write} writes: indented JSON and a newline. */
    static byte[] bytesOf(JsonNode content) throws IOException {
        return (JSON.writeValueAsString(content) + "\n").getBytes(StandardCharsets.UTF_8);
    }

    static void write(Path file, JsonNode content) throws IOException {
        Path absolute = file.toAbsolutePath();
        Path folder = absolute.getParent();
        Files.createDirectories(folder);
        // The .tmp- prefix is one neither directory layout lists, should a crash leave the file behind.
        Path temporary = Files.createTempFile(folder, ".tmp-" + absolute.getFileName() + "-", "");
        try {
            Files.write(temporary, bytesOf(content));
            try {
                Files.setPosixFilePermissions(temporary, PosixFilePermissions.fromString("rw-r--r--"));
            } catch (UnsupportedOperationException e) {
                // not a POSIX file system: its default mode stands
            }
            Files.move(temporary, absolute, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(temporary);
        }
    }
}
