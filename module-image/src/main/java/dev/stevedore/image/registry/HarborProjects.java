package dev.stevedore.image.registry;

import dev.stevedore.image.reference.ImageReference;
import dev.stevedore.image.registry.auth.Credentials;
import dev.stevedore.image.registry.auth.HostCredentials;
import java.io.IOException;
import java.net.URI;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The projects of one Harbor registry, for {@code create_project}: before the first push into a project
 * the project is looked up ({@link HarborProjectLookup}) and created when missing
 * ({@link HarborProjectCreation}), through Harbor's API with the Basic credentials configured for the
 * host. Each project is settled once per task; a failure is remembered and given again to every image of
 * that project, since asking again cannot mend it. Thread-safe.
 */
final class HarborProjects {

    private final URI origin;
    private final RegistryEndpointCaller caller;
    private final HostCredentials.Lookup credentials;
    private final RegistryEvents events;
    private final Map<String, Optional<RegistryException>> settled = new HashMap<>();

    HarborProjects(URI origin, RegistryEndpointCaller caller, HostCredentials.Lookup credentials, RegistryEvents events) {
        this.origin = origin;
        this.caller = caller;
        this.credentials = credentials;
        this.events = events;
    }

    /** Makes sure the project of {@code image}'s repository exists, creating it if not. */
    synchronized void ensure(ImageReference image) throws IOException {
        String repository = image.repository();
        int slash = repository.indexOf('/');
        if (slash < 0) {
            throw new RegistryException("create_project: repository " + repository + " of " + image.name() + " has no project: Harbor"
                    + " keeps every repository in a project, so the destination needs one more path component (project/" + repository
                    + "); add it to the dest template");
        }
        String project = repository.substring(0, slash);
        Optional<RegistryException> earlier = settled.get(project);
        if (earlier == null) {
            earlier = settle(project);
            settled.put(project, earlier);
        }
        if (earlier.isPresent()) {
            throw earlier.get();
        }
    }

    private Optional<RegistryException> settle(String project) throws IOException {
        String host = origin.getRawAuthority();
        try {
            String authorization = basic(host);
            if (caller.call(new HarborProjectLookup(origin, project, authorization))) {
                return Optional.empty();
            }
            if (caller.call(new HarborProjectCreation(origin, project, authorization))) {
                events.projectCreated(host, project);
            }
            return Optional.empty();
        } catch (RegistryException.NotFound e) {
            return Optional.of(new RegistryException("registry " + host + " has no Harbor API (GET /api/v2.0/projects answered HTTP 404)"
                    + " while trying to look up project " + project + ": create_project works with Harbor only, and registries without"
                    + " projects need none created; remove create_project", 404, null));
        } catch (RegistryException.Denied e) {
            return Optional.of(new RegistryException("registry " + host + " refused to create project " + project + " for this account"
                    + " (HTTP 403): Harbor can be set to let only administrators create projects; ask one to create project " + project
                    + ", or give an administrator's credentials for " + host + " in auths", 403, null));
        } catch (RegistryException e) {
            if (e.status() == 429 || e.status() >= 500 || e.status() == 0) {
                throw e; // not settled: a later image may find Harbor answering again
            }
            return Optional.of(e);
        }
    }

    private String basic(String host) throws IOException {
        Optional<Credentials> found = credentials.get();
        if (found.isEmpty() || !found.get().isPassword()) {
            throw new RegistryException("create_project needs a username and password for registry " + host + ": Harbor's API creates"
                    + " projects for a logged-in user only" + (found.isPresent() ? ", and an identity token cannot log in there" : "")
                    + "; give username and password for " + host + " in auths", 401, null);
        }
        return found.get().basicHeader();
    }
}
