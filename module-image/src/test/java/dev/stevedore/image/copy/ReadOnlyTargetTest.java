package dev.stevedore.image.copy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stevedore.image.oci.Descriptor;
import dev.stevedore.image.reference.Digest;
import dev.stevedore.image.reference.ImageReference;
import dev.stevedore.image.testing.InMemoryTarget;
import dev.stevedore.image.testing.TestImages;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * A check run's target reads through to the real one and refuses every write, so that a write the
 * planning should never make fails the task instead of changing the destination; a mount, which a delta's
 * push plans with, is answered by whether it would succeed.
 */
class ReadOnlyTargetTest {

    private static final ImageReference HELLO = ImageReference.parse("registry.example/library/hello:1.0");
    private static final ImageReference OTHER = ImageReference.parse("registry.example/library/other:1.0");

    @Test
    void readsGoThroughAndEveryWriteIsRefusedWithoutReachingTheTarget() throws IOException {
        TestImages.TestImage image = TestImages.single("linux/amd64", "layer one");
        InMemoryTarget real = InMemoryTarget.registry("site").put(HELLO, image);
        ReadOnlyTarget target = new ReadOnlyTarget(real, false, false);
        Map.Entry<Digest, byte[]> config = image.blobs().entrySet().iterator().next();
        Descriptor blob = new Descriptor("application/vnd.oci.image.config.v1+json", config.getKey(), config.getValue().length);

        assertEquals(Optional.of(image.root().digest()), target.resolve(HELLO).map(Descriptor::digest));
        assertTrue(target.hasBlob(HELLO, blob));
        target.willWrite(OTHER); // would create a Harbor project: does nothing

        List<Executable> writes = List.of(
                () -> target.writeBlob(OTHER, blob, new ByteArrayInputStream(image.blobs().get(blob.digest()))),
                () -> target.writeManifest(OTHER, image.root()),
                () -> target.tag(OTHER, image.root()),
                () -> target.writeReferrer(OTHER, image.root()));
        for (Executable write : writes) {
            IllegalStateException refused = assertThrows(IllegalStateException.class, write);
            assertTrue(refused.getMessage().startsWith("check mode: "), refused.getMessage());
            assertTrue(refused.getMessage().contains(OTHER.toString()), refused.getMessage());
        }
        // A mount is answered, not made: whether the blob is in the repository to mount from.
        assertTrue(target.mountBlob(OTHER, blob, HELLO));
        assertFalse(target.mountBlob(OTHER, blob, ImageReference.parse("registry.example/library/empty:1.0")));
        assertEquals(List.of(), real.events(), "a write reached the target");
        assertEquals(Optional.empty(), real.tagged(OTHER.name(), "1.0"));
    }
}
