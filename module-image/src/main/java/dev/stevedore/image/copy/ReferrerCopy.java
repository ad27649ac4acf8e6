package dev.stevedore.image.copy;

import dev.stevedore.image.error.ImageException;
import dev.stevedore.image.oci.Descriptor;
import dev.stevedore.image.oci.Manifest;
import dev.stevedore.image.oci.ManifestParser;
import dev.stevedore.image.oci.Referrer;
import dev.stevedore.image.reference.Digest;
import dev.stevedore.image.reference.ImageReference;
import dev.stevedore.image.target.ImageTarget;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Copies what refers to an image's manifests ({@code referrers: true}): signatures, SBOMs, attestations,
 * and what refers to those in turn (a signature of an SBOM), after the image itself is in place.
 *
 * <p>At the source, the referrers of each copied manifest are what the referrers API lists where the
 * source has it, else the referrers tag schema's {@code sha256-<hex>} index; cosign's
 * {@code sha256-<hex>.sig/.att/.sbom} tags are looked at in both cases, as cosign writes them whatever the
 * registry supports. At the destination each referrer's blobs go first, then its manifest: one with a
 * {@code subject} by digest, entered in the tag schema's index unless the registry indexed it itself
 * ({@code OCI-Subject}); a cosign one under its tag. The directory stores have no API, so they hold the
 * tag schema's index and cosign's tags, and a later copy from them finds referrers the same way.
 */
final class ReferrerCopy {

    /** Referrers of referrers are followed this deep: a signature of an SBOM of an image is depth 2. */
    private static final int MAX_DEPTH = 3;

    private final ReferrersTagIndex tagIndex = new ReferrersTagIndex();

    /** A referrer as the source gave it; {@code manifest} is known already for a cosign tag. */
    private record Found(Digest subject, Digest digest, String via, String tag, Manifest manifest) {
    }

    /** One referrer found at the source: copied to the destination, or forecast in a check run. */
    @FunctionalInterface
    private interface Step {
        ReferrerResult take(ImagePlan plan, ImageReference source, ImageReference dest, Found found) throws IOException;
    }

    /** The referrers copied (or found already there) for every manifest the plan wrote. */
    List<ReferrerResult> copy(ImagePlan plan) throws IOException {
        return walk(plan, this::copyOne, "the image was copied, but not its referrer ", "; run again to copy it, or leave referrers off");
    }

    /**
     * What {@link #copy} would report for the plan, found by reading only: each referrer at the source, and
     * whether the destination holds it (and lists it, where it keeps the tag schema's index). A check run's.
     */
    List<ReferrerResult> forecast(ImagePlan plan) throws IOException {
        return walk(plan, this::forecastOne, "check mode: could not tell whether to copy the referrer ", "");
    }

    /** Every referrer of the plan's manifests, and of those referrers in turn, {@link #MAX_DEPTH} deep, each taken by {@code step}. */
    private List<ReferrerResult> walk(ImagePlan plan, Step step, String failureLead, String remedy) throws IOException {
        // Lookups replace the tag or digest of these references: only their repositories count.
        ImageReference source = plan.source().reference();
        ImageReference dest = plan.destination().reference();
        Deque<Digest> subjects = new ArrayDeque<>();
        Deque<Integer> depths = new ArrayDeque<>();
        for (Manifest manifest : plan.children()) {
            subjects.add(manifest.digest());
            depths.add(1);
        }
        subjects.add(plan.root().digest());
        depths.add(1);
        Set<Digest> seen = new HashSet<>();
        List<ReferrerResult> results = new ArrayList<>();
        while (!subjects.isEmpty()) {
            Digest subject = subjects.poll();
            int depth = depths.poll();
            for (Found found : find(plan.source().target(), source, subject)) {
                if (!seen.add(found.digest())) {
                    continue;
                }
                try {
                    results.add(step.take(plan, source, dest, found));
                } catch (IOException | RuntimeException e) {
                    throw new ImageException(failureLead + found.digest() + " (of " + subject + ", found by "
                            + found.via().replace('_', ' ') + "): " + e.getMessage() + remedy, e);
                }
                if (depth < MAX_DEPTH) {
                    subjects.add(found.digest());
                    depths.add(depth + 1);
                }
            }
        }
        return results;
    }

