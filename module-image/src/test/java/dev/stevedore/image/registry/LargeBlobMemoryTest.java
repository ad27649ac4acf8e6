package dev.stevedore.image.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stevedore.image.reference.ImageReference;
import dev.stevedore.testsupport.RegistryServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Memory independent of blob size: a 300 MB blob is pushed from a file and pulled by a separate JVM
 * limited to a 64 MB heap, so the bound is real and not the test runner's. Tagged slow (about 10 s here)
 * so it can be excluded with {@code -DexcludedGroups=slow}.
 */
@Tag("slow")
class LargeBlobMemoryTest {

    static final long SIZE = 300L * 1024 * 1024;

    @TempDir
    Path folder;

    @Test
    void aThreeHundredMegabyteBlobIsPulledWithA64MegabyteHeap() throws Exception {
        try (RegistryServer registry = RegistryServer.start()) {
            TestImage.Blob blob = TestImage.writeLarge(folder, SIZE, 300);
            ImageReference image = ImageReference.parse(registry.hostPort() + "/large/blob:1");
            try (RegistryTarget target = new RegistryTarget(Settings.of(List.of(Settings.plain(registry.hostPort()))))) {
                target.uploadBlob(image, blob.descriptor(), blob.file());
            }
            Files.delete(blob.file());

            Path output = folder.resolve("pulled");
            String out = ChildJvm.run(folder.resolve("child.log"), List.of("-Xmx64m"), LargeBlobPullMain.class, registry.hostPort(),
                    image.toString(), blob.descriptor().digest().toString(), Long.toString(SIZE), output.toString());
            assertEquals(SIZE, Files.size(output));
            assertTrue(out.contains("streamed " + blob.descriptor().digest()), out);
        }
    }
}
