package dev.stevedore.image.testing;

import dev.stevedore.image.oci.Manifest;
import dev.stevedore.image.oci.MediaTypes;
import dev.stevedore.image.reference.Digest;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.zip.GZIPOutputStream;

/**
 * Byte-exact documents as Docker Hub serves an official image, and KubeKey images directories of both
 * generations holding them, written file by file as the original writes them. Made by hand from what
 * the originals do (read in kubesphere/kubekey: the first v4 module {@code pkg/modules/image.go} and
 * today's {@code pkg/modules/image/repository.go}), not by Stevedore, so a test can compare both ways.
 *
 * <p>Docker Hub's official images have a manifest list built by its tooling: compact JSON, keys sorted,
 * slashes escaped ({@code application\/vnd...}); their image manifests are what {@code docker push}
 * writes: three-space indentation, {@code mediaType, size, digest} in each descriptor, no final newline.
 */
public final class KubeKeyFixtures {

    public static final String DOCKER_LAYER = "application/vnd.docker.image.rootfs.diff.tar.gzip";

    /** An image: its root (here always a manifest list), the child manifests, and every blob by digest. */
    public record Image(Manifest root, List<Manifest> children, Map<Digest, byte[]> blobs) { }

    private KubeKeyFixtures() {
    }

    /** A Docker Hub official-image manifest list for linux/amd64 and linux/arm64/v8, two gzip layers each. */
    public static Image dockerHubIndex(long seed) {
        Random random = new Random(seed);
        Map<Digest, byte[]> blobs = new LinkedHashMap<>();
        List<Manifest> children = new ArrayList<>();
        List<String> entries = new ArrayList<>();
        for (String[] platform : List.of(new String[] {"amd64", null}, new String[] {"arm64", "v8"})) {
            byte[] config = dockerConfig(platform[0], platform[1], random.nextLong());
            blobs.put(Digest.sha256Of(config), config);
            List<byte[]> layers = List.of(gzip(randomBytes(random, 20_000 + random.nextInt(30_000))),
                    gzip(randomBytes(random, 1_000 + random.nextInt(2_000))));
            layers.forEach(layer -> blobs.put(Digest.sha256Of(layer), layer));
            Manifest child = dockerManifest(config, layers);
            children.add(child);
            entries.add("{\"digest\":\"" + child.digest() + "\",\"mediaType\":\"application\\/vnd.docker.distribution.manifest.v2+json\","
                    + "\"platform\":{\"architecture\":\"" + platform[0] + "\",\"os\":\"linux\""
                    + (platform[1] == null ? "" : ",\"variant\":\"" + platform[1] + "\"") + "},\"size\":" + child.size() + "}");
        }
        String list = "{\"manifests\":[" + String.join(",", entries)
                + "],\"mediaType\":\"application\\/vnd.docker.distribution.manifest.list.v2+json\",\"schemaVersion\":2}";
        return new Image(Manifest.of(bytes(list), MediaTypes.DOCKER_MANIFEST_LIST), children, blobs);
    }

    /**
     * What KubeKey's first v4 module leaves after pulling {@code image} as {@code <repository>:<tag>}: the root
     * under its tag, each child under its digest, blobs flat (files 0644, folders 0755).
     *
     * @param repository the folder path, e.g. {@code registry-1.docker.io/library/nginx}
     */
    public static void writeFirstGeneration(Path root, String repository, String tag, Image image) throws IOException {
        Path manifests = root.resolve(repository).resolve("manifests");
        writeBlobsAndChildren(root, manifests, image);
        write(manifests.resolve(tag), image.root().bytes());
    }

    /**
     * What today's KubeKey leaves after pulling each tag of {@code tags} into {@code repository}: every manifest
     * under its digest and the tag list {@code manifests/layout} as Go's {@code json.MarshalIndent(m, "", "  ")}
     * writes it (keys sorted, no final newline).
     */
    public static void writeTodays(Path root, String repository, Map<String, Image> tags) throws IOException {
        Path manifests = root.resolve(repository).resolve("manifests");
        StringBuilder layout = new StringBuilder("{\n");
        int left = tags.size();
        for (Map.Entry<String, Image> tag : new TreeMap<>(tags).entrySet()) {
            writeBlobsAndChildren(root, manifests, tag.getValue());
            write(manifests.resolve(tag.getValue().root().digest().toString()), tag.getValue().root().bytes());
            layout.append("  \"").append(tag.getKey()).append("\": \"").append(tag.getValue().root().digest()).append('"')
                    .append(--left > 0 ? ",\n" : "\n");
        }
        write(manifests.resolve("layout"), bytes(layout.append('}').toString()));
    }

    private static void writeBlobsAndChildren(Path root, Path manifests, Image image) throws IOException {
        for (Map.Entry<Digest, byte[]> blob : image.blobs().entrySet()) {
            write(root.resolve("blobs").resolve(blob.getKey().toString()), blob.getValue());
        }
        for (Manifest child : image.children()) {
            write(manifests.resolve(child.digest().toString()), child.bytes());
        }
    }

    private static void write(Path file, byte[] content) throws IOException {
        createFolders(file.getParent());
        Files.write(file, content);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
    }

    private static void createFolders(Path folder) throws IOException {
        if (Files.isDirectory(folder)) {
            return;
        }
        createFolders(folder.getParent());
        Files.createDirectory(folder);
        Files.setPosixFilePermissions(folder, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    private static Manifest dockerManifest(byte[] config, List<byte[]> layers) {
        StringBuilder json = new StringBuilder("{\n   \"schemaVersion\": 2,\n   \"mediaType\": \"" + MediaTypes.DOCKER_MANIFEST + "\",\n"
                + "   \"config\": {\n      \"mediaType\": \"" + MediaTypes.DOCKER_CONFIG + "\",\n      \"size\": " + config.length
                + ",\n      \"digest\": \"" + Digest.sha256Of(config) + "\"\n   },\n   \"layers\": [\n");
        for (int i = 0; i < layers.size(); i++) {
            byte[] layer = layers.get(i);
            json.append("      {\n         \"mediaType\": \"").append(DOCKER_LAYER).append("\",\n         \"size\": ").append(layer.length)
                    .append(",\n         \"digest\": \"").append(Digest.sha256Of(layer)).append("\"\n      }")
                    .append(i + 1 < layers.size() ? ",\n" : "\n");
        }
        json.append("   ]\n}");
        return Manifest.of(bytes(json.toString()), MediaTypes.DOCKER_MANIFEST);
    }

    private static byte[] dockerConfig(String architecture, String variant, long nonce) {
        return bytes("{\"architecture\":\"" + architecture + "\",\"config\":{\"Env\":[\"PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin\"],"
                + "\"Cmd\":[\"nginx\",\"-g\",\"daemon off;\"]},\"created\":\"2024-08-14T21:31:12Z\",\"os\":\"linux\","
                + "\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[\"sha256:" + String.format("%064x", nonce & Long.MAX_VALUE) + "\"]}"
                + (variant == null ? "" : ",\"variant\":\"" + variant + "\"") + "}");
    }

    private static byte[] randomBytes(Random random, int size) {
        byte[] bytes = new byte[size];
        random.nextBytes(bytes);
        return bytes;
    }

    private static byte[] gzip(byte[] content) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream zip = new GZIPOutputStream(out)) {
            zip.write(content);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
