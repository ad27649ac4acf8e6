package dev.stevedore.image.copy;

import dev.stevedore.image.error.ImageException;
import dev.stevedore.image.oci.Descriptor;
import dev.stevedore.image.oci.ImageManifest;
import dev.stevedore.image.oci.Manifest;
import dev.stevedore.image.oci.ManifestParser;
import dev.stevedore.image.oci.MediaTypes;
import dev.stevedore.image.reference.Digest;
import dev.stevedore.image.reference.DockerHubNames;
import dev.stevedore.image.reference.ImageReference;
import dev.stevedore.image.reference.Platform;
import dev.stevedore.image.target.ImageTarget;
import dev.stevedore.image.target.LocationSchemes;
import dev.stevedore.spi.Cancellation;
import dev.stevedore.spi.TaskLog;
import dev.stevedore.spi.Templates;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Resolves one image of a {@link CopyRequest} into an {@link ImagePlan}: renders {@code src} and
 * {@code dest} for it, fetches its manifest (and an index's children), applies the platform selection
 * and collects its blobs. Reads only; nothing is written while planning, except the blob mounts that let a
 * delta bundle's push find the blobs the bundle left out ({@link DeltaBlobs}): blobs, never a manifest.
 */
final class ImagePlanner {

    /** Image configs are small JSON documents; a larger "config" is not one. */
    private static final int MAX_CONFIG_SIZE = 1024 * 1024;
    /** Nested indexes a destination's copy is read through (images have one or two levels); deeper, the source is asked. */
    private static final int MAX_INDEX_DEPTH = 8;

    private final CopyRequest request;
    private final ImageLocations locations;
    private final Targets targets;
    private final TaskLog log;
    private final Cancellation cancellation;
    private final DeltaBlobs delta;

    /** @throws ImageException when the request's {@code exclude:} receipt cannot be read: before any image is planned */
    ImagePlanner(CopyRequest request, Templates templates, Map<String, Object> hostVariables, Targets targets, TaskLog log,
                 Cancellation cancellation) throws IOException {
        this.request = request;
        this.locations = new ImageLocations(request.locations(),
                new ImageLocations.Keys(request.label() + ".src", request.label() + ".dest"), templates, hostVariables);
        this.targets = targets;
        this.log = log;
        this.cancellation = cancellation;
        this.delta = DeltaBlobs.of(request);
    }

    /**
     * Called with every image's plan (or failure), before anything is written: marks the directories an
     * {@code exclude:} receipt left blobs out of, and stops a delta's push whose far side lacks some (see
     * {@link DeltaBlobs#finishPlanning}). Returns the outcomes to copy.
     */
    List<PlanOutcome> finishPlanning(List<PlanOutcome> planned) throws IOException {
        return delta.finishPlanning(planned);
    }

    /**
     * Whether every image must be planned before any is copied ({@link #finishPlanning}): a pull with
     * {@code exclude:}, or a push from a delta bundle among {@code sources}.
     */
    boolean plansEveryImageFirst(Collection<ImageTarget> sources) throws IOException {
        return delta.plansEveryImageFirst(sources);
    }

    /**
     * The images to copy: the request's manifests, or every image of a directory source, keeping those
     * whose name matches the pattern (a Docker Hub image in either spelling, {@link DockerHubNames#spellings}).
     *
     * @throws ImageException when a directory source is missing or holds no image: a wrong path must not
     *                        look like an empty bundle that was pushed
     */
    List<ImageReference> images() throws IOException {
        List<ImageReference> images = request.manifests();
        Location source = null;
        if (images.isEmpty()) {
            source = rendered(locations::listedSource);
            if (!source.isDirectory()) {
                throw new InvalidLocationException(request.label() + ".manifests is empty and src is not a directory to list");
            }
            ImageTarget listed = targets.of(source);
            listed.willRead(List.of(), log, cancellation); // before the listing is trusted: a bundle archive checks its parts
            images = listed.list();
            if (images.isEmpty()) {
                throw noImageIn(source);
            }
            if (request.options().referrers()) {
                // Tags of referrers travel with the image they refer to, not as images of their own.
                images = images.stream().filter(image -> !ReferrerTags.isReferrerTag(image)).toList();
            }
        }
        if (request.pattern() == null) {
            return images;
        }
        List<ImageReference> matching = images.stream()
                .filter(image -> DockerHubNames.spellings(image).stream().anyMatch(name -> request.pattern().matcher(name).find()))
                .toList();
        if (matching.isEmpty()) {
            log.warn(request.label() + ": " + request.step().patternKey() + " '" + request.pattern().pattern() + "' matches none of the "
                    + images.size() + (images.size() == 1 ? " image" : " images") + (source == null ? " in manifests" : " in " + source.path())
                    + "; nothing to copy");
        }
        return matching;
    }

    private ImageException noImageIn(Location source) {
        String key = request.step().sourceKey();
        boolean archive = source.kind() == Location.Kind.ARCHIVE;
        String what = archive ? "the source archive " : "the source directory ";
        if (!source.exists()) {
            return new ImageException(what + source.path() + " does not exist" + (archive ? " (nor its first part, .part-0001)" : "")
                    + "; check " + key);
        }
        String lookedFor = switch (source.kind()) {
            case OCI_LAYOUT -> "an OCI image layout: " + LocationSchemes.OCI_LAYOUT_LISTS;
            case ARCHIVE -> "a bundle archive: tar members of a KubeKey images directory, <registry>/<repository>/manifests/<tag> "
                    + "or a manifests/layout tag list";
            default -> "a KubeKey images directory: manifest files <registry>/<repository>/manifests/<tag> or a manifests/layout tag list";
        };
        return new ImageException(what + source.path() + " holds no image (looked for " + lookedFor
                + "); check " + key + ", or pull images into it first");
    }

    /**
     * @throws PlatformSkipped when no requested platform exists and the policy is {@code warn}
     * @throws ImageException  for anything else that keeps the image from being copied
     */
    ImagePlan plan(ImageReference image) throws IOException {
        Location source = sourceOf(image);
        ImageReference renamed = locations.renamed(image);
        Location dest = rendered(() -> locations.destination(image));
        ImageTarget sourceTarget = targets.of(source);
        ImageTarget destTarget = targets.destination(dest);
        ImageReference sourceRef = source.isDirectory() ? image : source.reference();
        ImageReference destRef = dest.isDirectory() ? renamed : dest.reference();

        DestinationLookup lookup = lookUp(source, sourceRef, dest, destTarget, destRef);
        HeldAtDestination held = lookup == null ? null : heldAtDestination(lookup, sourceRef, sourceTarget, destTarget);
        ImageTarget readFrom = held == null ? sourceTarget : destTarget;
        ImageReference readRef = held == null ? sourceRef : held.reference();
        Manifest root = held != null ? held.root() : sourceTarget.fetchManifest(sourceRef).orElseThrow(() -> new ImageException(
                "image " + sourceRef + " was not found in " + sourceTarget.describe() + "; check its name and tag"));
        requireSupported(root, sourceRef);
        Digest sourceDigest = held != null ? held.source() : root.digest();

        List<Manifest> children = new ArrayList<>();
        List<String> platforms;
        String note = "";
        if (root.isIndex()) {
            PlatformFilter.Selection selection = PlatformFilter.select(root, request.platforms(),
                    entry -> held != null ? held.child(entry) : child(sourceTarget, sourceRef, entry));
            checkMissing(sourceRef, selection.missing(), selection.nothingLeft(), selection.available());
            children.addAll(selection.manifests());
            root = selection.index();
            platforms = selection.platforms();
            if (selection.artifact() && !request.platforms().all()) {
                note = artifactNote("an index of artifacts");
            }
        } else {
            ImageManifest manifest = ManifestParser.parseManifest(root);
            Optional<String> artifact = request.platforms().all() ? Optional.empty() : manifest.artifactKind();
            Optional<Platform> platform = request.platforms().all() || artifact.isPresent() ? Optional.empty()
                    : checkConfig(readFrom, readRef, manifest);
            if (!request.platforms().all() && platform.isEmpty()) {
                note = artifactNote(artifact.orElse("an image that declares no platform (a signature or an attestation)"));
            }
            platforms = platform.map(p -> List.of(p.toString())).orElse(List.of());
        }
        if (!note.isEmpty()) {
            log.info(sourceRef + " is " + note);
        }
        List<Descriptor> referenced = new ArrayList<>();
        for (Manifest manifest : children.isEmpty() ? List.of(root) : children) {
            if (!manifest.isIndex()) {
                referenced.addAll(ManifestParser.parseManifest(manifest).blobs());
            }
        }
        ForeignLayerPlan layers = ForeignLayerPlan.of(referenced, readFrom, readRef, request.options().foreignLayers());
        layers.report(sourceRef, log);
        List<Descriptor> blobs = delta.keep(dest, destTarget, sourceRef, layers.blobs());
        if (blobs.size() < layers.blobs().size()) {
            log.info(sourceRef + ": " + (layers.blobs().size() - blobs.size()) + " of " + layers.blobs().size()
                    + " blobs left out, the exclude: receipt says the far side holds them");
        }
        destRef = destRef.tag() != null ? destRef.withTag(destRef.tag()) : destRef.withDigest(root.digest());
        destTarget.willWrite(destRef);
        Optional<Descriptor> existing = lookup != null && lookup.reference().equals(destRef) ? lookup.found() : destTarget.resolve(destRef);
        boolean upToDate = existing.isPresent() && existing.get().digest().equals(root.digest());
        if (!upToDate) {
            delta.requireAtDestination(sourceTarget, sourceRef, destTarget, destRef, blobs);
        }
        return new ImagePlan(new ImagePlace(source.isDirectory() ? source + "#" + sourceRef : source.toString(), sourceTarget, sourceRef),
                new ImagePlace(dest.isDirectory() ? dest + "#" + destRef : LocationSchemes.OCI + destRef, destTarget, destRef),
                root, children, blobs, platforms, upToDate, layers.foreign(targets), note, sourceDigest,
                layers.blobs().size() - blobs.size());
    }

    /**
     * What the destination said the image's tag (or pinned digest) points at, asked once per image; with the
     * manifest itself where reading it came with the answer (a directory), null where it did not (a registry).
     */
    private record DestinationLookup(ImageReference reference, Optional<Descriptor> found, Manifest manifest) {
    }

    /**
     * An image the destination holds as the source has it, or as the task's selection of platforms makes it of
     * what the source has: its manifest and children, read there, and the digest the source's reference points at.
     */
    private record HeldAtDestination(ImageReference reference, Manifest root, Map<Digest, Manifest> children, Digest source) {

        Manifest child(Descriptor entry) {
            return Objects.requireNonNull(children.get(entry.digest()), "every child was read with the root");
        }
    }

    /**
     * What the destination holds under the image's tag, or under its pinned digest when the destination names
     * no tag; null when that cannot tell whether the image is held as the source has it, or when the answer
     * cannot be read (then it is asked again, as usual, after {@link ImageTarget#willWrite}). Not for a
     * directory source (reading it costs nothing) or referrers (which only the source can list).
     */
    private DestinationLookup lookUp(Location source, ImageReference sourceRef, Location dest, ImageTarget destTarget,
                                     ImageReference destRef) {
        Digest pinned = sourceRef.digest();
        if (source.isDirectory() || request.options().referrers()
                || (pinned == null && destRef.tag() == null)) {
            return null;
        }
        ImageReference at = destRef.tag() != null ? destRef.withTag(destRef.tag()) : destRef.withDigest(pinned);
        try {
            if (!dest.isDirectory()) {
                // A registry is asked with HEAD: a GET would count as a pull where the destination meters them.
                return new DestinationLookup(at, destTarget.resolve(at), null);
            }
            Optional<Manifest> stored = destTarget.fetchManifest(at);
            return new DestinationLookup(at, stored.map(Manifest::descriptor), stored.orElse(null));
        } catch (IOException | RuntimeException unreadable) {
            return null;
        }
    }

    /**
     * The image as the destination holds it, when the destination has the very digest the source's reference
     * points at, or, for a selection of platforms, the index this selection makes of it (which names that
     * digest, {@link PlatformFilter#FILTERED_FROM}), with every child manifest: a re-run then pulls nothing from
     * the source, sparing a metered registry's pulls (Docker Hub counts each GET of a manifest, not a HEAD). A
     * reference pinned to a digest asks the source nothing; a tag is asked with a HEAD, since it may have moved.
     * Null otherwise, and whenever the destination's copy cannot be read whole, so that the source is asked as usual.
     *
     * @throws IOException when the source cannot say what the tag points at: the image fails as its pull would
     */
    private HeldAtDestination heldAtDestination(DestinationLookup lookup, ImageReference sourceRef, ImageTarget sourceTarget,
                                                ImageTarget destTarget) throws IOException {
        if (lookup.found().isEmpty()) {
            return null;
        }
        Digest held = lookup.found().get().digest();
        boolean pinned = sourceRef.digest() != null;
        boolean selection = !request.platforms().all();
        Digest wanted = pinned ? sourceRef.digest() : sourceTarget.resolve(sourceRef).map(Descriptor::digest).orElse(null);
        if (wanted == null || !held.equals(wanted) && !selection) {
            return null;
        }
        ImageReference at = lookup.reference();
        try {
            Manifest root = lookup.manifest() != null ? lookup.manifest() : destTarget.fetchManifest(at, held);
            if (!held.equals(wanted) && !PlatformFilter.filteredFrom(root).filter(wanted::equals).isPresent()) {
                return null;
            }
            Map<Digest, Manifest> children = new HashMap<>();
            readChildren(destTarget, at, root, children, 0);
            if (selection && !selectsItself(root, children)) {
                return null; // taken with another selection: what this one makes needs the source's index
            }
            boolean same = held.equals(wanted);
            String holds = destTarget.describe() + " holds" + (same ? "" : " this selection of platforms (" + held + ")");
            if (pinned) {
                log.info(sourceRef + " is pinned to a digest " + (same ? "that " : "of which ") + holds + ": the source was not asked");
            } else {
                sourceTarget.willNotRead(sourceRef);
                log.info(sourceRef + " points at " + wanted + ", " + (same ? "which " : "of which ") + holds
                        + ": the source was asked with HEAD, and nothing was pulled");
            }
            return new HeldAtDestination(at, root, children, wanted);
        } catch (IOException | RuntimeException unreadable) {
            return null; // asked from the source, which decides as it always has
        }
    }

    /** Whether this task's selection of platforms keeps all of {@code root} and finds every platform it asks for there. */
    private boolean selectsItself(Manifest root, Map<Digest, Manifest> children) throws IOException {
        if (!root.isIndex()) {
            return true;
        }
        PlatformFilter.Selection again = PlatformFilter.select(root, request.platforms(), entry -> children.get(entry.digest()));
        return again.index().digest().equals(root.digest()) && again.missing().isEmpty();
    }

    /** Every manifest below {@code index}, nested indexes too, as far as the platform walk goes. */
    private static void readChildren(ImageTarget target, ImageReference image, Manifest index, Map<Digest, Manifest> into, int depth)
            throws IOException {
        if (!index.isIndex()) {
            return;
        }
        if (depth > MAX_INDEX_DEPTH) {
            throw new ImageException(image + " nests indexes deeper than " + MAX_INDEX_DEPTH + " levels");
        }
        for (Descriptor entry : ManifestParser.parseIndex(index).manifests()) {
            if (!into.containsKey(entry.digest())) {
                Manifest child = child(target, image, entry);
                into.put(entry.digest(), child);
                readChildren(target, image, child, into, depth + 1);
            }
        }
    }

    /** A manifest or index an index refers to, checked to be one we can copy. */
    private static Manifest child(ImageTarget source, ImageReference image, Descriptor entry) throws IOException {
        Manifest manifest = source.fetchManifest(image, entry.digest());
        if (!MediaTypes.isManifestOrIndex(manifest.mediaType())) {
            throw new ImageException("the index of " + image + " refers to " + entry.digest() + " of type '"
                    + manifest.mediaType() + "', which is neither an image manifest nor an index");
        }
        return manifest;
    }

    private String artifactNote(String kind) {
        return kind + ", which has no platform: copied whole (platform " + request.platforms() + " does not apply to it)";
    }

    /** Where {@code image} is read from: its own registry, or {@code src} rendered for it. */
    Location sourceOf(ImageReference image) throws ImageException {
        return rendered(() -> locations.source(image));
    }

    /** Where an image comes from, for results of an image that could not be planned: best effort. */
    String describeSource(ImageReference image) {
        return locations.describeSource(image);
    }

    /** Where an image would go, for results of an image that could not be planned: best effort. */
    String describeDestination(ImageReference image) {
        return locations.describeDestination(image);
    }

    /** The platform the image's config declares, checked against the request; empty when it declares none. */
    private Optional<Platform> checkConfig(ImageTarget target, ImageReference image, ImageManifest manifest) throws IOException {
        if (manifest.config().size() > MAX_CONFIG_SIZE) {
            throw new ImageException("the config of " + image + " is " + manifest.config().size() + " bytes, too large to be an image config");
        }
        byte[] config;
        try (InputStream in = target.openBlob(image, manifest.config())) {
            config = in.readNBytes(MAX_CONFIG_SIZE);
        }
        Optional<Platform> platform = ManifestParser.declaredPlatform(config);
        if (platform.isPresent() && request.platforms().match(platform.get()).isEmpty()) {
            checkMissing(image, request.platforms().platforms(), true, List.of(platform.get().toString()));
        }
        return platform;
    }

    private void checkMissing(ImageReference image, List<Platform> missing, boolean nothingLeft, List<String> available) throws ImageException {
        if (missing.isEmpty()) {
            return;
        }
        String message = image + " has no image for " + missing.stream().map(Platform::toString).toList()
                + " (it has " + available + ")";
        if (request.policy() == Policy.STRICT) {
            throw new ImageException(message + "; ask for platforms it has, or set policy: warn to copy what exists");
        }
        if (nothingLeft) {
            throw new PlatformSkipped(message + "; nothing left to copy, skipped (policy: warn)");
        }
        log.warn(message + "; copying the other platforms (policy: warn)");
    }

    private static void requireSupported(Manifest manifest, ImageReference image) throws ImageException {
        if (MediaTypes.isSchema1(manifest.mediaType(), manifest.bytes())) {
            throw new ImageException(image + MediaTypes.SCHEMA1_REFUSED);
        }
        if (!MediaTypes.isManifestOrIndex(manifest.mediaType())) {
            throw new ImageException(image + " has a manifest of unsupported type '" + manifest.mediaType() + "'");
        }
    }

    /** A location of {@link ImageLocations}, with a template that does not render worded for this step. */
    private Location rendered(Supplier<Location> location) throws ImageException {
        try {
            return location.get();
        } catch (ImageLocations.UnrenderableException e) {
            String variable = e.template().variable() == null ? "" : " (undefined variable '" + e.template().variable() + "')";
            throw new ImageException(request.label() + "." + e.key() + " cannot be rendered" + (e.image() == null ? "" : " for " + e.image())
                    + variable + ": " + e.getMessage());
        }
    }

    /** No requested platform exists and the policy says to go on: the image is skipped, not failed. */
    static final class PlatformSkipped extends ImageException {
        PlatformSkipped(String message) {
            super(message);
        }
    }
}
