package dev.stevedore.image.registry;

import dev.stevedore.image.oci.Descriptor;
import dev.stevedore.image.reference.Digest;
import dev.stevedore.image.reference.ImageReference;
import java.io.ByteArrayInputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Run in a separate JVM with a small heap by {@link ManyUploadsMemoryTest}: pushes COUNT distinct 1 KB
 * blobs, four at a time, as a push of a large images directory does, and prints how many went up.
 * Exits non-zero on any failure (an OutOfMemoryError included). Arguments: registry host:port, count.
 */
public final class ManyUploadsMain {

    private ManyUploadsMain() {
    }

    public static void main(String[] args) throws Exception {
        String registry = args[0];
        int count = Integer.parseInt(args[1]);
        ImageReference image = ImageReference.parse(registry + "/many/uploads:1");
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try (RegistryTarget target = new RegistryTarget(Settings.of(List.of(Settings.plain(registry))))) {
            List<Future<?>> uploads = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                byte[] content = ByteBuffer.allocate(1024).putInt(i).array();
                Descriptor blob = new Descriptor("application/octet-stream", Digest.sha256Of(content), content.length);
                uploads.add(pool.submit(() -> {
                    target.writeBlob(image, blob, () -> new ByteArrayInputStream(content));
                    return null;
                }));
            }
            for (Future<?> upload : uploads) {
                upload.get();
            }
            System.out.println("uploaded " + uploads.size() + " blobs, max heap " + Runtime.getRuntime().maxMemory());
        } finally {
            pool.shutdownNow();
        }
    }
}
