package dev.stevedore.image.store;

import dev.stevedore.image.oci.Descriptor;
import dev.stevedore.image.oci.MalformedManifestException;
import dev.stevedore.image.oci.Manifest;
import dev.stevedore.image.oci.ManifestParser;
import dev.stevedore.image.reference.Digest;
import dev.stevedore.image.reference.DockerHubNames;
import dev.stevedore.image.reference.ImageReference;
import dev.stevedore.image.reference.InvalidReferenceException;
import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * Lists the images of a KubeKey images directory with the original's rule: walk the tree, skip the
 * top-level {@code blobs}, take the files whose JSON {@code mediaType} is an OCI or Docker manifest or
 * index, ignore empty, unreadable and non-JSON files and names starting {@code sha256:}; the image
 * is {@code <registry>/<repository>:<tag>} from the path {@code <registry>/<repository>/manifests/<tag>}.
 *
 * <p>Beyond the original: manifests without a top-level {@code mediaType} (image-spec 1.0, Helm 3.8 to
 * 3.12) are typed by their structure ({@link ManifestFiles#asManifest}) and listed; a repository with
 * today's {@code manifests/layout} file takes its tags from that file alone (as today's KubeKey does; a tag
 * file beside it is stale, see {@link KubeKeyRepository}), where the first-generation original aborts;
 * Docker Hub folders ({@code registry-1.docker.io/}, as KubeKey writes them, and {@code docker.io/}) are
 * both listed as {@code docker.io}, each image once; an image stored only by digest, and not a manifest of any index or tag of its repository, is
 * listed as {@code <registry>/<repository>@sha256:<hex>}; files not directly in a {@code manifests}
 * folder, temporary files, symbolic links, and paths that are not valid image names are skipped,
 * since such images could not be read back.
 */
final class KubeKeyListing {

    private KubeKeyListing() {
    }

    static List<ImageReference> list(StoreRoot root) throws IOException {
        Map<Path, Repository> repositories = new LinkedHashMap<>();
        if (!Files.isDirectory(root.path())) {
            return List.of();
        }
        Path blobs = root.path().resolve("blobs");
        Files.walkFileTree(root.path(), new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
                return dir.equals(blobs) ? FileVisitResult.SKIP_SUBTREE : FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                Path parent = file.getParent();
                if (attrs.isRegularFile() && parent != null && parent.getFileName().toString().equals("manifests")
                        && !AtomicFiles.isTemporary(file)) {
                    repositories.computeIfAbsent(parent, Repository::new).add(file);
                }
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path file, IOException e) {
                return FileVisitResult.CONTINUE; // unreadable: ignored, as the original ignores bad files
            }
        });
        Set<ImageReference> images = new HashSet<>();
        for (Repository repository : repositories.values()) {
            repository.images(root).forEach(image -> images.add(DockerHubNames.canonical(image)));
        }
        return images.stream().sorted(Comparator.comparing(ImageReference::toString)).toList();
    }

    /** What one {@code manifests} folder holds. */
    private static final class Repository {
        private final Path manifests;
        private final Map<String, Manifest> tagFiles = new TreeMap<>();
        private final Map<Digest, Manifest> digestFiles = new TreeMap<>(Comparator.comparing(Digest::hex));
        /** The tags of the {@code layout} file, or null when the folder has none (the first generation). */
        private Map<String, Digest> layoutTags;

        Repository(Path manifests) {
            this.manifests = manifests;
        }

        void add(Path file) {
            String name = file.getFileName().toString();
            Optional<byte[]> bytes;
            try {
                bytes = ManifestFiles.readSmall(file);
            } catch (IOException e) {
                return; // unreadable or too large to be a manifest
            }
            if (bytes.isEmpty()) {
                return;
            }
            Optional<Manifest> manifest = ManifestFiles.asManifest(bytes.get());
            if (name.startsWith("sha256:")) {
                try {
                    Digest digest = Digest.parse(name);
                    manifest.filter(m -> m.digest().equals(digest)).ifPresent(m -> digestFiles.put(digest, m));
                } catch (InvalidReferenceException e) {
                    // A "sha256:" name that is not a digest: never a tag, never an image.
                }
            } else if (manifest.isPresent()) {
                tagFiles.put(name, manifest.get());
            } else if (name.equals(KubeKeyLayoutFile.NAME)) {
                Map<String, String> raw = KubeKeyLayoutFile.parseRaw(bytes.get());
                layoutTags = raw == null ? null : KubeKeyLayoutFile.tags(raw);
            }
        }

        List<ImageReference> images(StoreRoot root) {
            Path relative = root.path().relativize(manifests.getParent());
            if (relative.getNameCount() < 2) {
                return List.of(); // <registry>/manifests has no repository
            }
            String registry = relative.getName(0).toString();
            String repository = relative.subpath(1, relative.getNameCount()).toString().replace('\\', '/');
            Map<String, Digest> tags = new TreeMap<>();
            if (layoutTags == null) {
                tagFiles.forEach((tag, manifest) -> tags.put(tag, manifest.digest()));
            } else {
                layoutTags.forEach((tag, digest) -> {
                    if (digestFiles.containsKey(digest)) {
                        tags.put(tag, digest);
                    }
                });
            }
            List<ImageReference> images = new ArrayList<>();
            tags.keySet().forEach(tag -> reference(registry, repository, tag, null).ifPresent(images::add));
            Set<Digest> contained = new HashSet<>(tags.values());
            // A stale tag file's children are still not images of their own.
            tagFiles.values().forEach(m -> contained.addAll(children(m)));
            digestFiles.values().forEach(m -> contained.addAll(children(m)));
            digestFiles.keySet().stream().filter(d -> !contained.contains(d))
                    .forEach(d -> reference(registry, repository, null, d).ifPresent(images::add));
            return images;
        }

        private static Set<Digest> children(Manifest manifest) {
            if (!manifest.isIndex()) {
                return Set.of();
            }
            try {
                Set<Digest> children = new HashSet<>();
                for (Descriptor child : ManifestParser.parseIndex(manifest).manifests()) {
                    children.add(child.digest());
                }
                return children;
            } catch (MalformedManifestException e) {
                return Set.of();
            }
        }

        private static Optional<ImageReference> reference(String registry, String repository, String tag, Digest digest) {
            try {
                return Optional.of(new ImageReference(registry, repository, tag, digest));
            } catch (InvalidReferenceException e) {
                return Optional.empty(); // a folder or tag name that is not a valid image name
            }
        }
    }
}
