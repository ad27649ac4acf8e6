package dev.stevedore.image.copy;

import static dev.stevedore.image.target.LocationSchemes.ARCHIVE;
import static dev.stevedore.image.target.LocationSchemes.LOCAL;
import static dev.stevedore.image.target.LocationSchemes.OCI;
import static dev.stevedore.image.target.LocationSchemes.OCI_LAYOUT;

import dev.stevedore.image.reference.ImageReference;
import dev.stevedore.image.reference.InvalidReferenceException;
import dev.stevedore.image.target.ArchiveFileNames;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where a rendered {@code src} or {@code dest} points: an image in a registry ({@code oci://}), a
 * KubeKey images directory ({@code local://}), an OCI image layout ({@code oci-layout://}) or a bundle
 * archive ({@code archive://}: a tar of a KubeKey images directory, maybe in parts). The three that are not
 * registries are local stores; {@link #isDirectory()} names them all.
 *
 * @param reference the image, for {@link Kind#REGISTRY}; null for stores
 * @param path      the directory or the archive file, for stores; null for registries
 */
public record Location(Kind kind, ImageReference reference, Path path) {

    public enum Kind { REGISTRY, LOCAL, OCI_LAYOUT, ARCHIVE }

    public static final List<String> SCHEMES = List.of(OCI, LOCAL, OCI_LAYOUT, ARCHIVE);

    /** What the scheme error says a location may start with. */
    public static final String SCHEMES_EXPLAINED = "oci:// (a registry), local:// (a KubeKey images directory), "
            + "oci-layout:// (an OCI image layout) or archive:// (a bundle archive, .tar)";

    /** {@code repo:sha256:<hex>}: what {@code ...:${reference}} renders to for an image pulled by digest. */
    private static final Pattern TAG_THAT_IS_A_DIGEST = Pattern.compile("(.+):(sha256:[a-f0-9]{64})");

    /** A local store (a directory, or an archive of one), not a registry. */
    public boolean isDirectory() {
        return kind != Kind.REGISTRY;
    }

    /** Whether a rendered location names a local store rather than a registry. */
    public static boolean namesStore(String rendered) {
        return rendered.startsWith(LOCAL) || rendered.startsWith(OCI_LAYOUT) || rendered.startsWith(ARCHIVE);
    }

    /**
     * The location of a path given without a scheme (a classic {@code images_dir}, a {@code copy.*.path}): a
     * {@code .tar} or {@code .tar.zst} file or part is a bundle archive, anything else a KubeKey images directory.
     * Another compressed tar's name ({@code .tgz}, {@code .tar.xz}) is taken as an archive too, which
     * {@link #parse} then refuses: a folder named {@code bundle.tgz} is never what was meant.
     */
    public static String ofStorePath(String path) {
        Path name = Path.of(path.strip()).getFileName();
        boolean archive = name != null
                && (ArchiveFileNames.isArchive(name.toString()) || ArchiveFileNames.isCompressedTar(name.toString()));
        return (archive ? ARCHIVE : LOCAL) + path;
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
        if (value.startsWith(ARCHIVE)) {
            return new Location(Kind.ARCHIVE, null, archive(value.substring(ARCHIVE.length()), key, text));
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
        throw new InvalidLocationException(key + " rendered to '" + text + "': it must start with " + SCHEMES_EXPLAINED);
    }

    /** The file an archive location is opened by: its base name, a part's name without {@code .part-NNNN}. */
    public Path archiveFile() {
        return ArchiveFileNames.base(path);
    }

    /** The first part an archive split into parts has: {@code FILE.tar.part-0001} beside {@code FILE.tar}. */
    public Path firstArchivePart() {
        return ArchiveFileNames.part(archiveFile(), 1);
    }

    /** Whether a store location's path is there: the directory or file, or an archive's first part. */
    public boolean exists() {
        return Files.exists(path) || kind == Kind.ARCHIVE && Files.exists(firstArchivePart());
    }

    /** Whether a raw (unrendered) template plainly lacks a scheme; one starting with a variable may render to one. */
    public static boolean lacksScheme(String template) {
        return SCHEMES.stream().noneMatch(template::startsWith) && !template.startsWith("${");
    }

    /**
     * A bundle archive is a plain tar, or a tar whose members are zstd frames ({@code .tar.zst}); any other
     * compressed tar's name is refused before anything is written under it.
     */
    private static final String NAME_IT_TAR = "name it FILE.tar (plain tar, the default: layers are compressed already),"
            + " or FILE.tar.zst for a bundle whose members are zstd-compressed";

    private static Path archive(String path, String key, String text) {
        Path file = directory(path, key, text);
        Path name = file.getFileName();
        if (name != null && ArchiveFileNames.isCompressedTar(name.toString())) {
            throw new InvalidLocationException(key + " '" + text + "' names a compressed tar of a kind a bundle archive is not: "
                    + NAME_IT_TAR);
        }
        if (name != null && ArchiveFileNames.isOtherFormat(name.toString())) {
            throw new InvalidLocationException(key + " '" + text + "' names a file of another format than tar: a bundle"
                    + " archive is a tar; " + NAME_IT_TAR);
        }
        return file;
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
            case ARCHIVE -> ARCHIVE + path;
        };
    }
}
