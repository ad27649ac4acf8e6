package dev.stevedore.image.target;

import java.nio.file.Path;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How a bundle archive's files are named: {@code NAME.tar}, or {@code NAME.tar.zst} for one whose members are
 * zstd-compressed, or, split into parts, {@code NAME.tar.part-0001}, {@code NAME.tar.part-0002}, ... (four digits
 * or more). Both sides of the target seam need the naming: the
 * copier, to tell which path names an archive and whether it is there, and the archive store, to find its
 * parts; this is its one place.
 */
public final class ArchiveFileNames {

    private static final Pattern PART = Pattern.compile("(.+)\\.part-\\d{4,}");
    private static final Pattern ARCHIVE = Pattern.compile(".*\\.tar(\\.zst)?(\\.part-\\d{4,})?");
    private static final Pattern ZSTD = Pattern.compile(".*\\.tar\\.zst(\\.part-\\d{4,})?");
    private static final Pattern COMPRESSED_TAR = Pattern.compile(
            ".*\\.(tar\\.(gz|zstd|xz|bz2|lz4)|tgz|tzst|txz|tbz2?)(\\.part-\\d{4,})?");
    private static final Pattern OTHER_FORMAT = Pattern.compile(".*\\.(zip|7z|rar|gz|xz|bz2|lz4|zst|zstd)(\\.part-\\d{4,})?");

    private ArchiveFileNames() {
    }

    /**
     * Whether a file name is an archive's or one of its parts': {@code bundle.tar}, {@code bundle.tar.zst},
     * {@code bundle.tar.part-0001}.
     */
    public static boolean isArchive(String fileName) {
        return ARCHIVE.matcher(fileName).matches();
    }

    /** Whether a file name is a zstd bundle's or one of its parts': {@code bundle.tar.zst}, {@code bundle.tar.zst.part-0001}. */
    public static boolean isZstd(String fileName) {
        return ZSTD.matcher(fileName).matches();
    }

    /**
     * Whether a file name is a compressed tar's other than {@code .tar.zst} ({@code bundle.tgz}, {@code bundle.tzst},
     * or a part of one): what an operator names expecting a compressed bundle of a kind this tool does not write.
     */
    public static boolean isCompressedTar(String fileName) {
        return COMPRESSED_TAR.matcher(fileName).matches();
    }

    /**
     * Whether a file name is that of another archive format or of a compressed file, not of a tar ({@code bundle.zip},
     * {@code bundle.7z}, {@code bundle.gz}): what {@code archive://} names expecting a format this tool does not write.
     */
    public static boolean isOtherFormat(String fileName) {
        return !isArchive(fileName) && !isCompressedTar(fileName) && OTHER_FORMAT.matcher(fileName).matches();
    }

    /** The name an archive is opened by: {@code path} itself, or a part's path without its {@code .part-NNNN}. */
    public static Path base(Path path) {
        Matcher part = PART.matcher(path.getFileName().toString());
        return part.matches() ? path.resolveSibling(part.group(1)) : path;
    }

    /** Part {@code number} (from 1) of the archive {@code base}: {@code NAME.tar.part-0001} beside {@code NAME.tar}. */
    public static Path part(Path base, int number) {
        return base.resolveSibling(base.getFileName() + String.format(Locale.ROOT, ".part-%04d", number));
    }
}
