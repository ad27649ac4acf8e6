package dev.stevedore.image.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stevedore.engine.testkit.CliRun;
import dev.stevedore.engine.testkit.ModuleRun;
import dev.stevedore.engine.testkit.ModuleTestKit;
import dev.stevedore.engine.testkit.PlaybookRunner;
import dev.stevedore.image.ImageModule;
import dev.stevedore.testsupport.RegistryServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Given the real registry once serving plain HTTP and once TLS (with a test CA's certificate), a
 * registry marked insecure that serves plain HTTP is pulled from over HTTP, as Docker's insecure
 * registries are; one that is not marked is not, and its error names the key to set in the task's
 * form; a TLS registry marked insecure is still reached over TLS; {@code plain_http} against the TLS
 * registry gets a hint instead of a bare HTTP 400; the classic form's {@code auths} take
 * {@code ca_file}; a {@code ca_file} that does not exist says so.
 */
class PlainHttpAndTlsThroughThePlaybookTest {

    private static final Path SAMPLES = Path.of("..", "src", "demo", "sample-images").toAbsolutePath().normalize();
    private static final ImageModule MODULE = new ImageModule(
            new IsolatedTargets(Map.of("HOME", "/nonexistent", "PATH", "/usr/bin:/bin")));
    private static final String HELLO = "/samples/library/hello";

    static RegistryServer plain;
    static RegistryServer tls;
    static Path ca;

    @TempDir
    Path work;

    @BeforeAll
    static void startBothRegistriesWithTheSamples() throws IOException {
        plain = RegistryServer.start();
        tls = RegistryServer.builder().tls().start();
        ca = tls.certificates().orElseThrow().caCertificate();
        for (String auth : List.of("{registry: \"${plain}\", plain_http: true}", "{registry: \"${tls}\", ca_file: \"${ca}\"}")) {
            String registry = auth.contains("plain_http") ? "${plain}" : "${tls}";
            ModuleRun pushed = ModuleTestKit.of(MODULE).withVariable("plain", plain.hostPort()).withVariable("tls", tls.hostPort())
                    .withVariable("samples", SAMPLES.toString()).withVariable("ca", ca.toString()).runYaml("""
                            src: "local://${samples}"
                            dest: "oci://%s/samples/${module.image.reference.repository}:${module.image.reference.reference}"
                            auths: [%s]
                            """.formatted(registry, auth));
            assertEquals("success", pushed.result().stdout(), pushed.result().error());
        }
    }

    @AfterAll
    static void stop() {
        tls.close();
        plain.close();
    }

    @Test
    void onlyRegistriesMarkedInsecureFallBackToPlainHttpAndTheRemedyNamesKeysOfTheTasksForm() throws IOException {
        CliRun run = playbook("""
                - name: newer form, skip_tls_verify for the task
                  image: {manifests: ["${plain}%1$s:1.0"], dest: "local://${dir}/skip", skip_tls_verify: true}
                - name: newer form, skip_tls_verify for the registry
                  image:
                    manifests: ["${plain}%1$s:1.0"]
                    dest: "local://${dir}/skip_registry"
                    auths: [{registry: "${plain}", skip_tls_verify: true}]
                - name: classic form, insecure
                  image:
                    pull:
                      manifests: ["${plain}%1$s:1.0"]
                      images_dir: "${dir}/insecure"
                      auths: [{repo: "${plain}", insecure: true}]
                - name: newer form, not marked
                  image: {manifests: ["${plain}%1$s:1.0"], dest: "local://${dir}/newer_verified"}
                  ignore_errors: true
                - name: classic form, not marked
                  image: {pull: {manifests: ["${plain}%1$s:1.0"], images_dir: "${dir}/classic_verified"}}
                  ignore_errors: true
                - name: copy form, which has no registry settings
                  image:
                    copy:
                      from: {path: "oci://${plain}%1$s:1.0", manifests: ["${plain}%1$s:1.0"]}
                      to: {path: "local://${dir}/copy_verified"}
                  ignore_errors: true
                """.formatted(HELLO));

        assertEquals(0, run.exitCode(), run.toString());
        for (String dir : List.of("skip", "skip_registry", "insecure")) {
            assertTrue(Files.isRegularFile(work.resolve(dir + "/" + plain.hostPort() + HELLO + "/manifests/1.0")), dir + ": " + run);
        }
        List<String> failures = ConsoleFailures.of(run.stderrLines());
        assertEquals(3, failures.size(), run.toString());
        String answersInPlainHttp = "TLS with registry " + plain.hostPort() + " failed while trying to ";
        assertTrue(failures.get(0).contains(answersInPlainHttp) && failures.get(0).contains("the registry answers in plain HTTP; set"
                + " plain_http: true in the registry's auths entry; a registry marked skip_tls_verify: true also falls back"), failures.get(0));
        assertTrue(failures.get(1).contains(answersInPlainHttp) && failures.get(1).contains("set plain_http: true in the registry's"
                + " auths entry (the one with its repo:); a registry marked insecure: true also falls back"), failures.get(1));
        assertTrue(failures.get(2).contains("the copy: form has no registry settings: write the task in the newer form"), failures.get(2));
        for (String dir : List.of("newer_verified", "classic_verified", "copy_verified")) {
            assertFalse(Files.exists(work.resolve(dir + "/" + plain.hostPort())), "a verified registry was talked down to HTTP: " + dir);
        }
    }

    @Test
    void aTlsRegistryMarkedInsecureStaysOnTlsAndPlainHttpAgainstItGetsAHint() throws IOException {
        CliRun run = playbook("""
                - name: insecure TLS registry
                  image: {manifests: ["${tls}%1$s:1.0"], dest: "local://${dir}/insecure_tls", skip_tls_verify: true}
                - name: plain_http against TLS
                  image:
                    manifests: ["${tls}%1$s:1.0"]
                    dest: "local://${dir}/plain_http"
                    auths: [{registry: "${tls}", plain_http: true}]
                  ignore_errors: true
                - name: plain_http against TLS, classic form
                  image:
                    pull:
                      manifests: ["${tls}%1$s:1.0"]
                      images_dir: "${dir}/plain_http_classic"
                      auths: [{repo: "${tls}", plain_http: true}]
                  ignore_errors: true
                """.formatted(HELLO));

        assertEquals(0, run.exitCode(), run.toString());
        assertTrue(Files.isRegularFile(work.resolve("insecure_tls/" + tls.hostPort() + HELLO + "/manifests/1.0")), run.toString());
        List<String> failures = ConsoleFailures.of(run.stderrLines());
        assertEquals(2, failures.size(), run.toString());
        for (String failure : failures) {
            assertTrue(failure.contains("registry " + tls.hostPort() + " answered the plain-HTTP request to ")
                    && failure.contains("with HTTP 400, saying \"Client sent an HTTP request to an HTTPS server.\": it serves HTTPS,"
                    + " so plain_http is wrong for it; remove plain_http from the registry's auths entry"), failure);
        }
    }

    @Test
    void theClassicFormTakesCaFileAndItsTlsErrorsNameItsOwnKeys() throws IOException {
        CliRun run = playbook("""
                - name: classic pull with ca_file
                  image:
                    pull:
                      manifests: ["${tls}%1$s:1.0"]
                      images_dir: "${dir}/classic_ca"
                      auths: [{repo: "${tls}", ca_file: "${ca}"}]
                - name: classic pull without it
                  image: {pull: {manifests: ["${tls}%1$s:1.0"], images_dir: "${dir}/classic_untrusted"}}
                  ignore_errors: true
                - name: a ca_file that does not exist
                  image:
                    manifests: ["${tls}%1$s:1.0"]
                    dest: "local://${dir}/missing_ca"
                    auths: [{registry: "${tls}", ca_file: "${dir}/no-such-ca.pem"}]
                  ignore_errors: true
                """.formatted(HELLO));

        assertEquals(0, run.exitCode(), run.toString());
        assertTrue(Files.isRegularFile(work.resolve("classic_ca/" + tls.hostPort() + HELLO + "/manifests/1.0")), run.toString());
        List<String> failures = ConsoleFailures.of(run.stderrLines());
        assertEquals(2, failures.size(), run.toString());
        assertTrue(failures.get(0).contains("TLS verification failed for registry " + tls.hostPort()) && failures.get(0).contains(
                "give its CA certificate with ca_file in the registry's auths entry (the one with its repo:), or set insecure:"
                        + " true there (or skip_tls_verify: true for the whole pull or push)"), failures.get(0));
        assertTrue(failures.get(1).contains("cannot set up TLS for registry " + tls.hostPort() + ": ca_file "
                + work.resolve("no-such-ca.pem") + " does not exist"), failures.get(1));
    }

    private CliRun playbook(String tasks) throws IOException {
        return PlaybookRunner.withModules(MODULE).runYaml(work, "- hosts: localhost\n  tasks:\n" + tasks.indent(4),
                "-e", "plain=" + plain.hostPort(), "-e", "tls=" + tls.hostPort(), "-e", "ca=" + ca, "-e", "dir=" + work);
    }
}
