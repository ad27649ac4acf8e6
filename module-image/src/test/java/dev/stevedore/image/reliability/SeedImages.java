package dev.stevedore.image.reliability;

import dev.stevedore.image.oci.Descriptor;
import dev.stevedore.image.oci.Manifest;
import dev.stevedore.image.oci.MediaTypes;
import dev.stevedore.image.reference.Digest;
import dev.stevedore.image.reference.ImageReference;
import dev.stevedore.image.registry.RegistryAuth;
import dev.stevedore.image.registry.MachineConfig;
import dev.stevedore.image.registry.RegistrySettings;
import dev.stevedore.image.registry.RetryLimits;
import dev.stevedore.image.registry.RegistryTarget;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

/** Hand-built OCI images with incompressible layers, pushed into a real registry to pull them back. */
final class SeedImages {

    static final String LAYER = "application/vnd.oci.image.layer.v1.tar+gzip";

    /** One blob on disk. */
    record Blob(Descriptor descriptor, Path file) {
        String digest() {
            return descriptor.digest().toString();
        }
    }

    /** An image: its root (an index or a manifest), the child manifests and every blob. */
    record Image(String repository, String tag, Manifest root, List<Manifest> children, List<Blob> blobs) {
        ImageReference at(String hostPort) {
            return ImageReference.parse(hostPort + "/" + repository + ":" + tag);
        }
    }

    private SeedImages() {
    }

    /** An index of linux/amd64 and linux/arm64, each with a config, {@code shared} and a layer of its own. */
    static Image multiArch(Path folder, String repository, String tag, Blob shared, int layerSize, long seed) throws IOException {
        List<Manifest> children = new ArrayList<>();
        List<Blob> blobs = new ArrayList<>(List.of(shared));
        StringBuilder entries = new StringBuilder();
        for (String arch : List.of("amd64", "arm64")) {
            Blob config = config(folder, arch, seed);
            Blob own = random(folder, LAYER, layerSize, seed * 31 + arch.hashCode());
            Manifest child = manifest(config, List.of(shared, own));
            children.add(child);
            blobs.add(config);
            blobs.add(own);
            entries.append(entries.length() == 0 ? "" : ",").append("{\"mediaType\":\"").append(MediaTypes.OCI_MANIFEST)
                    .append("\",\"digest\":\"").append(child.digest()).append("\",\"size\":").append(child.size())
                    .append(",\"platform\":{\"os\":\"linux\",\"architecture\":\"").append(arch).append("\"}}");
        }
        String index = "{\"schemaVersion\":2,\"mediaType\":\"" + MediaTypes.OCI_INDEX + "\",\"manifests\":[" + entries + "]}";
        return new Image(repository, tag, Manifest.of(index.getBytes(StandardCharsets.UTF_8), MediaTypes.OCI_INDEX), children, blobs);
    }

    /** A single-platform image of a config and the given layers. */
    static Image single(Path folder, String repository, String tag, List<Blob> layers, long seed) throws IOException {
        Blob config = config(folder, "amd64", seed);
        List<Blob> blobs = new ArrayList<>(List.of(config));
        blobs.addAll(layers);
        return new Image(repository, tag, manifest(config, layers), List.of(), blobs);
    }

    /** {@code size} pseudo-random (incompressible) bytes, written in pieces, never whole in memory. */
    static Blob random(Path folder, String mediaType, long size, long seed) throws IOException {
        Random random = new Random(seed);
        MessageDigest sha256 = sha256();
        Path file = Files.createTempFile(folder, "blob-", "");
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
        return new Blob(new Descriptor(mediaType, Digest.of(sha256.digest()), size), file);
    }

    /** Pushes blobs, then child manifests, then the root under its tag, straight into {@code hostPort}. */
    static void push(Image image, String hostPort, String username, String password) throws IOException {
        RegistrySettings settings = RegistrySettings.defaults(List.of(RegistryAuth.of(hostPort).withLogin(username, password).withPlainHttp(true)))
                .withLimits(new RetryLimits(Duration.ofSeconds(5), Duration.ofSeconds(30), 3, Duration.ofSeconds(10)))
                .withMachine(new MachineConfig(Map.of("HOME", "/nonexistent"), null));
        ImageReference reference = image.at(hostPort);
        try (RegistryTarget target = new RegistryTarget(settings)) {
            for (Blob blob : image.blobs()) {
                if (!target.hasBlob(reference, blob.descriptor())) {
                    target.uploadBlob(reference, blob.descriptor(), blob.file());
                }
            }
            for (Manifest child : image.children()) {
                target.writeManifest(reference, child);
            }
            target.tag(reference, image.root());
        }
    }

    private static Blob config(Path folder, String arch, long seed) throws IOException {
        byte[] json = ("{\"architecture\":\"" + arch + "\",\"os\":\"linux\",\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[]},\"seed\":"
                + seed + "}").getBytes(StandardCharsets.UTF_8);
        Path file = Files.createTempFile(folder, "config-", "");
        Files.write(file, json);
        return new Blob(new Descriptor(MediaTypes.OCI_CONFIG, Digest.sha256Of(json), json.length), file);
    }

    private static Manifest manifest(Blob config, List<Blob> layers) {
        StringBuilder json = new StringBuilder("{\"schemaVersion\":2,\"mediaType\":\"" + MediaTypes.OCI_MANIFEST + "\",\"config\":"
                + descriptor(config) + ",\"layers\":[");
        for (int i = 0; i < layers.size(); i++) {
            json.append(i == 0 ? "" : ",").append(descriptor(layers.get(i)));
        }
        json.append("]}");
        return Manifest.of(json.toString().getBytes(StandardCharsets.UTF_8), MediaTypes.OCI_MANIFEST);
    }

    private static String descriptor(Blob blob) {
        Descriptor d = blob.descriptor();
        return "{\"mediaType\":\"" + d.mediaType() + "\",\"digest\":\"" + d.digest() + "\",\"size\":" + d.size() + "}";
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
