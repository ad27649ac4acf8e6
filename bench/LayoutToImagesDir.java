import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Makes a KubeKey images directory out of an OCI image layout written by GenerateImages.java, of hard links
 * to the layout's files: {@code blobs/sha256:<hex>} for every blob, and
 * {@code REGISTRY/bench/<tag>/manifests/<tag>} for every tagged image. For seeding a registry with
 * Stevedore's own push (bench/scale.sh): in one process, as a shell loop of {@code ln} took minutes for
 * thousands of files on a busy machine.
 *
 * <p>Usage: {@code java bench/LayoutToImagesDir.java LAYOUT IMAGES_DIR REGISTRY}
 */
public final class LayoutToImagesDir {

    /** An index.json entry as GenerateImages writes it: the digest, then the tag in its annotation. */
    private static final Pattern ENTRY = Pattern.compile(
            "\"digest\":\"sha256:([0-9a-f]{64})\",\"size\":[0-9]+,\"annotations\":\\{\"org\\.opencontainers\\.image\\.ref\\.name\":\"([^\"]+)\"");

    public static void main(String[] args) throws Exception {
        Path layout = Path.of(args[0]);
        Path dir = Path.of(args[1]);
        Path registry = dir.resolve(args[2]);
        Path blobs = Files.createDirectories(dir.resolve("blobs"));
        try (Stream<Path> files = Files.list(layout.resolve("blobs/sha256"))) {
            for (Path blob : (Iterable<Path>) files::iterator) {
                Files.createLink(blobs.resolve("sha256:" + blob.getFileName()), blob);
            }
        }
        Matcher entry = ENTRY.matcher(Files.readString(layout.resolve("index.json")));
        int images = 0;
        while (entry.find()) {
            String tag = entry.group(2);
            Path manifests = Files.createDirectories(registry.resolve("bench").resolve(tag).resolve("manifests"));
            Files.createLink(manifests.resolve(tag), layout.resolve("blobs/sha256").resolve(entry.group(1)));
            images++;
        }
        System.out.println(images);
    }
}
