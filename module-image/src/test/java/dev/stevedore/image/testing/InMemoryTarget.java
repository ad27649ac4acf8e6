package dev.stevedore.image.testing;

import dev.stevedore.image.error.ImageException;
import dev.stevedore.image.oci.Descriptor;
import dev.stevedore.image.oci.Manifest;
import dev.stevedore.image.oci.ManifestParser;
import dev.stevedore.image.reference.Digest;
import dev.stevedore.image.reference.ImageReference;
import dev.stevedore.image.target.ImageTarget;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * A recording in-memory {@link ImageTarget}. Registry-like targets keep blobs per repository and can
 * mount between repositories; directory-like ones share one blob pool. Every write is recorded in order
 * as an event ({@code blob repo digest}, {@code mount repo digest from}, {@code manifest repo digest},
 * {@code tag repo:tag digest}), and a manifest or tag whose content is not all there is refused, as a
 * registry does, so a wrong write order fails the test. Faults can be injected per blob or repository.
 */
public final class InMemoryTarget implements ImageTarget {

    private final String name;
    private final boolean registryLike;
    private final Map<String, Map<Digest, byte[]>> blobs = new HashMap<>();
    private final Map<String, Map<Digest, Manifest>> manifests = new HashMap<>();
    private final Map<String, Map<String, Digest>> tags = new HashMap<>();
    private final List<String> events = new ArrayList<>();
    private final Map<Digest, IOException> failingOpens = new ConcurrentHashMap<>();
    private final Set<String> failingRepositories = ConcurrentHashMap.newKeySet();
    private final AtomicInteger activeWrites = new AtomicInteger();
    private final AtomicInteger maxActiveWrites = new AtomicInteger();
    private volatile long slowReadMillis;
    private volatile boolean mountSupported;
    private final AtomicInteger resolves = new AtomicInteger();
    private volatile Consumer<String> onEvent = event -> { };

    private InMemoryTarget(String name, boolean registryLike) {
        this.name = name;
        this.registryLike = registryLike;
        this.mountSupported = registryLike;
    }

    /** Blobs per repository, cross-repository mounts supported. */
    public static InMemoryTarget registry(String name) {
        return new InMemoryTarget(name, true);
    }

    /** One shared blob pool, like a KubeKey images directory. */
    public static InMemoryTarget directory(String name) {
        return new InMemoryTarget(name, false);
    }

    /** Stores a whole image under {@code reference} without recording events. */
    public synchronized InMemoryTarget put(ImageReference reference, TestImages.TestImage image) {
        blobsOf(reference).putAll(image.blobs());
        for (Manifest child : image.children()) {
            manifestsOf(reference).put(child.digest(), child);
        }
        manifestsOf(reference).put(image.root().digest(), image.root());
        if (reference.tag() != null) {
            tags.computeIfAbsent(reference.name(), k -> new HashMap<>()).put(reference.tag(), image.root().digest());
        }
        return this;
    }

    public synchronized InMemoryTarget putBlob(ImageReference reference, byte[] content) {
        blobsOf(reference).put(Digest.sha256Of(content), content);
        return this;
    }

    public void failOpening(Digest blob, IOException failure) {
        failingOpens.put(blob, failure);
    }

    /** Manifest and tag writes to this repository fail, as a registry refusing a push would. */
    public void failWritesTo(String repositoryName) {
        failingRepositories.add(repositoryName);
    }

    /** Blob streams deliver one byte per read, sleeping this long first. */
    public void slowReads(long millis) {
        slowReadMillis = millis;
    }

    public void withoutMounts() {
        mountSupported = false;
    }

    /** Records a write; the listener sees it at once, under this target's lock. */
    private void record(String event) {
        events.add(event);
        onEvent.accept(event);
    }

    /** Runs {@code listener} with every write event as it is recorded (under this target's lock: it must not wait). */
    public void onEvent(Consumer<String> listener) {
        this.onEvent = listener;
    }

    /** How often a reference was resolved to its manifest here: once an image, as a copy plans it from this source. */
    public int resolves() {
        return resolves.get();
    }

    public synchronized List<String> events() {
        return List.copyOf(events);
    }

    public synchronized long count(String eventPrefix) {
        return events.stream().filter(e -> e.startsWith(eventPrefix)).count();
    }

    public int maxConcurrentBlobWrites() {
        return maxActiveWrites.get();
    }

    public synchronized boolean hasBlob(String repository, Digest digest) {
        return blobs.getOrDefault(registryLike ? repository : "", Map.of()).containsKey(digest);
    }

    public synchronized Optional<Digest> tagged(String repository, String tag) {
        return Optional.ofNullable(tags.getOrDefault(repository, Map.of()).get(tag));
    }

    public synchronized Optional<Manifest> manifest(String repository, Digest digest) {
        return Optional.ofNullable(manifestsOf(repository).get(digest));
    }

    @Override
    public String describe() {
        return (registryLike ? "registry " : "images directory ") + name;
    }

