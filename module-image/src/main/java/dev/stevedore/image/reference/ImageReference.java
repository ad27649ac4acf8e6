package dev.stevedore.image.reference;

import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A normalized image reference: {@code registry/repository[:tag][@digest]}, parsed as Docker's
 * {@code ParseNormalizedNamed} does. Once built it is valid, so every registry path and every store
 * path made from it stays inside the grammar (no {@code ..}, no absolute paths, no empty components).
 *
 * @param registry   the registry host as written, with {@code docker.io} for Docker Hub
 * @param repository the repository path, for example {@code library/nginx}
 * @param tag        the tag, or {@code null} when the reference names only a digest
 * @param digest     the digest, or {@code null}
 */
public record ImageReference(String registry, String repository, String tag, Digest digest) {

    public static final String DOCKER_HUB = "docker.io";
    public static final String DOCKER_HUB_API_HOST = "registry-1.docker.io";
    public static final String DEFAULT_TAG = "latest";

    private static final int MAX_NAME_LENGTH = 255;
    private static final Pattern DOMAIN_COMPONENT = Pattern.compile("(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])");
    private static final Pattern DOMAIN = Pattern.compile(
            "(?:" + DOMAIN_COMPONENT + "(?:\\." + DOMAIN_COMPONENT + ")*|\\[[a-fA-F0-9:]+\\])(?::[0-9]{1,5})?");
    private static final Pattern PATH_COMPONENT = Pattern.compile("[a-z0-9]+(?:(?:[._]|__|[-]+)[a-z0-9]+)*");
    private static final Pattern TAG = Pattern.compile("[\\w][\\w.-]{0,127}");

    public ImageReference {
        Objects.requireNonNull(registry, "registry");
        Objects.requireNonNull(repository, "repository");
        if (!DOMAIN.matcher(registry).matches()) {
            throw new InvalidReferenceException("invalid registry host '" + registry + "'");
        }
        checkRepository(repository);
        if (tag != null && !TAG.matcher(tag).matches()) {
            throw new InvalidReferenceException("invalid tag '" + tag + "': a tag is up to 128 letters, digits, '_', '.' or '-', not starting with '.' or '-'");
        }
        if (tag == null && digest == null) {
            tag = DEFAULT_TAG;
        }
        if (registry.length() + 1 + repository.length() > MAX_NAME_LENGTH) {
            throw new InvalidReferenceException("image name '" + registry + "/" + repository + "' is longer than " + MAX_NAME_LENGTH + " characters");
        }
    }

    /**
     * Parses a reference as an operator writes it ({@code nginx}, {@code nginx:1.27},
     * {@code quay.io/prometheus/prometheus:v2.45.0}, {@code localhost:5000/a/b@sha256:...}).
     */
    public static ImageReference parse(String text) {
        if (text == null || text.isBlank()) {
            throw new InvalidReferenceException("empty image reference");
        }
        if (!text.equals(text.strip())) {
            throw new InvalidReferenceException("invalid image reference '" + text + "': leading or trailing white space");
        }
        String rest = text;
        Digest digest = null;
        int at = rest.indexOf('@');
        if (at >= 0) {
            try {
                digest = Digest.parse(rest.substring(at + 1));
            } catch (InvalidReferenceException e) {
                throw new InvalidReferenceException("invalid image reference '" + text + "': " + e.getMessage());
            }
            rest = rest.substring(0, at);
        }
        String tag = null;
        int colon = rest.lastIndexOf(':');
        if (colon > rest.lastIndexOf('/')) {
            tag = rest.substring(colon + 1);
            rest = rest.substring(0, colon);
            if (tag.isEmpty()) {
                throw new InvalidReferenceException("invalid image reference '" + text + "': empty tag after ':'");
            }
        }
        String registry;
        String repository;
        int slash = rest.indexOf('/');
        String first = slash < 0 ? rest : rest.substring(0, slash);
        if (slash >= 0 && looksLikeRegistry(first)) {
            registry = first;
            repository = rest.substring(slash + 1);
        } else {
            registry = DOCKER_HUB;
            repository = rest;
        }
        if (DockerHubNames.INDEX.equals(registry)) {
            // Docker's own normalization; registry-1.docker.io stays as written (see DockerHubNames).
            registry = DOCKER_HUB;
        }
        if (DOCKER_HUB.equals(registry) && !repository.contains("/") && !repository.isEmpty()) {
            repository = "library/" + repository;
        }
        try {
            return new ImageReference(registry, repository, tag, digest);
        } catch (InvalidReferenceException e) {
            throw new InvalidReferenceException("invalid image reference '" + text + "': " + e.getMessage());
        }
    }

    /** The host the Distribution API is reached at: Docker Hub's API lives on another name. */
    public String apiHost() {
        return DOCKER_HUB.equals(registry) ? DOCKER_HUB_API_HOST : registry;
    }

    /** {@code registry/repository}, without tag or digest. */
    public String name() {
        return registry + "/" + repository;
    }

    /** The digest when there is one, else the tag: what a registry's manifest URL ends with. */
    public String reference() {
        return digest != null ? digest.toString() : tag;
    }

    /** The namespace of the repository (all path components but the last), empty when none. */
    public String namespace() {
        int slash = repository.lastIndexOf('/');
        return slash < 0 ? "" : repository.substring(0, slash);
    }

    public ImageReference withTag(String newTag) {
        return new ImageReference(registry, repository, newTag, null);
    }

    public ImageReference withDigest(Digest newDigest) {
        return new ImageReference(registry, repository, null, newDigest);
    }

    public ImageReference withRepository(String newRepository) {
        return new ImageReference(registry, newRepository, tag, digest);
    }

    @Override
    public String toString() {
        StringBuilder text = new StringBuilder(name());
        if (tag != null) {
            text.append(':').append(tag);
        }
        if (digest != null) {
            text.append('@').append(digest);
        }
        return text.toString();
    }

    private static boolean looksLikeRegistry(String component) {
        return component.contains(".") || component.contains(":") || component.equals("localhost")
                || !component.equals(component.toLowerCase(Locale.ROOT));
    }

    private static void checkRepository(String repository) {
        if (repository.isEmpty()) {
            throw new InvalidReferenceException("empty repository name");
        }
        for (String component : repository.split("/", -1)) {
            if (component.isEmpty()) {
                throw new InvalidReferenceException("repository '" + repository + "' has an empty path component");
            }
            if (!PATH_COMPONENT.matcher(component).matches()) {
                String why = component.equals(component.toLowerCase(Locale.ROOT))
                        ? "path components are lowercase letters and digits separated by '.', '_', '__' or '-'"
                        : "repository names must be lowercase";
                throw new InvalidReferenceException("invalid repository path component '" + component + "': " + why);
            }
        }
    }
}
