package dev.stevedore.image.store;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * What an images directory holds, for task results and progress lines.
 *
 * @param images the images it lists (tags, and images stored by digest)
 * @param blobs  the blob files, temporary files excluded
 * @param bytes  the total size of those blobs
 */
public record ImagesDirectoryStats(int images, long blobs, long bytes) {

    /** Counts the regular, non-temporary files directly in {@code blobFolder}. */
    static ImagesDirectoryStats count(int images, Path blobFolder) throws IOException {
        long blobs = 0;
        long bytes = 0;
        if (Files.isDirectory(blobFolder)) {
            try (DirectoryStream<Path> files = Files.newDirectoryStream(blobFolder)) {
                for (Path file : files) {
                    BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
                    if (attributes.isRegularFile() && !AtomicFiles.isTemporary(file)) {
                        blobs++;
                        bytes += attributes.size();
                    }
                }
            }
        }
        return new ImagesDirectoryStats(images, blobs, bytes);
    }
}