    @Override
    public synchronized Optional<Descriptor> resolve(ImageReference reference) {
        resolves.incrementAndGet();
        Digest digest = reference.digest() != null ? reference.digest()
                : tags.getOrDefault(reference.name(), Map.of()).get(reference.tag());
        Manifest manifest = digest == null ? null : manifestsOf(reference).get(digest);
        return Optional.ofNullable(manifest).map(Manifest::descriptor);
    }

    @Override
    public synchronized Manifest fetchManifest(ImageReference image, Digest digest) throws IOException {
        Manifest manifest = manifestsOf(image).get(digest);
        if (manifest == null) {
            throw new ImageException("manifest " + digest + " of " + image + " not found in " + describe());
        }
        return manifest;
    }

    @Override
    public synchronized boolean hasBlob(ImageReference image, Descriptor blob) {
        return blobsOf(image).containsKey(blob.digest());
    }

    @Override
    public InputStream openBlob(ImageReference image, Descriptor blob) throws IOException {
        IOException failure = failingOpens.get(blob.digest());
        if (failure != null) {
            throw failure;
        }
        byte[] content;
        synchronized (this) {
            content = blobsOf(image).get(blob.digest());
        }
        if (content == null) {
            throw new ImageException("blob " + blob.digest() + " of " + image + " not found in " + describe());
        }
        long delay = slowReadMillis;
        if (delay == 0) {
            return new ByteArrayInputStream(content);
        }
        return new ByteArrayInputStream(content) {
            @Override
            public synchronized int read(byte[] buffer, int offset, int length) {
                try {
                    Thread.sleep(delay);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return super.read(buffer, offset, Math.min(length, 1));
            }
        };
    }

    @Override
    public void writeBlob(ImageReference image, Descriptor blob, InputStream content) throws IOException {
        int active = activeWrites.incrementAndGet();
        maxActiveWrites.accumulateAndGet(active, Math::max);
        try {
            byte[] bytes = content.readAllBytes();
            if (bytes.length != blob.size() || !Digest.sha256Of(bytes).equals(blob.digest())) {
                throw new ImageException("blob " + blob.digest() + " does not match its digest or size");
            }
            synchronized (this) {
                blobsOf(image).put(blob.digest(), bytes);
                record("blob " + image.name() + " " + blob.digest());
            }
        } finally {
            activeWrites.decrementAndGet();
        }
    }

    @Override
    public synchronized boolean mountBlob(ImageReference image, Descriptor blob, ImageReference from) {
        if (!mountSupported || !blobsOf(from).containsKey(blob.digest())) {
            return false;
        }
        blobsOf(image).put(blob.digest(), blobsOf(from).get(blob.digest()));
        record("mount " + image.name() + " " + blob.digest() + " from " + from.name());
        return true;
    }

    @Override
    public synchronized void writeManifest(ImageReference image, Manifest manifest) throws IOException {
        checkWritable(image);
        requireContent(image, manifest);
        manifestsOf(image).put(manifest.digest(), manifest);
        record("manifest " + image.name() + " " + manifest.digest());
    }

    @Override
    public synchronized void tag(ImageReference image, Manifest manifest) throws IOException {
        checkWritable(image);
        requireContent(image, manifest);
        manifestsOf(image).put(manifest.digest(), manifest);
        tags.computeIfAbsent(image.name(), k -> new HashMap<>()).put(image.tag(), manifest.digest());
        record("tag " + image.name() + ":" + image.tag() + " " + manifest.digest());
    }

    @Override
    public synchronized List<ImageReference> list() {
        List<ImageReference> images = new ArrayList<>();
        tags.forEach((repo, byTag) -> byTag.keySet().forEach(tag -> images.add(ImageReference.parse(repo + ":" + tag))));
        images.sort((a, b) -> a.toString().compareTo(b.toString()));
        return images;
    }

    private void checkWritable(ImageReference image) throws ImageException {
        if (failingRepositories.contains(image.name())) {
            throw new ImageException("registry " + name + " refused the push to " + image.name() + ": denied");
        }
    }

    /** Refuses a manifest whose blobs or child manifests are missing: the order the copier must keep. */
    private void requireContent(ImageReference image, Manifest manifest) {
        if (manifest.isIndex()) {
            for (Descriptor child : ManifestParser.parseIndex(manifest).manifests()) {
                if (!manifestsOf(image).containsKey(child.digest())) {
                    throw new IllegalStateException("index " + manifest.digest() + " written before its child " + child.digest());
                }
            }
            return;
        }
        Set<Digest> present = new HashSet<>(blobsOf(image).keySet());
        for (Descriptor blob : ManifestParser.parseManifest(manifest).blobs()) {
            if (!present.contains(blob.digest())) {
                throw new IllegalStateException("manifest " + manifest.digest() + " written before its blob " + blob.digest());
            }
        }
    }

    private Map<Digest, byte[]> blobsOf(ImageReference image) {
        return blobs.computeIfAbsent(registryLike ? image.name() : "", k -> new HashMap<>());
    }

    private Map<Digest, Manifest> manifestsOf(ImageReference image) {
        return manifestsOf(image.name());
    }

    private Map<Digest, Manifest> manifestsOf(String repository) {
        return manifests.computeIfAbsent(repository, k -> new HashMap<>());
    }
}
