package dev.stevedore.image.error;

/**
 * A failure because the registry keeps repositories in projects (Harbor) and the image's project is not
 * there. A check run reads such a project as empty when the task would create it ({@code create_project}).
 * An interface, as {@link ContentMismatch} is, so that the copier tells this failure apart without depending
 * on the registry client that throws it.
 */
public interface ProjectMissing {

    /** The project the registry does not have. */
    String project();
}
