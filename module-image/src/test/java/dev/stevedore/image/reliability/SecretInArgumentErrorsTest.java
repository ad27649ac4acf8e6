package dev.stevedore.image.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stevedore.engine.testkit.CliRun;
import dev.stevedore.engine.testkit.ModuleRun;
import dev.stevedore.engine.testkit.ModuleTestKit;
import dev.stevedore.engine.testkit.PlaybookRunner;
import dev.stevedore.image.ImageModule;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Given a password or a {@code key_password} in {@code auths} that the template engine cannot render
 * (both are templates, and a real one may contain {@code ${} or {@code <#}), the task is rejected naming
 * the key, and the error does not quote the secret: not in the result, not on the console, not in what
 * is registered.
 */
class SecretInArgumentErrorsTest {

    private static final String SECRET = "Zq7-distinctive";

    static ConnectionCounter registry;

    @TempDir
    Path work;

    @BeforeAll
    static void start() throws IOException {
        registry = ConnectionCounter.start();
    }

    @AfterAll
    static void stop() throws IOException {
        registry.close();
    }

    @ParameterizedTest(name = "{0} form, {1} {2}")
    @CsvSource(delimiter = '|', value = {
            "classic | password     | " + SECRET + "${oops",
            "classic | password     | " + SECRET + "<#if>",
            "classic | password     | ${" + SECRET + " x}",
            "newer   | password     | " + SECRET + "${oops",
            "newer   | password     | ${'" + SECRET + "' + }",
            "newer   | password     | ${" + SECRET + "?no_such}",
            "classic | key_password | " + SECRET + "${oops",
            "classic | key_password | ${" + SECRET + " x}",
            "newer   | key_password | " + SECRET + "<#if>",
            "newer   | key_password | ${" + SECRET + "?no_such}"})
    void anUnrenderablePasswordIsRejectedWithoutQuotingIt(String form, String field, String password) {
        ImageModule module = new ImageModule(IsolatedTargets.proxiedThrough(registry.hostPort()));
        Map<String, Object> args = form.equals("classic")
                ? TaskArgs.with(TaskArgs.pull(), "pull.auths[0]." + field, password)
                : TaskArgs.with(TaskArgs.newer(), "auths[0]." + field, password);
        @SuppressWarnings("unchecked")
        Map<String, Object> resolved = (Map<String, Object>) TaskArgs.resolve(args, Map.of(TaskArgs.HOST, registry.hostPort(),
                TaskArgs.IMAGES, work.resolve("images").toString(), TaskArgs.BUNDLE, work.toString()));

        ModuleRun run = ModuleTestKit.of(module).run(resolved);
        String key = (form.equals("classic") ? "pull.auths[0]." : "image.auths[0].") + field;
        assertTrue(run.failed() && run.result().error().contains(key), run.result().error());
        assertFalse(run.result().error().contains(SECRET), "the password is quoted: " + run.result().error());
        assertFalse(String.valueOf(run.registered()).contains(SECRET), "the password is registered");
        assertFalse(String.join("\n", run.log()).contains(SECRET), "the password is logged");

        CliRun cli = PlaybookRunner.withModules(module).runYaml(work, "- hosts: localhost\n  tasks:\n    - image: "
                + new com.fasterxml.jackson.databind.ObjectMapper().valueToTree(resolved) + "\n", "-vv");
        // A template that does not parse is found by the check of the whole playbook, before the run.
        assertEquals(1, cli.exitCode(), cli.toString());
        assertTrue(cli.stderr().contains(key), cli.toString());
        assertFalse(cli.stdout().contains(SECRET) || cli.stderr().contains(SECRET), "the password is on the console");
        assertEquals(0, registry.accepted(), "no connection");
    }
}
