import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.SplittableRandom;
import java.util.zip.Deflater;
import java.util.zip.GZIPOutputStream;

/**
 * Writes deterministic benchmark images into an OCI image layout, one index.json entry per image
 * (annotation org.opencontainers.image.ref.name = the image's tag), ready for
 * {@code skopeo copy --all oci:DIR:TAG docker://REGISTRY/bench/imgN:TAG}.
 *
 * <p>Layers are gzip'd tars of pseudo-random bytes (incompressible, as real layers mostly are), seeded
 * per image/platform/layer so every run produces the same bytes. Streamed to disk: a 2 GB layer never
 * sits in memory.
 *
 * <p>Usage: {@code java bench/GenerateImages.java DIR IMAGES PLATFORMS LAYERS LAYER_BYTES SHARED_BASE(true|false)}
 * Prints one line per image: its tag.
 */
public final class GenerateImages {

    private final Path root;

    GenerateImages(Path root) {
        this.root = root;
    }

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        int images = Integer.parseInt(args[1]);
        int platforms = Integer.parseInt(args[2]);
        int layers = Integer.parseInt(args[3]);
        long layerBytes = Long.parseLong(args[4]);
        boolean sharedBase = Boolean.parseBoolean(args[5]);
        new GenerateImages(dir).generate(images, platforms, layers, layerBytes, sharedBase);
    }

    private record Blob(String digest, long size, String diffId) {
    }

    void generate(int images, int platforms, int layers, long layerBytes, boolean sharedBase) throws Exception {
        Files.createDirectories(root.resolve("blobs/sha256"));
        Files.writeString(root.resolve("oci-layout"), "{\"imageLayoutVersion\":\"1.0.0\"}");
        String[][] arch = {{"amd64", ""}, {"arm64", "v8"}};
        Blob base = sharedBase ? layer(1L << 40, layerBytes) : null;
        List<String> refs = new ArrayList<>();
        for (int i = 0; i < images; i++) {
            String tag = "img" + i;
            List<String> entries = new ArrayList<>();
            String single = null;
            for (int p = 0; p < platforms; p++) {
                List<Blob> blobs = new ArrayList<>();
                for (int l = 0; l < layers; l++) {
                    blobs.add(l == 0 && base != null ? base : layer(((long) i << 20) | ((long) p << 10) | l, layerBytes));
                }
                StringBuilder diffIds = new StringBuilder();
                StringBuilder layerJson = new StringBuilder();
                for (Blob b : blobs) {
                    diffIds.append(diffIds.length() == 0 ? "" : ",").append('"').append(b.diffId).append('"');
                    layerJson.append(layerJson.length() == 0 ? "" : ",")
                            .append("{\"mediaType\":\"application/vnd.oci.image.layer.v1.tar+gzip\",\"digest\":\"")
                            .append(b.digest).append("\",\"size\":").append(b.size).append('}');
                }
                String variant = arch[p][1].isEmpty() ? "" : ",\"variant\":\"" + arch[p][1] + "\"";
                Blob config = small(("{\"architecture\":\"" + arch[p][0] + "\",\"os\":\"linux\"" + variant
                        + ",\"config\":{\"Labels\":{\"bench\":\"" + tag + "\"}},\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[" + diffIds + "]}}"));
                String manifest = "{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\",\"config\":{\"mediaType\":\"application/vnd.oci.image.config.v1+json\",\"digest\":\""
                        + config.digest + "\",\"size\":" + config.size + "},\"layers\":[" + layerJson + "]}";
                Blob m = small(manifest);
                if (platforms == 1) {
                    single = "{\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\",\"digest\":\"" + m.digest + "\",\"size\":" + m.size;
                    break;
                }
                entries.add("{\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\",\"digest\":\"" + m.digest + "\",\"size\":" + m.size
                        + ",\"platform\":{\"architecture\":\"" + arch[p][0] + "\",\"os\":\"linux\"" + variant + "}}");
            }
            String top;
            if (single != null) {
                top = single;
            } else {
                Blob index = small("{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.index.v1+json\",\"manifests\":[" + String.join(",", entries) + "]}");
                top = "{\"mediaType\":\"application/vnd.oci.image.index.v1+json\",\"digest\":\"" + index.digest + "\",\"size\":" + index.size;
            }
            refs.add(top + ",\"annotations\":{\"org.opencontainers.image.ref.name\":\"" + tag + "\"}}");
            System.out.println(tag);
        }
        Files.writeString(root.resolve("index.json"), "{\"schemaVersion\":2,\"manifests\":[" + String.join(",", refs) + "]}");
    }

    private Blob small(String json) throws Exception {
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        String digest = "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        Files.write(root.resolve("blobs/sha256").resolve(digest.substring(7)), bytes);
        return new Blob(digest, bytes.length, null);
    }

    /** A gzip'd one-file tar of {@code size} pseudo-random bytes, hashed (compressed and not) while written. */
    private Blob layer(long seed, long size) throws Exception {
        Path tmp = Files.createTempFile(root.resolve("blobs/sha256"), ".layer", ".tmp");
        MessageDigest compressed = MessageDigest.getInstance("SHA-256");
        MessageDigest uncompressed = MessageDigest.getInstance("SHA-256");
        try (OutputStream file = new DigestOutputStream(new BufferedOutputStream(Files.newOutputStream(tmp), 1 << 20), compressed);
             OutputStream gz = new GZIPOutputStream(file, 1 << 16) {{ def.setLevel(Deflater.BEST_SPEED); }};
             OutputStream tar = new DigestOutputStream(gz, uncompressed)) {
            tar.write(tarHeader("layer.bin", size));
            SplittableRandom random = new SplittableRandom(seed);
            byte[] buffer = new byte[1 << 16];
            for (long left = size; left > 0; ) {
                for (int i = 0; i < buffer.length; i += 8) {
                    long r = random.nextLong();
                    for (int b = 0; b < 8; b++) {
                        buffer[i + b] = (byte) (r >>> (8 * b));
                    }
                }
                int n = (int) Math.min(buffer.length, left);
                tar.write(buffer, 0, n);
                left -= n;
            }
            tar.write(new byte[(int) ((512 - size % 512) % 512) + 1024]);
        }
        String digest = "sha256:" + HexFormat.of().formatHex(compressed.digest());
        Path target = root.resolve("blobs/sha256").resolve(digest.substring(7));
        Files.move(tmp, target, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        return new Blob(digest, Files.size(target), "sha256:" + HexFormat.of().formatHex(uncompressed.digest()));
    }

    private static byte[] tarHeader(String name, long size) {
        byte[] h = new byte[512];
        put(h, 0, name);
        put(h, 100, "0000644");
        put(h, 108, "0000000");
        put(h, 116, "0000000");
        put(h, 124, String.format("%011o", size));
        put(h, 136, "00000000000");
        java.util.Arrays.fill(h, 148, 156, (byte) ' ');
        h[156] = '0';
        put(h, 257, "ustar");
        put(h, 263, "00");
        int sum = 0;
        for (byte b : h) {
            sum += b & 0xff;
        }
        put(h, 148, String.format("%06o", sum));
        h[155] = ' ';
        return h;
    }

    private static void put(byte[] h, int offset, String value) {
        byte[] bytes = value.getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(bytes, 0, h, offset, bytes.length);
    }
}
