import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.zip.GZIPOutputStream;

/**
 * Generates the demo's sample images directory (KubeKey layout) once; the output is committed.
 * Deterministic: running it again yields the same bytes, so a diff shows any change.
 *
 * <p>Run from the repository root: {@code java src/demo/MakeSampleImages.java src/demo/sample-images}
 */
public final class MakeSampleImages {

    private static final String OCI_INDEX = "application/vnd.oci.image.index.v1+json";
    private static final String OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json";
    private static final String OCI_CONFIG = "application/vnd.oci.image.config.v1+json";
    private static final String OCI_LAYER = "application/vnd.oci.image.layer.v1.tar+gzip";
    private static final String DOCKER_LIST = "application/vnd.docker.distribution.manifest.list.v2+json";
    private static final String DOCKER_MANIFEST = "application/vnd.docker.distribution.manifest.v2+json";
    private static final String DOCKER_CONFIG = "application/vnd.docker.container.image.v1+json";
    private static final String DOCKER_LAYER = "application/vnd.docker.image.rootfs.diff.tar.gzip";

    private final Path root;

    private MakeSampleImages(Path root) {
        this.root = root;
    }

    public static void main(String[] args) throws Exception {
        MakeSampleImages maker = new MakeSampleImages(Path.of(args.length > 0 ? args[0] : "src/demo/sample-images"));
        Layer base = maker.layer("etc/os-release", "NAME=\"Stevedore demo base\"\nID=stevedore-demo\n");
        String[][] multi = {{"linux", "amd64", ""}, {"linux", "arm64", "v8"}};
        maker.image("demo.local", "library/hello", "1.0", false, base, multi, "hello from Stevedore\n");
        maker.image("demo.local", "tools/toolbox", "2.1", true, base,
                new String[][] {{"linux", "amd64", ""}, {"linux", "arm64", "v8"}, {"linux", "arm", "v7"}}, "toolbox\n");
        maker.image("demo.local", "library/static", "1.0", false, base, new String[][] {{"linux", "amd64", ""}}, "static\n");
    }

    private record Layer(String digest, long size, String diffId) {
    }

    private void image(String registry, String repository, String tag, boolean docker, Layer base,
                       String[][] platforms, String payload) throws Exception {
        List<String> entries = new ArrayList<>();
        byte[] single = null;
        for (String[] p : platforms) {
            Layer app = layer("app/" + p[1] + p[2] + ".txt", payload + p[0] + "/" + p[1] + (p[2].isEmpty() ? "" : "/" + p[2]) + "\n");
            String variant = p[2].isEmpty() ? "" : ",\"variant\":\"" + p[2] + "\"";
            byte[] config = ("{\"architecture\":\"" + p[1] + "\",\"config\":{\"Cmd\":[\"/bin/sh\"]},\"os\":\"" + p[0] + "\""
                    + ",\"rootfs\":{\"diff_ids\":[\"" + base.diffId + "\",\"" + app.diffId + "\"],\"type\":\"layers\"}" + variant + "}")
                    .getBytes(StandardCharsets.UTF_8);
            String configDigest = blob(config);
            String layerType = docker ? DOCKER_LAYER : OCI_LAYER;
            byte[] manifest = ("{\"schemaVersion\":2,\"mediaType\":\"" + (docker ? DOCKER_MANIFEST : OCI_MANIFEST) + "\","
                    + "\"config\":{\"mediaType\":\"" + (docker ? DOCKER_CONFIG : OCI_CONFIG) + "\",\"digest\":\"" + configDigest + "\",\"size\":" + config.length + "},"
                    + "\"layers\":[" + descriptor(layerType, base.digest, base.size) + "," + descriptor(layerType, app.digest, app.size) + "]}")
                    .getBytes(StandardCharsets.UTF_8);
            if (platforms.length == 1) {
                single = manifest;
                break;
            }
            String manifestDigest = sha256(manifest);
            write(root.resolve(registry).resolve(repository).resolve("manifests").resolve(manifestDigest), manifest);
            entries.add("{\"mediaType\":\"" + (docker ? DOCKER_MANIFEST : OCI_MANIFEST) + "\",\"digest\":\"" + manifestDigest
                    + "\",\"size\":" + manifest.length + ",\"platform\":{\"architecture\":\"" + p[1] + "\",\"os\":\"" + p[0] + "\"" + variant + "}}");
        }
        byte[] top = single != null ? single
                : ("{\"schemaVersion\":2,\"mediaType\":\"" + (docker ? DOCKER_LIST : OCI_INDEX) + "\",\"manifests\":[" + String.join(",", entries) + "]}")
                        .getBytes(StandardCharsets.UTF_8);
        write(root.resolve(registry).resolve(repository).resolve("manifests").resolve(tag), top);
    }

    private static String descriptor(String mediaType, String digest, long size) {
        return "{\"mediaType\":\"" + mediaType + "\",\"digest\":\"" + digest + "\",\"size\":" + size + "}";
    }

    private Layer layer(String name, String content) throws Exception {
        byte[] tar = tar(name, content.getBytes(StandardCharsets.UTF_8));
        ByteArrayOutputStream gz = new ByteArrayOutputStream();
        try (GZIPOutputStream out = new GZIPOutputStream(gz)) {
            out.write(tar);
        }
        byte[] compressed = gz.toByteArray();
        return new Layer(blob(compressed), compressed.length, sha256(tar));
    }

    /** A one-file POSIX ustar archive with fixed owner and time, so the bytes never change. */
    private static byte[] tar(String name, byte[] content) {
        byte[] header = new byte[512];
        put(header, 0, name);
        put(header, 100, "0000644");
        put(header, 108, "0000000");
        put(header, 116, "0000000");
        put(header, 124, String.format("%011o", content.length));
        put(header, 136, "00000000000");
        for (int i = 148; i < 156; i++) {
            header[i] = ' ';
        }
        header[156] = '0';
        put(header, 257, "ustar");
        put(header, 263, "00");
        int sum = 0;
        for (byte b : header) {
            sum += b & 0xff;
        }
        put(header, 148, String.format("%06o", sum));
        header[155] = ' ';
        int padded = (content.length + 511) / 512 * 512;
        byte[] archive = new byte[512 + padded + 1024];
        System.arraycopy(header, 0, archive, 0, 512);
        System.arraycopy(content, 0, archive, 512, content.length);
        return archive;
    }

    private static void put(byte[] header, int offset, String value) {
        byte[] bytes = value.getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(bytes, 0, header, offset, bytes.length);
    }

    private String blob(byte[] content) throws Exception {
        String digest = sha256(content);
        write(root.resolve("blobs").resolve(digest), content);
        return digest;
    }

    private static void write(Path file, byte[] content) throws IOException {
        Files.createDirectories(file.getParent());
        Files.write(file, content);
    }

    private static String sha256(byte[] content) throws Exception {
        return "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
    }
}
