package dev.stevedore.image.registry;

/**
 * The registry refused a repository name that the OCI grammar allows (we check that before any request):
 * it limits names further, most often how many path components they may have (Quay without extended
 * repository names, Docker Hub). The destination name is the task's to shorten.
 */
public final class RepositoryNameRefusedException extends RegistryException {

    RepositoryNameRefusedException(String message, int status) {
        super(message, status, null);
    }

    /** How deep the name is and what to do about it, the same for every registry that limits paths. */
    static String remedy(String repository) {
        int components = repository.split("/").length;
        return " (" + repository + " has " + components + (components == 1 ? " component" : " components")
                + "): make the destination shorter with namespace_override (it replaces every component but the last)"
                + " or with fewer components in the dest template";
    }
}
