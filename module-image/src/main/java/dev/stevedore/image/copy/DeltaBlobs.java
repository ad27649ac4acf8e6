package dev.stevedore.image.copy;

import dev.stevedore.image.error.ImageException;
import dev.stevedore.image.oci.Descriptor;
import dev.stevedore.image.receipt.DeltaMarker;
import dev.stevedore.image.receipt.Receipt;
import dev.stevedore.image.receipt.ReceiptFile;
import dev.stevedore.image.reference.Digest;
import dev.stevedore.image.reference.ImageReference;
import dev.stevedore.image.target.ImageTarget;
import dev.stevedore.image.target.RootFiles;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Delta bundles in one copy, both ends. A pull with {@code exclude:} leaves the receipt's blobs out of a
 * bundle, a directory or an archive ({@link #keep}), and marks the bundle with its root file
 * {@link DeltaMarker#FILE_NAME} ({@link #finishPlanning}) before any manifest is written. A push from a
 * marked bundle checks, while it plans (so before any manifest of any image leaves), that
 * every blob the bundle left out is in the destination repository, mounting it from another repository of
 * the same registry the receipt saw it in ({@link #requireAtDestination}); the transfers then find it there
 * and skip it. One image lacking such a blob stops every image of the push ({@link #finishPlanning}).
 * Thread-safe: images are planned in parallel.
 */
final class DeltaBlobs {

    private static final int NAMED_IN_ERRORS = 3;

    private final Receipt exclude;
    // Keyed by target: the copy's targets are one per location (Targets), so one per bundle.
    private final Map<ImageTarget, Map<Digest, List<String>>> excludedPerBundle = new ConcurrentHashMap<>();
    private final Map<ImageTarget, Optional<DeltaMarker>> markers = new ConcurrentHashMap<>();
    /** The images whose far-side blobs are missing, with the registry: any of them stops the whole push. */
    private final Map<ImageReference, String> lacking = new ConcurrentHashMap<>();

    private DeltaBlobs(Receipt exclude) {
        this.exclude = exclude;
    }

    /** Reads the receipt to exclude, if the request names one; a receipt that cannot be read fails the request. */
    static DeltaBlobs of(CopyRequest request) throws IOException {
        Path receipt = request.options().receipts().exclude();
        return new DeltaBlobs(receipt == null ? null : ReceiptFile.read(receipt));
    }

    /**
     * The blobs of an image to write into {@code dest}: all of them, or with {@code exclude:} those the receipt
     * does not list. The manifests are written whole either way.
     */
    List<Descriptor> keep(Location dest, ImageTarget destTarget, ImageReference image, List<Descriptor> blobs) throws ImageException {
        if (exclude == null) {
            return blobs;
        }
        if (destTarget.rootFiles().isEmpty()) {
            throw new ImageException("exclude: leaves blobs out of a bundle, but " + image + " goes to a registry ("
                    + dest + "), which refuses manifests whose blobs it lacks; pull into local://, oci-layout:// or archive:// instead");
        }
        Map<Digest, List<String>> excluded = excludedPerBundle.computeIfAbsent(destTarget, target -> new ConcurrentHashMap<>());
        List<Descriptor> kept = new ArrayList<>();
        for (Descriptor blob : blobs) {
            if (exclude.blobs().contains(blob.digest())) {
                excluded.put(blob.digest(), exclude.repositoriesHolding(blob.digest()));
            } else {
                kept.add(blob);
            }
        }
        return kept;
    }

    /**
     * Called once every image is planned, before anything is written: writes the delta marker of every directory
     * this copy left blobs out of, and, when a delta's push found an image whose left-out blobs the destination
     * lacks, turns every other image still to copy into a failure too. A delta pushed into the wrong registry then
     * sends no manifest at all, rather than the few images that happen to need nothing from the far side.
     *
     * @param planned per image, its plan or the result of an image that could not be planned
     */
    List<PlanOutcome> finishPlanning(List<PlanOutcome> planned) throws IOException {
        for (Map.Entry<ImageTarget, Map<Digest, List<String>>> bundle : excludedPerBundle.entrySet()) {
            if (!bundle.getValue().isEmpty()) {
                new DeltaMarker(exclude.source(), exclude.created(), bundle.getValue())
                        .writeInto(bundle.getKey().rootFiles().orElseThrow(), bundle.getKey().describe());
            }
        }
        if (lacking.isEmpty()) {
            return planned;
        }
        Map.Entry<ImageReference, String> first = lacking.entrySet().iterator().next();
        List<PlanOutcome> settled = new ArrayList<>();
        for (PlanOutcome outcome : planned) {
            settled.add(outcome instanceof PlanOutcome.ToCopy toCopy && !toCopy.plan().upToDate()
                    ? new PlanOutcome.Settled(ImageResult.failed(toCopy.plan().source().description(), toCopy.plan().destination().description(),
                            "not pushed: the delta bundle's push stopped before any manifest, because registry " + first.getValue()
                            + " lacks blobs the bundle left out of " + first.getKey()
                            + (lacking.size() > 1 ? " and " + (lacking.size() - 1) + " more images" : "")
                            + " (see " + (lacking.size() > 1 ? "their errors" : "its error") + ")"))
                    : outcome);
        }
        return settled;
    }

    /** Whether this copy leaves blobs out ({@code exclude:}) or reads a delta bundle: then it plans every image first. */
    boolean plansEveryImageFirst(Collection<ImageTarget> sources) throws IOException {
        if (exclude != null) {
            return true;
        }
        for (ImageTarget source : sources) {
            if (marker(source).isPresent()) {
                return true;
            }
        }
        return false;
    }

    /**
     * Checks that the destination holds every blob the source directory's delta left out of this image, mounting
     * one from another repository of the registry where the receipt saw it.
     *
     * @throws ImageException naming the image, the registry and the missing blobs, and what to do
     */
    void requireAtDestination(ImageTarget sourceTarget, ImageReference sourceRef,
                              ImageTarget destTarget, ImageReference destRef, List<Descriptor> blobs) throws IOException {
        Optional<DeltaMarker> marker = marker(sourceTarget); // only a bundle has one: a registry has no root files
        if (marker.isEmpty()) {
            return;
        }
        Map<Digest, List<String>> missing = new LinkedHashMap<>();
        for (Descriptor blob : blobs) {
            if (!marker.get().excludes(blob.digest()) || sourceTarget.hasBlob(sourceRef, blob)
                    || destTarget.hasBlob(destRef, blob)) {
                continue;
            }
            List<String> repositories = marker.get().repositoriesHolding(blob.digest());
            if (!mountFromAny(destTarget, destRef, blob, repositories)) {
                missing.put(blob.digest(), repositories);
            }
        }
        if (!missing.isEmpty()) {
            lacking.put(sourceRef, destRef.registry());
            throw missing(sourceRef, destRef, marker.get(), missing);
        }
    }

    private static boolean mountFromAny(ImageTarget dest, ImageReference image, Descriptor blob, List<String> repositories)
            throws IOException {
        for (String repository : repositories) {
            if (!repository.equals(image.repository())
                    && dest.mountBlob(image, blob, new ImageReference(image.registry(), repository, ImageReference.DEFAULT_TAG, null))) {
                return true;
            }
        }
        return false;
    }

    private Optional<DeltaMarker> marker(ImageTarget bundle) throws IOException {
        Optional<DeltaMarker> known = markers.get(bundle);
        if (known == null) {
            Optional<RootFiles> files = bundle.rootFiles();
            known = files.isEmpty() ? Optional.empty() : DeltaMarker.read(files.get(), bundle.describe());
            markers.put(bundle, known);
        }
        return known;
    }

    private static ImageException missing(ImageReference image, ImageReference dest, DeltaMarker marker,
                                          Map<Digest, List<String>> missing) {
        List<String> named = new ArrayList<>();
        missing.forEach((digest, repositories) -> {
            if (named.size() < NAMED_IN_ERRORS) {
                named.add(digest + (repositories.isEmpty() ? "" : " (the receipt saw it in " + String.join(", ", repositories) + ")"));
            }
        });
        int more = missing.size() - named.size();
        return new ImageException("image " + image + " is not pushed: this delta bundle left out " + missing.size()
                + (missing.size() == 1 ? " blob" : " blobs") + " because the receipt of " + marker.receiptSource()
                + (marker.receiptCreated().isEmpty() ? "" : " taken " + marker.receiptCreated())
                + " said the far side holds " + (missing.size() == 1 ? "it" : "them") + ", but registry " + dest.registry() + " has "
                + (missing.size() == 1 ? "it" : "them") + " neither in " + dest.repository() + " nor in a repository to mount from: "
                + String.join(", ", named) + (more > 0 ? " and " + more + " more" : "")
                + "; push the delta into the registry the receipt was taken of (after the images it names), "
                + "or pull a full bundle without exclude:");
    }
}
