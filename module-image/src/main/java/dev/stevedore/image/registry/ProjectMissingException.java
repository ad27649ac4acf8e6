package dev.stevedore.image.registry;

import dev.stevedore.image.error.ProjectMissing;

/**
 * The registry keeps repositories in projects and the image's project does not exist there (Harbor
 * answers {@code project X not found}). Creating it is the task's to do only with {@code create_project}.
 */
public final class ProjectMissingException extends RegistryException implements ProjectMissing {

    private final String project;

    ProjectMissingException(String host, String project, String action, String detail, int status) {
        super("registry " + host + " has no project " + project + detail + " while trying to " + action
                + ": Harbor keeps each repository in a project, which must exist before anything is pushed into it; check the name,"
                + " and for a push create project " + project + " in Harbor or set create_project: true to have the task create it"
                + " (with the credentials of the auths entry for " + host + ")", status, null);
        this.project = project;
    }

    @Override
    public String project() {
        return project;
    }
}
