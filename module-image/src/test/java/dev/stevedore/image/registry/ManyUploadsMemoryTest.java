package dev.stevedore.image.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stevedore.testsupport.RegistryServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Memory independent of how many blobs a push sends: 2,000 uploads in a separate JVM with a 24 MB heap
 * and the launcher's 64 KB HTTP buffers. Each upload's stall watch stays scheduled for the read timeout
 * (20 s here) after the upload ended; when it kept the response alive, this ran out of memory after a few
 * hundred uploads. Tagged slow (about 10 s here) so it can be excluded with {@code -DexcludedGroups=slow}.
 */
@Tag("slow")
class ManyUploadsMemoryTest {

    private static final int COUNT = 2000;

    @TempDir
    Path folder;

    @Test
    void twoThousandUploadsFitInA24MegabyteHeap() throws Exception {
        try (RegistryServer registry = RegistryServer.start()) {
            Path log = folder.resolve("child.log");
            Path java = Path.of(System.getProperty("java.home"), "bin", "java");
            Process child = new ProcessBuilder(java.toString(), "-Xmx24m", "-Djdk.httpclient.bufsize=65536",
                    "-cp", System.getProperty("java.class.path"), ManyUploadsMain.class.getName(), registry.hostPort(),
                    Integer.toString(COUNT))
                    .redirectErrorStream(true).redirectOutput(log.toFile()).start();
            try {
                assertTrue(child.waitFor(120, TimeUnit.SECONDS), "the uploads finished in time");
            } finally {
                child.destroyForcibly();
            }
            String out = Files.readString(log, StandardCharsets.UTF_8);
            assertEquals(0, child.exitValue(), out);
            assertTrue(out.contains("uploaded " + COUNT + " blobs"), out);
        }
    }
}
