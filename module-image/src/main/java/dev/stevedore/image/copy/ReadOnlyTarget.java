package dev.stevedore.image.copy;

import dev.stevedore.image.error.ProjectMissing;
import dev.stevedore.image.oci.Descriptor;
import dev.stevedore.image.oci.Manifest;
import dev.stevedore.image.oci.Referrer;
import dev.stevedore.image.reference.Digest;
import dev.stevedore.image.reference.ImageReference;
import dev.stevedore.image.target.BlobSource;
import dev.stevedore.image.target.ImageTarget;
import dev.stevedore.image.target.RootFiles;
import dev.stevedore.spi.Cancellation;
import dev.stevedore.spi.TaskLog;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A target of a check run: every read goes to the real target, every write is refused. A check run
 * plans only, so a write reaching here is a bug; refusing it loudly keeps it from changing a registry or
 * a bundle, and makes the bug a failed task instead of a silent change. Two writes a check run plans with
 * are answered instead: a mount says whether it would succeed, and a root file's write is dropped.
 *
 * <p>{@link #willWrite} does nothing: on a registry that keeps repositories in projects it would create
 * the image's project ({@code create_project}), which is a write. With {@code create_project}, a project
 * the registry says is missing therefore reads as empty, as a real run finds it once it has created it;
 * it is remembered, since the registry refuses further reads into it in ways that no longer name it (a
 * HEAD has no body to say so).
 */
final class ReadOnlyTarget implements ImageTarget {

    private final ImageTarget target;
    private final boolean sharedBlobPool;
    private final boolean projectsCreated;
    /** {@code registry/project} of the projects a real run would create, as found while reading. */
    private final Set<String> missingProjects = ConcurrentHashMap.newKeySet();

    /**
     * @param sharedBlobPool the target keeps one blob pool for all its repositories (the directory stores),
     *                       so a blob a run writes for one image is there for every other; a registry keeps
     *                       blobs per repository and mounts them across
     * @param projectsCreated a real run would create missing Harbor projects ({@code create_project})
     */
    ReadOnlyTarget(ImageTarget target, boolean sharedBlobPool, boolean projectsCreated) {
        this.target = target;
        this.sharedBlobPool = sharedBlobPool;
        this.projectsCreated = projectsCreated;
    }

    boolean sharedBlobPool() {
        return sharedBlobPool;
    }

    @Override
    public String describe() {
        return target.describe();
    }

    @Override
    public Optional<Descriptor> resolve(ImageReference reference) throws IOException {
        try {
            return target.resolve(reference);
        } catch (IOException e) {
            requireCreated(reference, e);
            return Optional.empty();
        }
    }

    @Override
    public Manifest fetchManifest(ImageReference image, Digest digest) throws IOException {
        return target.fetchManifest(image, digest);
    }

    @Override
    public Optional<Manifest> fetchManifest(ImageReference reference) throws IOException {
        try {
            return target.fetchManifest(reference);
        } catch (IOException e) {
            requireCreated(reference, e);
            return Optional.empty();
        }
    }

    @Override
    public boolean hasBlob(ImageReference image, Descriptor blob) throws IOException {
        if (missingProjects.contains(project(image, image.repository().split("/", 2)[0]))) {
            return false; // a project created by the real run is empty
        }
        try {
            return target.hasBlob(image, blob);
        } catch (IOException e) {
            requireCreated(image, e);
            return false;
        }
    }

    @Override
    public InputStream openBlob(ImageReference image, Descriptor blob) throws IOException {
        return target.openBlob(image, blob);
    }

    @Override
    public InputStream openBlob(ImageReference image, Descriptor blob, long offset) throws IOException {
        return target.openBlob(image, blob, offset);
    }

    @Override
    public Optional<List<Referrer>> referrers(ImageReference image, Digest subject) throws IOException {
        return target.referrers(image, subject);
    }

    @Override
    public List<ImageReference> list() throws IOException {
        return target.list();
    }

    @Override
    public void willRead(List<ImageReference> images, TaskLog log, Cancellation cancellation) throws IOException {
        target.willRead(images, log, cancellation);
    }

    @Override
    public void willNotRead(ImageReference image) {
        target.willNotRead(image);
    }

    @Override
    public Optional<String> readCaveat() {
        return target.readCaveat();
    }

    @Override
    public void willWrite(ImageReference image) {
        // Creating a missing Harbor project is a write: a check run leaves it missing.
    }

    @Override
    public void writeBlob(ImageReference image, Descriptor blob, InputStream content) {
        throw refused("blob " + blob.digest(), image);
    }

    @Override
    public void writeBlob(ImageReference image, Descriptor blob, BlobSource content) {
        throw refused("blob " + blob.digest(), image);
    }

    /**
     * Whether a mount would succeed, without mounting: the blob is in {@code from}. A delta's push plans its
     * left-out blobs this way ({@link DeltaBlobs}); the copy's own mounts are forecast, never asked for.
     */
    @Override
    public boolean mountBlob(ImageReference image, Descriptor blob, ImageReference from) throws IOException {
        return hasBlob(from, blob);
    }

    @Override
    public void writeManifest(ImageReference image, Manifest manifest) {
        throw refused("manifest " + manifest.digest(), image);
    }

    @Override
    public void tag(ImageReference image, Manifest manifest) {
        throw refused("tag " + image.tag(), image);
    }

    @Override
    public boolean writeReferrer(ImageReference image, Manifest referrer) {
        throw refused("referrer " + referrer.digest(), image);
    }

    /**
     * The real root files to read; a write (the marker a delta's pull leaves in its bundle) is dropped, as the
     * blobs and manifests it describes are not written either.
     */
    @Override
    public Optional<RootFiles> rootFiles() {
        return target.rootFiles().map(real -> new RootFiles() {
            @Override
            public Optional<byte[]> read(String name) throws IOException {
                return real.read(name);
            }

            @Override
            public void write(String name, byte[] content) {
                // a check run writes nothing
            }
        });
    }

    @Override
    public void close() throws IOException {
        target.close();
    }

    /**
     * Rethrows {@code failure} unless it is a missing project the real run would create: a missing project
     * fails the check as it fails the real run, and so does every other failure.
     */
    private void requireCreated(ImageReference image, IOException failure) throws IOException {
        if (!(failure instanceof ProjectMissing missing) || !projectsCreated) {
            throw failure;
        }
        missingProjects.add(project(image, missing.project()));
    }

    private static String project(ImageReference image, String project) {
        return image.registry() + "/" + project;
    }

    private IllegalStateException refused(String what, ImageReference image) {
        return new IllegalStateException("check mode: " + what + " of " + image + " was about to be written to "
                + target.describe() + "; a check run writes nothing (a bug in the check run, nothing was written)");
    }
}
