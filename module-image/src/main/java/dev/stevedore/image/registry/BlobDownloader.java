package dev.stevedore.image.registry;

import dev.stevedore.image.oci.Descriptor;
import dev.stevedore.image.reference.Digest;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;

/**
 * Downloads a blob into a file the caller chose (a temporary file next to the final one), hashing
 * while it writes, resuming cut transfers with Range. When it returns, the file holds exactly the
 * blob: size and SHA-256 match the descriptor, and the caller may rename it into place without
 * hashing it again. On failure the file may hold partial content; the caller deletes it.
 */
final class BlobDownloader {

    private static final int BUFFER = 256 * 1024;

    private final ResumingBlobInputStream.Opener opener;
    private final int maxResumes;
    private final RegistryPaths paths;

    BlobDownloader(RegistryPaths paths, ResumingBlobInputStream.Opener opener, int maxResumes) {
        this.paths = paths;
        this.opener = opener;
        this.maxResumes = maxResumes;
    }

    void download(Descriptor blob, Path file) throws IOException {
        MessageDigest sha256 = Digest.newSha256();
        String action = "pull blob " + blob.digest() + " of " + paths.imageName() + " from registry " + paths.host();
        try (InputStream in = new ResumingBlobInputStream(opener, blob.size(), maxResumes, action, paths.host());
             OutputStream out = Files.newOutputStream(file, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                     StandardOpenOption.WRITE)) {
            byte[] buffer = new byte[BUFFER];
            long total = 0;
            for (int n; (n = in.read(buffer)) >= 0; ) {
                sha256.update(buffer, 0, n);
                out.write(buffer, 0, n);
                total += n;
            }
            if (total != blob.size()) {
                throw new RegistryException.DigestMismatch("blob " + blob.digest() + " of " + paths.imageName() + " from registry "
                        + paths.host() + " has " + total + " bytes, expected " + blob.size());
            }
        }
        Digest actual = Digest.of(sha256.digest());
        if (!actual.equals(blob.digest())) {
            throw new RegistryException.DigestMismatch("blob " + blob.digest() + " of " + paths.imageName() + " from registry "
                    + paths.host() + " has digest " + actual + "; the download is discarded");
        }
    }

}
