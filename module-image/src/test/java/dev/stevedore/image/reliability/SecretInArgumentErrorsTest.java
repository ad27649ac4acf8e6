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
 * Given a password in {@code auths} that the template engine cannot render (passwords are templates,
 * and a real one may contain {@code ${} or {@code <#}), the task is rejected naming the key, and the
 * error does not quote the password: not in the result, not on the console, not in what is registered.
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

    @ParameterizedTest(name = "{0} form, password {1}")
    @CsvSource(delimiter = '|', value = {
            "classic | " + SECRET + "${oops",
            "classic | " + SECRET + "<#if>",
            "classic | ${" + SECRET + " x}",
            "newer   | " + SECRET + "${oops",
            "newer   | ${'" + SECRET + "' + }",
            "newer   | ${" + SECRET + "?no_such}"})
    void anUnrenderablePasswordIsRejectedWithoutQuotingIt(String form, String password) {
        ImageModule module = new ImageModule(IsolatedTargets.proxiedThrough(registry.hostPort()));
        Map<String, Object> args = form.equals("classic")
                ? TaskArgs.with(TaskArgs.pull(), "pull.auths[0].password", password)
                : TaskArgs.with(TaskArgs.newer(), "auths[0].password", password);
        @SuppressWarnings("unchecked")
        Map<String, Object> resolved = (Map<String, Object>) TaskArgs.resolve(args, Map.of(TaskArgs.HOST, registry.hostPort(),
                TaskArgs.IMAGES, work.resolve("images").toString(), TaskArgs.BUNDLE, work.toString()));

        ModuleRun run = ModuleTestKit.of(module).run(resolved);
        String key = form.equals("classic") ? "pull.auths[0].password" : "image.auths[0].password";
        assertTrue(run.failed() && run.result().error().contains(key), run.result().error());
        assertFalse(run.result().error().contains(SECRET), "the password is quoted: " + run.result().error());
        assertFalse(String.valueOf(run.registered()).contains(SECRET), "the password is registered");
        assertFalse(String.join("\n", run.log()).contains(SECRET), "the password is logged");

        CliRun cli = PlaybookRunner.withModules(module).runYaml(work, "- hosts: localhost\n  tasks:\n    - image: "
                + new com.fasterxml.jackson.databind.ObjectMapper().valueToTree(resolved) + "\n", "-vv");
        assertEquals(2, cli.exitCode(), cli.toString());
        assertFalse(cli.stdout().contains(SECRET) || cli.stderr().contains(SECRET), "the password is on the console");
        assertEquals(0, registry.accepted(), "no connection");
    }
}
