package dev.stevedore.image.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stevedore.engine.testkit.ModuleRun;
import dev.stevedore.engine.testkit.ModuleTestKit;
import dev.stevedore.image.ImageModule;
import dev.stevedore.testsupport.FaultProxy;
import dev.stevedore.testsupport.HarborFront;
import dev.stevedore.testsupport.RegistryServer;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Given a Harbor (the real registry behind {@link HarborFront}, which keeps Harbor's projects, answers its
 * project API and refuses registry requests into a project that does not exist), when the module pushes
 * the three sample images into a project:
 * <ul>
 *   <li>with {@code create_project: true} a missing project is looked up and created once, with the
 *       credentials of the registry's {@code auths} entry, before any request into it, in both forms; an
 *       existing one is only looked up;</li>
 *   <li>without it, the push fails naming the project and both remedies, whichever way Harbor refuses;</li>
 *   <li>an account Harbor does not let create projects, missing credentials, or a registry that is not a
 *       Harbor fail the task once per project with what to do, not once per image.</li>
 * </ul>
 */
class HarborProjectsTest {

    private static final Path SAMPLES = Path.of("..", "src", "demo", "sample-images").toAbsolutePath().normalize();
    private static final String USER = "harbor-admin";
    private static final String PASSWORD = "Harbor12345-test";
    private static final ImageModule MODULE = new ImageModule(new IsolatedTargets(Map.of("HOME", "/nonexistent")));

    static RegistryServer registry;
    HarborFront harbor;

    @BeforeAll
    static void start() throws Exception {
        registry = RegistryServer.builder().basicAuth(USER, PASSWORD).start();
    }

    @AfterAll
    static void stop() {
        registry.close();
    }

    @BeforeEach
    void startHarbor() throws Exception {
        harbor = HarborFront.start(registry.baseUri(), USER, PASSWORD);
    }

    @AfterEach
    void stopHarbor() {
        harbor.close();
    }

    private ModuleTestKit kit(String host) {
        return ModuleTestKit.of(MODULE).withVariables(Map.of("samples", SAMPLES.toString(), "harbor", host, "user", USER,
                "password", PASSWORD));
    }

    /** The newer form, every sample image into {@code project}. */
    private ModuleRun pushInto(String host, String project, String extra) {
        return kit(host).withVariable("project", project).runYaml("""
                src: "local://${samples}"
                dest: "oci://${harbor}/${project}/${module.image.reference.repository}:${module.image.reference.reference}"
                auths: [{registry: "${harbor}", username: "${user}", password: "${password}", plain_http: true}]
                """ + extra);
    }

    private List<HarborFront.Exchange> api(String method) {
        return harbor.exchanges().stream().filter(e -> e.method().equals(method) && e.path().startsWith("/api/")).toList();
    }

    private int firstRequestInto(String project) {
        List<HarborFront.Exchange> all = harbor.exchanges();
        for (int i = 0; i < all.size(); i++) {
            if (all.get(i).path().startsWith("/v2/" + project + "/")) {
                return i;
            }
        }
        return -1;
    }

    @Test
    void aMissingProjectIsCreatedOnceWithTheAuthsCredentialsBeforeAnyRequestIntoIt() {
        ModuleRun run = pushInto(harbor.hostPort(), "bundle", "create_project: true\n");

        assertEquals("success", run.result().stdout(), run.result().error());
        assertEquals(3L, run.registered().get("images_copied"), run.registered().toString());
        assertTrue(harbor.projects().contains("bundle"), harbor.toString());
        List<HarborFront.Exchange> lookups = api("GET");
        List<HarborFront.Exchange> creations = api("POST");
        assertEquals(1, lookups.size(), "one lookup for three images: " + harbor.exchanges());
        assertEquals("name=bundle&page_size=100", lookups.get(0).query());
        assertEquals(1, creations.size(), harbor.exchanges().toString());
        assertEquals(201, creations.get(0).status());
        assertTrue(lookups.get(0).authenticated() && creations.get(0).authenticated(), "with the auths entry's credentials");
        assertTrue(harbor.exchanges().indexOf(creations.get(0)) < firstRequestInto("bundle"), "created before any request into it");
        assertTrue(run.logContains("created project bundle (private), which did not exist (create_project)"), run.log().toString());
        assertFalse(run.logContains(PASSWORD), "no secret in the log");

        ModuleRun again = pushInto(harbor.hostPort(), "bundle", "create_project: true\n");
        assertEquals("success", again.result().stdout(), again.result().error());
        assertEquals(2, api("GET").size());
        assertEquals(1, api("POST").size(), "an existing project is not created again");
    }

