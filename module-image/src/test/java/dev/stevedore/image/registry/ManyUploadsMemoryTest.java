package dev.stevedore.image.registry;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stevedore.testsupport.RegistryServer;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Memory independent of how many blobs a push sends: 2,000 uploads in a separate JVM with a 24 MB heap
 * and the launcher's 64 KB HTTP buffers. Each upload's stall watch stays scheduled for the read timeout
 * (20 s here) after the upload ended; when it kept the response alive, this ran out of memory after a few
 * hundred uploads. Tagged slow (about 15 s here) so it can be excluded with {@code -DexcludedGroups=slow}.
 */
@Tag("slow")
class ManyUploadsMemoryTest {

    private static final int COUNT = 2000;

    @TempDir
    Path folder;

    @Test
    void twoThousandUploadsFitInA24MegabyteHeap() throws Exception {
        try (RegistryServer registry = RegistryServer.start()) {
            String out = ChildJvm.run(folder.resolve("child.log"), List.of("-Xmx24m", "-Djdk.httpclient.bufsize=65536"),
                    ManyUploadsMain.class, registry.hostPort(), Integer.toString(COUNT));
            assertTrue(out.contains("uploaded " + COUNT + " blobs"), out);
        }
    }
}