    private List<Found> find(ImageTarget source, ImageReference repository, Digest subject) throws IOException {
        List<Found> found = new ArrayList<>();
        Optional<List<Referrer>> listed = source.referrers(repository, subject);
        String via = "referrers_api";
        if (listed.isEmpty()) {
            listed = tagIndex.read(source, repository, subject);
            via = "tag_schema";
        }
        for (Referrer referrer : listed.orElse(List.of())) {
            found.add(new Found(subject, referrer.digest(), via, "", null));
        }
        for (String suffix : ReferrerTags.COSIGN_SUFFIXES) {
            String tag = ReferrerTags.cosignTag(subject, suffix);
            Optional<Manifest> manifest = source.fetchManifest(repository.withTag(tag));
            manifest.ifPresent(m -> found.add(new Found(subject, m.digest(), "cosign_tag", tag, m)));
        }
        return found;
    }

    private ReferrerResult copyOne(ImagePlan plan, ImageReference source, ImageReference dest, Found found) throws IOException {
        ImageTarget from = plan.source().target();
        ImageTarget to = plan.destination().target();
        Manifest manifest = found.manifest() != null ? found.manifest() : from.fetchManifest(source, found.digest());
        Referrer entry = Referrer.of(manifest);
        boolean copied = false;
        if (found.tag().isEmpty()) {
            ImageReference byDigest = dest.withDigest(manifest.digest());
            boolean present = to.resolve(byDigest).isPresent();
            boolean indexed;
            if (present) {
                indexed = to.referrers(dest, found.subject()).isPresent();
            } else {
                copyContent(from, source, to, dest, manifest);
                indexed = to.writeReferrer(dest, manifest);
                copied = true;
            }
            if (!indexed) {
                copied |= tagIndex.add(to, dest, found.subject(), entry);
            }
            return result(entry, found, indexed ? "referrers_api" : "tag_schema", copied);
        }
        ImageReference tagged = dest.withTag(found.tag());
        Optional<Descriptor> existing = to.resolve(tagged);
        if (existing.isEmpty() || !existing.get().digest().equals(manifest.digest())) {
            copyContent(from, source, to, dest, manifest);
            to.tag(tagged, manifest);
            copied = true;
        }
        return result(entry, found, "tag", copied);
    }

    /**
     * As {@link #copyOne} decides, without writing: a referrer by subject would be copied when the destination
     * lacks it, or lacks it in the tag schema's index it keeps instead of an API; a cosign one when its tag is
     * missing or points elsewhere. Where it is missing, whether the destination would index it itself is
     * forecast by whether it has the referrers API.
     */
    private ReferrerResult forecastOne(ImagePlan plan, ImageReference source, ImageReference dest, Found found) throws IOException {
        ImageTarget to = plan.destination().target();
        Manifest manifest = found.manifest() != null ? found.manifest() : plan.source().target().fetchManifest(source, found.digest());
        Referrer entry = Referrer.of(manifest);
        if (found.tag().isEmpty()) {
            boolean present = to.resolve(dest.withDigest(manifest.digest())).isPresent();
            boolean api = to.referrers(dest, found.subject()).isPresent();
            boolean listed = api || tagIndex.read(to, dest, found.subject()).orElse(List.of()).stream()
                    .anyMatch(referrer -> referrer.digest().equals(entry.digest()));
            return result(entry, found, api ? "referrers_api" : "tag_schema", !present || !listed);
        }
        Optional<Descriptor> existing = to.resolve(dest.withTag(found.tag()));
        return result(entry, found, "tag", existing.isEmpty() || !existing.get().digest().equals(manifest.digest()));
    }

    /** The blobs of a referrer manifest (and an index referrer's children with theirs), before the manifest. */
    private static void copyContent(ImageTarget from, ImageReference source, ImageTarget to, ImageReference dest, Manifest manifest)
            throws IOException {
        if (manifest.isIndex()) {
            for (Descriptor child : ManifestParser.parseIndex(manifest).manifests()) {
                Manifest childManifest = from.fetchManifest(source, child.digest());
                copyContent(from, source, to, dest, childManifest);
                to.writeManifest(dest, childManifest);
            }
            return;
        }
        for (Descriptor blob : ManifestParser.parseManifest(manifest).blobs()) {
            if (!to.hasBlob(dest, blob)) {
                to.writeBlob(dest, blob, () -> from.openBlob(source, blob));
            }
        }
    }

    private static ReferrerResult result(Referrer entry, Found found, String pushed, boolean copied) {
        return new ReferrerResult(entry.digest().toString(), entry.mediaType(), entry.artifactType(), found.subject().toString(),
                found.via(), found.tag(), pushed, copied);
    }
}
