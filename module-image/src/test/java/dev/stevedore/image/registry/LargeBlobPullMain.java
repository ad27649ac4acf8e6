package dev.stevedore.image.registry;

import dev.stevedore.image.oci.Descriptor;
import dev.stevedore.image.reference.Digest;
import dev.stevedore.image.reference.ImageReference;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Run in a separate JVM with a small heap by {@link LargeBlobMemoryTest}: downloads a blob to a file
 * and streams it once more, printing the digests. Exits non-zero on any failure.
 * Arguments: registry host:port, image reference, digest, size, output file.
 */
public final class LargeBlobPullMain {

    private LargeBlobPullMain() {
    }

    public static void main(String[] args) throws Exception {
        String registry = args[0];
        ImageReference image = ImageReference.parse(args[1]);
        Descriptor blob = new Descriptor("application/octet-stream", Digest.parse(args[2]), Long.parseLong(args[3]));
        Path output = Path.of(args[4]);
        try (RegistryTarget target = new RegistryTarget(Settings.of(List.of(Settings.plain(registry))))) {
            target.downloadBlob(image, blob, output);
            System.out.println("downloaded " + Files.size(output) + " bytes, max heap " + Runtime.getRuntime().maxMemory());
            try (InputStream in = target.openBlob(image, blob)) {
                System.out.println("streamed " + TestImage.sha256(in));
            }
        }
    }
}
