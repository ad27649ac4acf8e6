package dev.stevedore.image.registry;

import dev.stevedore.image.oci.Descriptor;
import dev.stevedore.image.oci.Manifest;
import dev.stevedore.image.oci.MediaTypes;
import dev.stevedore.image.reference.Digest;
import dev.stevedore.image.reference.Platform;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** A small multi-platform OCI image built by hand: random layers, a config per platform, manifests, an index. */
final class TestImage {

    /** One blob on disk. */
    record Blob(Descriptor descriptor, Path file) {
    }

    /** One platform's manifest and the blobs it refers to. */
    record Child(Platform platform, Manifest manifest, List<Blob> blobs) {
    }

    final List<Child> children = new ArrayList<>();
    final Manifest index;

    private TestImage(Path folder, List<Platform> platforms, int layerSize, long seed) throws IOException {
        Random random = new Random(seed);
        StringBuilder entries = new StringBuilder();
        for (Platform platform : platforms) {
            List<Blob> blobs = new ArrayList<>();
            Blob config = write(folder, MediaTypes.OCI_CONFIG, ("{\"architecture\":\"" + platform.architecture() + "\",\"os\":\""
                    + platform.os() + "\",\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[]},\"seed\":" + random.nextLong() + "}")
                    .getBytes(StandardCharsets.UTF_8));
            blobs.add(config);
            byte[] layer = new byte[layerSize];
            random.nextBytes(layer);
            blobs.add(write(folder, "application/vnd.oci.image.layer.v1.tar+gzip", layer));
            String json = "{\"schemaVersion\":2,\"mediaType\":\"" + MediaTypes.OCI_MANIFEST + "\",\"config\":" + json(config.descriptor())
                    + ",\"layers\":[" + json(blobs.get(1).descriptor()) + "]}";
            Manifest manifest = Manifest.of(json.getBytes(StandardCharsets.UTF_8), MediaTypes.OCI_MANIFEST);
            children.add(new Child(platform, manifest, blobs));
            entries.append(entries.length() == 0 ? "" : ",").append("{\"mediaType\":\"").append(MediaTypes.OCI_MANIFEST)
                    .append("\",\"digest\":\"").append(manifest.digest()).append("\",\"size\":").append(manifest.size())
                    .append(",\"platform\":{\"os\":\"").append(platform.os()).append("\",\"architecture\":\"").append(platform.architecture())
                    .append("\"}}");
        }
        String index = "{\"schemaVersion\":2,\"mediaType\":\"" + MediaTypes.OCI_INDEX + "\",\"manifests\":[" + entries + "]}";
        this.index = Manifest.of(index.getBytes(StandardCharsets.UTF_8), MediaTypes.OCI_INDEX);
    }

    static TestImage multiArch(Path folder, int layerSize) throws IOException {
        return new TestImage(folder, List.of(Platform.parse("linux/amd64"), Platform.parse("linux/arm64")), layerSize, 42);
    }

    static TestImage multiArch(Path folder, int layerSize, long seed) throws IOException {
        return new TestImage(folder, List.of(Platform.parse("linux/amd64"), Platform.parse("linux/arm64")), layerSize, seed);
    }

    List<Blob> blobs() {
        List<Blob> all = new ArrayList<>();
        children.forEach(c -> all.addAll(c.blobs()));
        return all;
    }

    /** Pushes blobs, then child manifests by digest, then the index under the tag. */
    void push(RegistryTarget target, dev.stevedore.image.reference.ImageReference image) throws IOException {
        for (Blob blob : blobs()) {
            if (!target.hasBlob(image, blob.descriptor())) {
                target.uploadBlob(image, blob.descriptor(), blob.file());
            }
        }
        for (Child child : children) {
            target.writeManifest(image, child.manifest());
        }
        target.tag(image, index);
    }

    static Blob write(Path folder, String mediaType, byte[] content) throws IOException {
        Digest digest = Digest.sha256Of(content);
        Path file = folder.resolve(digest.hex());
        Files.write(file, content);
        return new Blob(new Descriptor(mediaType, digest, content.length), file);
    }

    /** A blob of {@code size} pseudo-random bytes written in pieces, never whole in memory. */
    static Blob writeLarge(Path folder, long size, long seed) throws Exception {
        MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
        Path file = folder.resolve("large-" + seed);
        Random random = new Random(seed);
        byte[] buffer = new byte[1 << 20];
        try (OutputStream out = Files.newOutputStream(file)) {
            for (long left = size; left > 0; ) {
                random.nextBytes(buffer);
                int n = (int) Math.min(buffer.length, left);
                sha256.update(buffer, 0, n);
                out.write(buffer, 0, n);
                left -= n;
            }
        }
        return new Blob(new Descriptor("application/octet-stream", Digest.of(sha256.digest()), size), file);
    }

    static Digest sha256(InputStream in) throws Exception {
        MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
        byte[] buffer = new byte[64 * 1024];
        for (int n; (n = in.read(buffer)) >= 0; ) {
            sha256.update(buffer, 0, n);
        }
        return Digest.of(sha256.digest());
    }

    private static String json(Descriptor d) {
        return "{\"mediaType\":\"" + d.mediaType() + "\",\"digest\":\"" + d.digest() + "\",\"size\":" + d.size() + "}";
    }
}
