package dev.stevedore.image.copy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.Mockito.doThrow;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import dev.stevedore.image.error.ImageException;
import dev.stevedore.image.target.ForeignLayerSource;
import dev.stevedore.image.target.ImageTarget;
import dev.stevedore.spi.TaskLog;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The seam between a copy and its stores: what closing them at the end of a copy reports. */
class TargetsTest {

    private final Map<Path, ImageTarget> stores = new HashMap<>();
    private final TargetFactory factory = new TargetFactory() {
        @Override
        public ImageTarget registries() {
            throw new AssertionError("no registry here");
        }

        @Override
        public ImageTarget directory(Location.Kind kind, Path path) {
            return stores.get(path.getFileName());
        }

        @Override
        public ForeignLayerSource foreignLayers() {
            throw new AssertionError("no foreign layers here");
        }
    };
    private final TaskLog log = mock(TaskLog.class);

    private ImageTarget store(String name, IOException onClose) throws IOException {
        ImageTarget target = mock(ImageTarget.class);
        when(target.describe()).thenReturn("store " + name);
        if (onClose != null) {
            doThrow(onClose).when(target).close();
        }
        stores.put(Path.of(name), target);
        return target;
    }

    private static Location local(String name) {
        return Location.parse("local:///srv/" + name, "dest");
    }

    @Test
    void aDestinationThatCannotCloseFailsTheCopyAfterEveryTargetClosed() throws IOException {
        IOException full = new IOException("No space left on device");
        ImageTarget source = store("source", null);
        ImageTarget destination = store("bundle", full);
        ImageTarget other = store("other", new IOException("the second failure"));
        Targets targets = new Targets(factory, log);
        targets.of(local("source"));
        targets.destination(local("bundle"));
        targets.destination(local("other"));

        UnfinishedDestinationsException e = assertThrows(UnfinishedDestinationsException.class, targets::close);

        assertTrue(e.getMessage().matches("could not finish writing store (bundle|other): .*; what was copied into it is kept, "
                + "and the next run finishes it"), e.getMessage());
        assertEquals(1, e.getSuppressed().length, "the other destination's failure comes along");
        assertTrue(e.getCause() == full || e.getSuppressed()[0].getCause() == full);
        ImageException bundle = e.reason(destination);
        assertEquals("could not finish writing store bundle: No space left on device; what was copied into it is kept, "
                + "and the next run finishes it", bundle.getMessage());
        assertSame(full, bundle.getCause());
        assertEquals("could not finish writing store other: the second failure; what was copied into it is kept, "
                + "and the next run finishes it", e.reason(other).getMessage());
        assertNull(e.reason(source), "a source is no destination of the copy");
        verify(source).close();
        verify(destination).close();
        verify(other).close();
    }

    @Test
    void aSourceThatCannotCloseIsOnlyLogged() throws IOException {
        ImageTarget source = store("source", new IOException("its staging folder was removed"));
        store("bundle", null);
        Targets targets = new Targets(factory, log);
        targets.of(local("source"));
        assertSame(stores.get(Path.of("bundle")), targets.destination(local("bundle")));

        targets.close();

        verify(source).close();
        verify(log).debug("closing store source failed: its staging folder was removed");
    }
}