    @Test
    void theClassicPushCreatesTheProjectToo() {
        ModuleRun run = kit(harbor.hostPort()).runYaml("""
                push:
                  images_dir: "${samples}"
                  dest: "${harbor}/classic/${module.image.src.reference.repository}:${module.image.src.reference.reference}"
                  create_project: true
                  auths: [{repo: "${harbor}", username: "${user}", password: "${password}", plain_http: true}]
                """);

        assertEquals("success", run.result().stdout(), run.result().error());
        assertTrue(harbor.projects().contains("classic"));
        assertEquals(1, api("POST").size());
    }

    @Test
    void aProjectThatExistsIsOnlyLookedUp() {
        harbor.addProject("existing");

        ModuleRun run = pushInto(harbor.hostPort(), "existing", "create_project: true\n");

        assertEquals("success", run.result().stdout(), run.result().error());
        assertEquals(1, api("GET").size());
        assertTrue(api("POST").isEmpty(), harbor.exchanges().toString());
    }

    @ParameterizedTest(name = "Harbor refusing with {0}")
    @EnumSource(HarborFront.MissingProject.class)
    void withoutCreateProjectThePushFailsNamingTheProjectAndWhatToDo(HarborFront.MissingProject answer) {
        harbor.refusingMissingProjectsWith(answer);

        ModuleRun run = pushInto(harbor.hostPort(), "ghost", "");

        assertEquals("failed", run.result().stdout());
        String error = run.result().error();
        assertTrue(error.contains("3 of 3 images failed"), error);
        assertTrue(error.contains("registry " + harbor.hostPort() + " has no project ghost"), error);
        assertTrue(error.contains("project ghost not found"), "Harbor's own words: " + error);
        assertTrue(error.contains("create project ghost in Harbor or set create_project: true"), error);
        assertFalse(error.contains("check the credentials"), "not mistaken for a login failure: " + error);
        assertTrue(harbor.exchanges().stream().noneMatch(e -> e.path().startsWith("/api/")), "nothing created without the option");
        assertFalse(harbor.projects().contains("ghost"));
    }

    @Test
    void anAccountHarborDoesNotLetCreateProjectsIsToldToAskAnAdministratorOnce() {
        harbor.onlyAdminsCreateProjects();

        ModuleRun run = pushInto(harbor.hostPort(), "forbidden", "create_project: true\n");

        String error = run.result().error();
        assertTrue(error.contains("refused to create project forbidden for this account (HTTP 403)"), error);
        assertTrue(error.contains("ask one to create project forbidden, or give an administrator's credentials"), error);
        assertEquals(1, api("POST").size(), "settled once for the three images: " + harbor.exchanges());
    }

    @Test
    void createProjectWithoutCredentialsSaysWhatItNeeds() {
        ModuleRun run = kit(harbor.hostPort()).runYaml("""
                src: "local://${samples}"
                dest: "oci://${harbor}/anonymous/${module.image.reference.repository}:${module.image.reference.reference}"
                create_project: true
                auths: [{registry: "${harbor}", plain_http: true}]
                """);

        String error = run.result().error();
        assertTrue(error.contains("create_project needs a username and password for registry " + harbor.hostPort()), error);
        assertTrue(harbor.exchanges().stream().noneMatch(e -> e.path().startsWith("/api/")), harbor.exchanges().toString());
    }

    @Test
    void aRegistryThatIsNotAHarborIsSaidToBeOneOnce() throws Exception {
        try (FaultProxy plain = FaultProxy.start(registry.baseUri())) {
            ModuleRun run = pushInto(plain.hostPort(), "nothere", "create_project: true\n");

            String error = run.result().error();
            assertTrue(error.contains("registry " + plain.hostPort() + " has no Harbor API (GET /api/v2.0/projects answered HTTP 404)"), error);
            assertTrue(error.contains("create_project works with Harbor only"), error);
            assertEquals(1, plain.requests().stream().filter(r -> r.path().startsWith("/api/")).count(), plain.requests().toString());
        }
    }
}
