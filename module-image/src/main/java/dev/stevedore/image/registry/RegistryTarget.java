package dev.stevedore.image.registry;

import dev.stevedore.image.oci.Descriptor;
import dev.stevedore.image.oci.Manifest;
import dev.stevedore.image.oci.Referrer;
import dev.stevedore.image.reference.Digest;
import dev.stevedore.image.reference.ImageReference;
import dev.stevedore.image.registry.CredentialResolver;
import dev.stevedore.image.registry.auth.HostAuthorizers;
import dev.stevedore.image.registry.http.HttpClients;
import dev.stevedore.image.registry.http.RetryPolicy;
import dev.stevedore.image.registry.http.Sleeper;
import dev.stevedore.image.registry.http.TransportConfig;
import dev.stevedore.image.target.BlobSource;
import dev.stevedore.image.target.ImageTarget;
import dev.stevedore.spi.Cancellation;
import dev.stevedore.spi.TaskLog;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Every registry a task talks to, as one {@link ImageTarget}: each image reference is served by the
 * registry it names. Per registry host it keeps one client (authentication state, token cache);
 * registries with the same transport settings share one {@link HttpClient}. Both are made lazily,
 * on first use. Thread-safe; close it when the task ends.
 *
 * <p>Beyond the interface, {@link #downloadBlob} and {@link #uploadBlob(ImageReference, Descriptor, Path)}
 * move blobs between a registry and a file directly, without a store; the copier does not use them
 * (it goes through {@link #openBlob} and {@link #writeBlob(ImageReference, Descriptor, BlobSource)}).
 */
public final class RegistryTarget implements ImageTarget {

    /** Seams for tests: how to wait, and what time it is. */
    public record Options(Sleeper sleeper, Clock clock) {
        public Options {
            Objects.requireNonNull(sleeper, "sleeper");
            Objects.requireNonNull(clock, "clock");
        }

        public static Options defaults() {
            return new Options(Sleeper.SYSTEM, Clock.systemUTC());
        }

        public Options withSleeper(Sleeper newSleeper) {
            return new Options(newSleeper, clock);
        }

        public Options withClock(Clock newClock) {
            return new Options(sleeper, newClock);
        }
    }

    private final RegistrySettings settings;
    private final Options options;
    private final Map<TransportConfig, HttpClient> httpClients = new HashMap<>();
    private final Map<String, RegistryClient> clients = new HashMap<>();
    private boolean closed;
    private final Map<String, PullBudget> budgets = new HashMap<>();

    public RegistryTarget(RegistrySettings settings) {
        this(settings, Options.defaults());
    }

    public RegistryTarget(RegistrySettings settings, Options options) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.options = Objects.requireNonNull(options, "options");
    }

    @Override
    public String describe() {
        return "registry";
    }

    @Override
    public Optional<Descriptor> resolve(ImageReference reference) throws IOException {
        return client(reference).resolve(reference);
    }

    @Override
    public Manifest fetchManifest(ImageReference image, Digest digest) throws IOException {
        return client(image).pullManifest(image, digest.toString(), digest);
    }

    @Override
    public Optional<Manifest> fetchManifest(ImageReference reference) throws IOException {
        return client(reference).fetchManifest(reference);
    }

    @Override
    public boolean hasBlob(ImageReference image, Descriptor blob) throws IOException {
        return client(image).hasBlob(image, blob);
    }

    /** A stream of the blob that resumes cut transfers; it does not verify, the reader hashes. */
    @Override
    public InputStream openBlob(ImageReference image, Descriptor blob) throws IOException {
        return client(image).openBlob(image, blob, 0);
    }

    /** The rest of the blob from {@code offset}, asked for with {@code Range} (a registry that ignores it sends it all, and the head is skipped). */
    @Override
    public InputStream openBlob(ImageReference image, Descriptor blob, long offset) throws IOException {
        return client(image).openBlob(image, blob, offset);
    }

    /**
     * Downloads a blob into {@code file} (created or truncated), verifying size and SHA-256 while
     * writing. On return the file is complete and correct: rename it into place, do not hash it again.
     */
    public void downloadBlob(ImageReference image, Descriptor blob, Path file) throws IOException {
        client(image).downloadBlob(image, blob, file);
    }

    /** Uploads from a stream of exactly {@code blob.size()} bytes, in one attempt (a stream cannot be re-read). */
    @Override
    public void writeBlob(ImageReference image, Descriptor blob, InputStream content) throws IOException {
        client(image).uploadBlob(image, blob, BlobContent.of(content, blob.size()));
    }

    /** Uploads from content that can be read again, so a failed upload is retried from a new session. */
    @Override
    public void writeBlob(ImageReference image, Descriptor blob, BlobSource content) throws IOException {
        // Opened once up front, so a source that cannot be read at all (a blob missing from an images
        // directory) fails with its own message rather than as a failed request to this registry.
        AtomicReference<InputStream> first = new AtomicReference<>(content.open());
        BlobSource reopening = () -> {
            InputStream opened = first.getAndSet(null);
            return opened != null ? opened : content.open();
        };
        try {
            client(image).uploadBlob(image, blob, BlobContent.of(reopening, blob.size()));
        } finally {
            InputStream unused = first.getAndSet(null);
            if (unused != null) {
                unused.close();
            }
        }
    }

    /** Uploads from a file: sent by the JDK straight from disk, and retried from a new session on faults. */
    public void uploadBlob(ImageReference image, Descriptor blob, Path file) throws IOException {
        long size = Files.size(file);
        if (size != blob.size()) {
            throw new RegistryException.DigestMismatch("file " + file + " has " + size + " bytes, but blob " + blob.digest()
                    + " has " + blob.size() + "; not pushing it to " + image.name());
        }
        client(image).uploadBlob(image, blob, BlobContent.of(file));
    }

    /** Cross-repository mount on the same registry; false when the registry wants an upload instead. */
    @Override
    public boolean mountBlob(ImageReference image, Descriptor blob, ImageReference from) throws IOException {
        if (!image.registry().equals(from.registry())) {
            return false;
        }
        if (image.repository().equals(from.repository())) {
            return hasBlob(image, blob);
        }
        return client(image).mountBlob(image, blob, from);
    }

    @Override
    public void writeManifest(ImageReference image, Manifest manifest) throws IOException {
        client(image).pushManifest(image, manifest, manifest.digest().toString());
    }

    /** Pushes the manifest under the image's tag; for a digest-only reference, under its digest. */
    @Override
    public void tag(ImageReference image, Manifest manifest) throws IOException {
        client(image).pushManifest(image, manifest, image.tag() != null ? image.tag() : manifest.digest().toString());
    }

    /** Counts the images per registry, for registries that announce a pull budget; asks nothing yet. */
    @Override
    public synchronized void willRead(List<ImageReference> images, TaskLog log, Cancellation cancellation) {
        images.forEach(image -> budget(image).expect(1));
    }

    /** An image answered by a {@code HEAD}, which Docker Hub does not count as a pull: no longer among the pulls to come. */
    @Override
    public synchronized void willNotRead(ImageReference image) {
        budget(image).spared();
    }

    private synchronized PullBudget budget(ImageReference image) {
        return budgets.computeIfAbsent(image.registry(), registry -> new PullBudget(image.apiHost(), settings.events()));
    }

    /** With {@code create_project}, the image's Harbor project exists afterwards; without, nothing is asked. */
    @Override
    public void willWrite(ImageReference image) throws IOException {
        if (settings.push().createProjects()) {
            client(image).ensureProject(image);
        }
    }

    @Override
    public Optional<List<Referrer>> referrers(ImageReference image, Digest subject) throws IOException {
        return client(image).referrers(image, subject);
    }

    @Override
    public boolean writeReferrer(ImageReference image, Manifest referrer) throws IOException {
        return client(image).pushReferrer(image, referrer);
    }

    @Override
    public List<ImageReference> list() {
        throw new UnsupportedOperationException("a registry cannot list its images; name them in manifests");
    }

    private synchronized RegistryClient client(ImageReference image) throws IOException {
        if (closed) {
            // A new client now would start a selector thread nobody stops.
            throw new IllegalStateException("the registry target is closed; open a new one");
        }
        RegistryClient existing = clients.get(image.registry());
        if (existing != null) {
            return existing;
        }
        String registry = image.registry();
        Optional<RegistryAuth> auth = CredentialResolver.authFor(settings, registry);
        RegistryAuth.Transport entry = auth.map(RegistryAuth::transport).orElse(RegistryAuth.Transport.DEFAULT);
        boolean plainHttp = entry.plainHttp();
        boolean skipVerify = entry.skipTlsVerify() != null ? entry.skipTlsVerify() : settings.skipTlsVerify();
        TransportConfig transport = new TransportConfig(plainHttp, !plainHttp && skipVerify,
                entry.caFile(), entry.certFile(), entry.keyFile(), entry.keyPassword());
        HttpClient http = httpClients.get(transport);
        if (http == null) {
            try {
                http = HttpClients.create(transport, settings.limits().connectTimeout(), settings.machine().environment());
            } catch (IOException e) {
                throw new RegistryException("cannot set up TLS for registry " + registry + ": " + e.getMessage(), 0, e);
            }
            httpClients.put(transport, http);
        }
        URI origin = plainHttp ? URI.create("http://" + image.apiHost())
                : transport.skipTlsVerify() ? InsecureFallback.origin(http, image.apiHost(), settings.limits().connectTimeout())
                : URI.create("https://" + image.apiHost());
        CredentialResolver credentials = new CredentialResolver(settings);
        // Each host the registry's requests reach, itself or a redirect target, authenticates with what is
        // configured for that host only.
        HostAuthorizers authorizers = new HostAuthorizers(credentials::forRegistry,
                new TokenRequestSender(http, settings.limits().readTimeout(), settings.events()), options.clock(),
                settings.events()::tokenRequested);
        RetryPolicy retryPolicy = RetryPolicy.of(settings.limits().maxAttempts(), settings.limits().maxRetryTime(), options.sleeper());
        RegistryEndpointCaller caller = new RegistryEndpointCaller(http, origin, authorizers, retryPolicy, settings.limits().readTimeout(), options.clock(),
                settings.form(), settings.events(), budget(image));
        RegistryClient created = new RegistryClient(origin, caller, retryPolicy, Math.max(1, settings.limits().maxAttempts()), settings.events(),
                new UploadStrategy(origin.getRawAuthority(), settings.chunkSize(), settings.events()),
                new HarborProjects(origin, caller, () -> credentials.forRegistry(registry), settings.events()));
        clients.put(registry, created);
        return created;
    }

    /** Drops clients and stops their HttpClients, closing pooled connections. */
    @Override
    public synchronized void close() {
        closed = true;
        clients.clear();
        httpClients.values().forEach(HttpClients::shutDown);
        httpClients.clear();
    }
}
