package dev.stevedore.image.bundle;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.stevedore.image.oci.Descriptor;
import dev.stevedore.image.oci.MalformedManifestException;
import dev.stevedore.image.oci.Manifest;
import dev.stevedore.image.oci.ManifestParser;
import dev.stevedore.image.reference.Digest;
import dev.stevedore.image.reference.DockerHubNames;
import dev.stevedore.image.reference.ImageReference;
import dev.stevedore.image.reference.InvalidReferenceException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The images of a bundle, from its manifest members alone, by the rules of the images-directory listing:
 * a {@code manifests} folder with a {@code layout} tag map takes its tags from it (today's KubeKey), else
 * each tag file is a tag (the first generation); a manifest stored by digest that no tag or index of its
 * folder names is an image of its own ({@code repository@sha256:<hex>}). Docker Hub folders are named
 * {@code docker.io}, as the listing names them.
 */
final class BundleImages {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String LAYOUT = "layout";

    /** One image: its name and the member its manifest or index is, or null when that member is missing. */
    record Listed(String name, String folder, Digest digest, String member) {
    }

    /** One manifests folder: {@code <registry>/<repository>/manifests}. */
    private static final class Folder {
        final Map<String, Manifest> tagFiles = new TreeMap<>();
        final Map<Digest, String> byDigest = new LinkedHashMap<>();
        final Map<Digest, Manifest> byDigestManifests = new LinkedHashMap<>();
        Map<String, String> layout;
    }

    private BundleImages() {
    }

    /** The folder of a manifest member, or null when the member is not directly in a {@code manifests} folder. */
    static String folderOf(String member) {
        int slash = member.lastIndexOf('/');
        if (slash < 0 || member.startsWith("blobs/")) {
            return null;
        }
        String folder = member.substring(0, slash);
        return folder.endsWith("/manifests") && folder.indexOf('/') < folder.length() - "/manifests".length() ? folder : null;
    }

    static String fileOf(String member) {
        return member.substring(member.lastIndexOf('/') + 1);
    }

    /**
     * The images the manifests make. {@code manifests} maps every manifest member that parsed to its
     * manifest; {@code layouts} maps a folder's {@code layout} member to its bytes.
     */
    static List<Listed> list(Map<String, Manifest> manifests, Map<String, byte[]> layouts) {
        Map<String, Folder> folders = new TreeMap<>();
        manifests.forEach((member, manifest) -> {
            Folder folder = folders.computeIfAbsent(folderOf(member), f -> new Folder());
            String file = fileOf(member);
            if (file.startsWith("sha256:")) {
                folder.byDigest.put(manifest.digest(), member);
                folder.byDigestManifests.put(manifest.digest(), manifest);
            } else {
                folder.tagFiles.put(file, manifest);
            }
        });
        layouts.forEach((member, bytes) -> {
            Map<String, String> tags = tagMap(bytes);
            if (tags != null) {
                folders.computeIfAbsent(folderOf(member), f -> new Folder()).layout = tags;
            }
        });
        List<Listed> images = new ArrayList<>();
        folders.forEach((name, folder) -> images.addAll(images(name, folder)));
        return images;
    }

    private static List<Listed> images(String folderName, Folder folder) {
        List<Listed> images = new ArrayList<>();
        Set<Digest> contained = new HashSet<>();
        if (folder.layout != null) {
            folder.layout.forEach((tag, digestText) -> {
                Digest digest = parseOrNull(digestText);
                contained.add(digest);
                images.add(new Listed(name(folderName, tag, null), folderName, digest,
                        digest == null ? null : folder.byDigest.get(digest)));
            });
        } else {
            folder.tagFiles.forEach((tag, manifest) -> {
                contained.add(manifest.digest());
                images.add(new Listed(name(folderName, tag, null), folderName, manifest.digest(), folderName + "/" + tag));
            });
        }
        // A stale tag file's children are still not images of their own.
        folder.tagFiles.values().forEach(m -> contained.addAll(children(m)));
        folder.byDigestManifests.values().forEach(m -> contained.addAll(children(m)));
        folder.byDigest.forEach((digest, member) -> {
            if (!contained.contains(digest)) {
                images.add(new Listed(name(folderName, null, digest), folderName, digest, member));
            }
        });
        return images;
    }

    private static Digest parseOrNull(String text) {
        try {
            return Digest.parse(text);
        } catch (InvalidReferenceException e) {
            return null;
        }
    }

    static List<Digest> children(Manifest manifest) {
        if (!manifest.isIndex()) {
            return List.of();
        }
        try {
            return ManifestParser.parseIndex(manifest).manifests().stream().map(Descriptor::digest).toList();
        } catch (MalformedManifestException e) {
            return List.of();
        }
    }

    /** {@code registry/repository:tag} (or {@code @digest}) of a folder, Docker Hub named {@code docker.io}. */
    static String name(String folder, String tag, Digest digest) {
        String path = folder.substring(0, folder.length() - "/manifests".length());
        int slash = path.indexOf('/');
        try {
            return DockerHubNames.canonical(new ImageReference(path.substring(0, slash), path.substring(slash + 1), tag, digest)).toString();
        } catch (InvalidReferenceException e) {
            return path + (digest == null ? ":" + tag : "@" + digest);
        }
    }

    /** The tag map of a {@code layout} file, or null when it is not one. */
    static Map<String, String> tagMap(byte[] bytes) {
        try {
            JsonNode root = JSON.readTree(bytes);
            if (root == null || !root.isObject() || root.has("mediaType") || root.has("schemaVersion")) {
                return null;
            }
            Map<String, String> tags = new TreeMap<>();
            root.fields().forEachRemaining(e -> {
                if (e.getValue().isTextual()) {
                    tags.put(e.getKey(), e.getValue().asText());
                }
            });
            return tags;
        } catch (IOException e) {
            return null;
        }
    }
}
