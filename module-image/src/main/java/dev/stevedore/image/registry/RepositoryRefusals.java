package dev.stevedore.image.registry;

import java.net.URI;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Refusals about the repository itself rather than the request, which registries beyond the CNCF one
 * answer: the project the repository lives in does not exist (Harbor), the repository must be created
 * before a push (Amazon ECR), or its name is deeper than the registry allows (Quay without extended
 * names, Docker Hub). Each becomes an error naming the project or repository and what to do; anything
 * else is left to {@link RegistryErrors}.
 */
final class RepositoryRefusals {

    /**
     * Harbor's messages for a missing project: {@code project X not found} (its project store's NOT_FOUND,
     * sent as is or wrapped as UNAUTHORIZED by its registry auth middleware, v2auth), and Harbor 2.0's
     * {@code project not found, name: X}.
     */
    private static final Pattern HARBOR_PROJECT = Pattern.compile("project (?:not found, name: ([^\\s,;]+)|([^\\s,;]+) not found)");
    /** Amazon ECR's NAME_UNKNOWN for a push into a repository nobody created. */
    private static final Pattern ECR_REPOSITORY = Pattern.compile("The repository with name '([^']+)' does not exist in the registry with id");
    /** The repository of a Distribution API path. */
    private static final Pattern API_PATH = Pattern.compile(
            "/v2/(.+)/(?:manifests/[^/]+|blobs/uploads/[^/]*|blobs/[^/]+|tags/list|referrers/[^/]+)");

    private RepositoryRefusals() {
    }

    /**
     * @param detail " (HTTP 404, registry says: ...)", as the other errors show it
     */
    static Optional<RegistryException> classify(int status, List<RegistryErrors.Error> errors, String action, String detail,
                                                RegistryErrors.Refusal refusal) {
        for (RegistryErrors.Error error : errors) {
            Matcher project = HARBOR_PROJECT.matcher(error.message());
            if ((status == 401 || status == 403 || status == 404) && project.find()) {
                String name = project.group(1) != null ? project.group(1) : project.group(2);
                return Optional.of(new ProjectMissingException(refusal.host(), name, action, detail, status));
            }
        }
        Optional<String> repository = repositoryOf(refusal.uri());
        boolean writing = List.of("POST", "PUT", "PATCH").contains(refusal.method());
        for (RegistryErrors.Error error : errors) {
            Matcher ecr = ECR_REPOSITORY.matcher(error.message());
            boolean isEcr = ecr.find();
            if (writing && (isEcr || error.code().equals("NAME_UNKNOWN"))) {
                String name = isEcr ? ecr.group(1) : repository.orElse("of " + action);
                return Optional.of(new RepositoryMissingException(refusal.host(), name, action, detail, isEcr, status));
            }
            if (error.code().equals("NAME_INVALID") && repository.isPresent()) {
                return Optional.of(new RepositoryNameRefusedException("registry " + refusal.host() + " refused the repository name "
                        + repository.get() + detail + " while trying to " + action + ": the name is valid by the OCI rules, so the"
                        + " registry limits names further, most often how deep the path may be"
                        + RepositoryNameRefusedException.remedy(repository.get()), status));
            }
        }
        // Quay without extended names has no route for a deeper path: a push into one meets a bare 404.
        if (writing && status == 404 && errors.isEmpty() && repository.isPresent() && repository.get().split("/").length > 2) {
            return Optional.of(new RepositoryNameRefusedException("registry " + refusal.host() + " does not know repository "
                    + repository.get() + " and answered a push into it with HTTP 404 and no registry error while trying to " + action
                    + RepositoryNameRefusedException.remedy(repository.get()) + "; if the registry needs repositories created"
                    + " before a push, create it first", status));
        }
        return Optional.empty();
    }

    static Optional<String> repositoryOf(URI uri) {
        if (uri == null || uri.getRawPath() == null) {
            return Optional.empty();
        }
        Matcher path = API_PATH.matcher(uri.getRawPath());
        return path.matches() ? Optional.of(path.group(1)) : Optional.empty();
    }
}
