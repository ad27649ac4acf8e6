package dev.stevedore.image.copy;

import dev.stevedore.image.oci.Manifest;
import dev.stevedore.image.oci.Referrer;
import dev.stevedore.image.oci.ReferrersIndex;
import dev.stevedore.image.reference.Digest;
import dev.stevedore.image.reference.ImageReference;
import dev.stevedore.image.target.ImageTarget;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The referrers tag schema (distribution-spec 1.1, "Referrers Tag Schema") on any target: the index under
 * {@code sha256-<hex>} that lists what refers to that digest, where no referrers API does. Read to find
 * referrers at a source; updated at a destination as the spec asks of a client that pushed a manifest
 * with a {@code subject} to a registry that did not answer {@code OCI-Subject}: fetch the index (none yet:
 * start empty), add the descriptor unless listed, push it to the tag. Updates of one tag are serialized
 * within this copy; the spec leaves concurrent writers from other clients to them.
 */
final class ReferrersTagIndex {

    private final Map<List<Object>, Object> locks = new ConcurrentHashMap<>();

    /** The entries of {@code subject}'s tag index in {@code repository}, or empty when there is no such tag. */
    Optional<List<Referrer>> read(ImageTarget target, ImageReference repository, Digest subject) throws IOException {
        Optional<Manifest> index = target.fetchManifest(tagOf(repository, subject));
        if (index.isEmpty() || !index.get().isIndex()) {
            return Optional.empty();
        }
        return Optional.of(ReferrersIndex.parse(index.get().bytes()));
    }

    /** Adds {@code entry} to {@code subject}'s tag index; false when it was listed already (nothing written). */
    boolean add(ImageTarget target, ImageReference repository, Digest subject, Referrer entry) throws IOException {
        ImageReference tag = tagOf(repository, subject);
        Object lock = locks.computeIfAbsent(List.of(System.identityHashCode(target), tag.name(), tag.tag()), key -> new Object());
        synchronized (lock) {
            List<Referrer> entries = new ArrayList<>(read(target, repository, subject).orElse(List.of()));
            if (entries.stream().anyMatch(listed -> listed.digest().equals(entry.digest()))) {
                return false;
            }
            entries.add(entry);
            target.tag(tag, ReferrersIndex.write(entries));
            return true;
        }
    }

    private static ImageReference tagOf(ImageReference repository, Digest subject) {
        return new ImageReference(repository.registry(), repository.repository(), ReferrerTags.fallbackTag(subject), null);
    }
}
