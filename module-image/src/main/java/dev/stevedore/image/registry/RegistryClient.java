package dev.stevedore.image.registry;

import dev.stevedore.image.oci.Descriptor;
import dev.stevedore.image.oci.Manifest;
import dev.stevedore.image.oci.MediaTypes;
import dev.stevedore.image.oci.Referrer;
import dev.stevedore.image.reference.Digest;
import dev.stevedore.image.reference.ImageReference;
import dev.stevedore.image.registry.http.RetryPolicy;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The Distribution API of one registry host: a thin facade over one endpoint class per protocol
 * step, all sent through one {@link RegistryEndpointCaller}. Thread-safe.
 */
final class RegistryClient {

    private final URI origin;
    private final RegistryEndpointCaller caller;
    private final RetryPolicy retryPolicy;
    private final int maxResumes;
    private final RegistryEvents events;
    private final UploadStrategy uploads;
    private final HarborProjects projects;

    RegistryClient(URI origin, RegistryEndpointCaller caller, RetryPolicy retryPolicy, int maxResumes, RegistryEvents events,
                   UploadStrategy uploads, HarborProjects projects) {
        this.projects = projects;
        this.events = events;
        this.uploads = uploads;
        this.origin = origin;
        this.caller = caller;
        this.retryPolicy = retryPolicy;
        this.maxResumes = maxResumes;
    }

    private RegistryPaths paths(ImageReference image) {
        return new RegistryPaths(origin, image);
    }

    Optional<Descriptor> resolve(ImageReference reference) throws IOException {
        RegistryPaths paths = paths(reference);
        Optional<ManifestResolver.Head> head;
        try {
            head = caller.call(new ManifestResolver(paths, reference.reference()));
        } catch (RegistryException refused) {
            // 400, 401 and 403 are where registries say more than the status (407, a proxy's, says nothing of the repository).
            if (!List.of(400, 401, 403).contains(refused.status()) || !refused.codes().isEmpty()) {
                throw refused;
            }
            // An answer to HEAD has no body, so the registry's reason (Harbor's "project X not found", NAME_INVALID)
            // is lost; GET asks again. Only a reason about the repository replaces the refusal of the HEAD.
            try {
                return fetchManifest(reference).map(Manifest::descriptor);
            } catch (ProjectMissingException | RepositoryNameRefusedException why) {
                throw why;
            } catch (RegistryException same) {
                throw refused;
            }
        }
        if (head.isEmpty()) {
            return Optional.empty();
        }
        ManifestResolver.Head found = head.get();
        if (found.digest() != null && found.size() >= 0 && MediaTypes.isManifestOrIndex(found.mediaType())) {
            return Optional.of(found.toDescriptor());
        }
        // HEAD told too little (no digest, or schema 1): GET, which also refuses schema 1 clearly.
        return Optional.of(pullManifest(reference, reference.reference(), reference.digest()).descriptor());
    }

    /** What a tag or digest points at, in one GET; empty when the registry does not know it. */
    Optional<Manifest> fetchManifest(ImageReference reference) throws IOException {
        try {
            Manifest pulled = pullManifest(reference, reference.reference(), reference.digest());
            caller.pullBudget().pulled();
            return Optional.of(pulled);
        } catch (RegistryException.NotFound e) {
            return Optional.empty();
        } catch (PullLimitReachedException e) {
            caller.pullBudget().refused();
            throw e;
        }
    }

    Manifest pullManifest(ImageReference image, String reference, Digest expected) throws IOException {
        return caller.call(new ManifestPuller(paths(image), reference, expected));
    }

    boolean hasBlob(ImageReference image, Descriptor blob) throws IOException {
        return caller.call(new BlobChecker(paths(image), blob));
    }

    /** The blob from byte {@code start} on; nothing is requested before the first read. */
    InputStream openBlob(ImageReference image, Descriptor blob, long start) {
        RegistryPaths paths = paths(image);
        String action = "pull blob " + blob.digest() + " of " + paths.imageName() + " from registry " + paths.host();
        return new ResumingBlobInputStream(offset -> caller.call(new BlobPuller(paths, blob, offset)), start, blob.size(), maxResumes,
                action, paths.host());
    }

    void downloadBlob(ImageReference image, Descriptor blob, Path file) throws IOException {
        RegistryPaths paths = paths(image);
        new BlobDownloader(paths, offset -> caller.call(new BlobPuller(paths, blob, offset)), maxResumes).download(blob, file);
    }

    boolean mountBlob(ImageReference image, Descriptor blob, ImageReference from) throws IOException {
        boolean mounted = caller.call(new BlobMounter(paths(image), blob, from));
        events.mountTried(image.name(), blob.digest().toString(), from.name(), mounted);
        return mounted;
    }

    void uploadBlob(ImageReference image, Descriptor blob, BlobContent content) throws IOException {
        new BlobUploader(caller, paths(image), retryPolicy, uploads).upload(blob, content);
    }

    /** Every page of the referrers API's list for {@code subject}; empty when the registry has no such API. */
    Optional<List<Referrer>> referrers(ImageReference image, Digest subject) throws IOException {
        RegistryPaths paths = paths(image);
        List<Referrer> all = new ArrayList<>();
        URI page = paths.referrers(subject);
        Set<URI> seen = new HashSet<>();
        while (page != null && seen.add(page)) {
            Optional<ReferrersLister.Page> answer = caller.call(new ReferrersLister(paths, subject, page));
            if (answer.isEmpty()) {
                return all.isEmpty() ? Optional.empty() : Optional.of(all);
            }
            all.addAll(answer.get().referrers());
            page = answer.get().next();
        }
        return Optional.of(all);
    }

    /** Pushes a manifest with a subject by digest; true when the registry answered {@code OCI-Subject}. */
    boolean pushReferrer(ImageReference image, Manifest referrer) throws IOException {
        return caller.call(new ReferrerPusher(paths(image), referrer));
    }

    /** The project of {@code image} exists afterwards, created through Harbor's API if it was missing. */
    void ensureProject(ImageReference image) throws IOException {
        projects.ensure(image);
    }

    void pushManifest(ImageReference image, Manifest manifest, String reference) throws IOException {
        caller.call(new ManifestPusher(paths(image), manifest, reference));
    }
}
