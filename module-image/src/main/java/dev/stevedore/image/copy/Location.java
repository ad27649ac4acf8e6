package dev.stevedore.image.copy;

import dev.stevedore.image.reference.ImageReference;
import dev.stevedore.image.reference.InvalidReferenceException;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where a rendered {@code src} or {@code dest} points: an image in a registry ({@code oci://}), a
 * KubeKey images directory ({@code local://}) or an OCI image layout ({@code oci-layout://}).
 *
 * @param reference the image, for {@link Kind#REGISTRY}; null for directories
 * @param path      the directory, for the two directory kinds; null for registries
 */
public record Location(Kind kind, ImageReference reference, Path path) {

    public enum Kind { REGISTRY, LOCAL, OCI_LAYOUT }

    public static final String OCI = "oci://";
    public static final String LOCAL = "local://";
    public static final String OCI_LAYOUT = "oci-layout://";
    public static final List<String> SCHEMES = List.of(OCI, LOCAL, OCI_LAYOUT);

    /** {@code repo:sha256:<hex>}: what {@code ...:${reference}} renders to for an image pulled by digest. */
    private static final Pattern TAG_THAT_IS_A_DIGEST = Pattern.compile("(.+):(sha256:[a-f0-9]{64})");

    public boolean isDirectory() {
        return kind != Kind.REGISTRY;
    }

    /**
     * Parses a rendered location; {@code key} names the argument in errors ({@code dest}, {@code src}).
     * A registry reference whose "tag" is a digest is read as {@code name@digest}.
     */
    public static Location parse(String text, String key) {
        String value = text == null ? "" : text.strip();
        if (value.startsWith(OCI_LAYOUT)) {
            return new Location(Kind.OCI_LAYOUT, null, directory(value.substring(OCI_LAYOUT.length()), key, text));
        }
        if (value.startsWith(LOCAL)) {
            return new Location(Kind.LOCAL, null, directory(value.substring(LOCAL.length()), key, text));
        }
        if (value.startsWith(OCI)) {
            String reference = value.substring(OCI.length());
            Matcher digestAsTag = TAG_THAT_IS_A_DIGEST.matcher(reference);
            if (digestAsTag.matches() && !digestAsTag.group(1).contains("@")) {
                reference = digestAsTag.group(1) + "@" + digestAsTag.group(2);
            }
            try {
                return new Location(Kind.REGISTRY, ImageReference.parse(reference), null);
            } catch (InvalidReferenceException e) {
                throw new InvalidLocationException(key + " rendered to '" + text + "', which is not a valid image reference: "
                        + e.getMessage());
            }
        }
        throw new InvalidLocationException(key + " rendered to '" + text + "': it must start with oci:// (a registry), "
                + "local:// (a KubeKey images directory) or oci-layout:// (an OCI image layout)");
    }

    /** Whether a raw (unrendered) template plainly lacks a scheme; one starting with a variable may render to one. */
    public static boolean lacksScheme(String template) {
        return SCHEMES.stream().noneMatch(template::startsWith) && !template.startsWith("${");
    }

    private static Path directory(String path, String key, String text) {
        if (path.isBlank()) {
            throw new InvalidLocationException(key + " '" + text + "' names no directory");
        }
        return Path.of(path);
    }

    @Override
    public String toString() {
        return switch (kind) {
            case REGISTRY -> OCI + reference;
            case LOCAL -> LOCAL + path;
            case OCI_LAYOUT -> OCI_LAYOUT + path;
        };
    }
}
