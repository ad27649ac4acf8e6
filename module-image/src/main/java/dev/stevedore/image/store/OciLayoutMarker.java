package dev.stevedore.image.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.stevedore.image.error.ImageException;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Optional;

/**
 * The {@code oci-layout} file of an OCI image layout: created once, checked on read, and the file every
 * writer of {@code index.json} locks. It is never replaced after creation, so all writers, in this
 * process or another, lock the same file.
 */
final class OciLayoutMarker {

    static final String NAME = "oci-layout";
    private static final byte[] CONTENT = "{\"imageLayoutVersion\":\"1.0.0\"}".getBytes(StandardCharsets.UTF_8);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final StoreRoot root;
    private final AtomicFiles files;
    private volatile boolean ensured;

    OciLayoutMarker(StoreRoot root, AtomicFiles files) {
        this.root = root;
        this.files = files;
    }

    /** Creates the layout on the first write; refuses a folder whose {@code oci-layout} is another version. */
    void ensure() throws IOException {
        if (ensured) {
            return;
        }
        Path marker = root.resolve(NAME);
        if (!checkIfPresent()) {
            try {
                files.createDirectories(root.path());
                files.writeBytesIfAbsent(marker, CONTENT);
            } catch (IOException e) {
                throw StoreFailures.onWrite(e, root.path(), "the OCI layout marker " + marker);
            }
            checkIfPresent();
        }
        ensured = true;
    }

    /** Checks {@code oci-layout} when it exists; returns whether it does. */
    boolean checkIfPresent() throws IOException {
        Path marker = root.resolve(NAME);
        Optional<byte[]> bytes = ManifestFiles.readSmall(marker);
        if (bytes.isEmpty()) {
            return false;
        }
        JsonNode version;
        try {
            version = JSON.readTree(bytes.get()).path("imageLayoutVersion");
        } catch (IOException e) {
            throw new ImageException(marker + " is not valid JSON; " + root + " is not a usable OCI image layout");
        }
        if (!version.asText("").startsWith("1.")) {
            throw new ImageException(root + " is an OCI image layout of version '" + version.asText("")
                    + "', we read version 1.x only");
        }
        return true;
    }

    /**
     * Runs {@code update} holding an exclusive OS lock on {@code oci-layout}. Another store instance of
     * this JVM holding the lock shows as an overlap: wait for it.
     */
    void locked(IOAction update) throws IOException {
        ensure();
        try (FileChannel channel = FileChannel.open(root.resolve(NAME), StandardOpenOption.READ, StandardOpenOption.WRITE);
                FileLock lock = lock(channel)) {
            update.run();
        }
    }

    /** Work done under the lock. */
    interface IOAction {
        void run() throws IOException;
    }

    private static FileLock lock(FileChannel channel) throws IOException {
        while (true) {
            try {
                return channel.lock();
            } catch (OverlappingFileLockException e) {
                try {
                    Thread.sleep(5);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw new ImageException("interrupted while waiting to update the index of the OCI layout", interrupted);
                }
            }
        }
    }
}
