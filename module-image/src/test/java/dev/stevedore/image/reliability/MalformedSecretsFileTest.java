package dev.stevedore.image.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stevedore.engine.testkit.CliRun;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Given an extra-vars file ({@code -e @secrets.yaml}) or a playbook that holds a distinctive password
 * and is not valid YAML, when the {@code stevedore} command runs it at {@code -vv} in a child JVM (so
 * that Log4j and stack traces write where they really do), then it fails with exit code 1 naming the
 * file, the line and the YAML problem, and the password appears nowhere: SnakeYAML's messages carry a
 * snippet of the lines around the error, which once reached stderr through the stack trace.
 */
class MalformedSecretsFileTest {

    private static final String PASSWORD = "Pw-0f9a2c-distinctive";

    @TempDir
    Path work;

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {
            "an unclosed quote", "a tab for indentation", "a key at the wrong depth", "a duplicate key", "an unclosed flow map"})
    void isOneErrorWithoutThePasswordAtEveryVerbosity(String mistake) throws Exception {
        Path secrets = Files.writeString(work.resolve("secrets.yaml"), secretsWith(mistake));
        Path playbook = Files.writeString(work.resolve("playbook.yaml"),
                "- hosts: localhost\n  tasks:\n    - debug: {msg: never}\n");

        for (String verbosity : new String[] {"-v", "-vv"}) {
            CliRun run = ChildCli.run(work, Map.of("PATH", System.getenv("PATH")), "run", playbook.toString(),
                    "-e", "@" + secrets, verbosity);

            assertEquals(1, run.exitCode(), run.toString());
            assertTrue(run.stderr().startsWith(secrets + ":"), "names the file: " + run);
            assertTrue(run.stderr().contains("YAML syntax error") || run.stderr().contains("duplicate key"), run.toString());
            assertFalse(run.stdout().contains(PASSWORD) || run.stderr().contains(PASSWORD), "the password is printed: " + run);
            assertFalse(run.stdout().contains("never"), "the playbook ran: " + run);
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"an unclosed quote", "a tab for indentation"})
    void aMalformedPlaybookHoldingAPasswordDoesNotPrintItEither(String mistake) throws Exception {
        Path playbook = Files.writeString(work.resolve("playbook.yaml"), "- hosts: localhost\n  vars:\n"
                + secretsWith(mistake).indent(4) + "  tasks:\n    - debug: {msg: never}\n");

        CliRun run = ChildCli.run(work, Map.of("PATH", System.getenv("PATH")), "run", playbook.toString(), "-vv");

        assertEquals(1, run.exitCode(), run.toString());
        assertFalse(run.stdout().contains(PASSWORD) || run.stderr().contains(PASSWORD), "the password is printed: " + run);
    }

    /** A small secrets file, broken on or right after the password's line. */
    private static String secretsWith(String mistake) {
        return switch (mistake) {
            case "an unclosed quote" -> "user: ops\npassword: \"" + PASSWORD + "\nregistry: r.example.com\n";
            case "a tab for indentation" -> "user: ops\npassword: " + PASSWORD + "\n\tregistry: r.example.com\n";
            case "a key at the wrong depth" -> "user: ops\npassword: " + PASSWORD + "\n  registry: r.example.com\n";
            case "a duplicate key" -> "password: " + PASSWORD + "\npassword: " + PASSWORD + "\n";
            case "an unclosed flow map" -> "auth: {user: ops, password: " + PASSWORD + "\nregistry: r.example.com\n";
            default -> throw new IllegalArgumentException(mistake);
        };
    }
}
