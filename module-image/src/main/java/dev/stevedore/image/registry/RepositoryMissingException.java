package dev.stevedore.image.registry;

/**
 * The registry has no such repository and creates none on push (Amazon ECR answers {@code NAME_UNKNOWN},
 * "The repository with name 'x' does not exist in the registry with id '...'"): it must be created
 * before the task can push into it.
 */
public final class RepositoryMissingException extends RegistryException {

    RepositoryMissingException(String host, String repository, String action, String detail, boolean ecr, int status) {
        super("registry " + host + " has no repository " + repository + " and does not create one on push" + detail
                + " while trying to " + action + ": create the repository first"
                + (ecr ? " (on Amazon ECR: aws ecr create-repository --repository-name " + repository + ")"
                        : " (registries such as Amazon ECR need each repository created before its first push)")
                + ", then run the task again", status, null);
    }
}
