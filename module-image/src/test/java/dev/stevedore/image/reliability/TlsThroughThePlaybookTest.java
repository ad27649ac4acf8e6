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
 * Given the real registry serving TLS with a certificate of a test CA the machine does not trust, a
 * playbook's pull fails clearly without {@code ca_file} or {@code skip_tls_verify} (verification is on
 * by default), fails as clearly with the CA of another registry, and succeeds with {@code ca_file}, with the task's {@code skip_tls_verify}, and with the
 * classic form's per-registry {@code insecure}.
 */
class TlsThroughThePlaybookTest {

    private static final Path SAMPLES = Path.of("..", "src", "demo", "sample-images").toAbsolutePath().normalize();
    private static final ImageModule MODULE = new ImageModule(
            new IsolatedTargets(Map.of("HOME", "/nonexistent", "PATH", "/usr/bin:/bin")));

    static RegistryServer registry;
    static Path ca;

    @TempDir
    Path work;

    @BeforeAll
    static void startTheTlsRegistryWithTheSamples() throws IOException {
        registry = RegistryServer.builder().tls().start();
        ca = registry.certificates().orElseThrow().caCertificate();
        ModuleRun pushed = ModuleTestKit.of(MODULE).withVariable("registry", registry.hostPort())
                .withVariable("samples", SAMPLES.toString()).withVariable("ca", ca.toString()).runYaml("""
                        src: "local://${samples}"
                        dest: "oci://${registry}/tls/${module.image.reference.repository}:${module.image.reference.reference}"
                        auths: [{registry: "${registry}", ca_file: "${ca}"}]
                        """);
        assertEquals("success", pushed.result().stdout(), pushed.result().error());
    }

    @AfterAll
    static void stop() {
        registry.close();
    }

    @Test
    void verificationIsOnByDefaultAndCaFileSkipTlsVerifyAndInsecureEachLetThePullThrough() throws IOException {
        CliRun run = PlaybookRunner.withModules(MODULE).runYaml(work, """
                - hosts: localhost
                  vars:
                    image: "${registry}/tls/library/hello:1.0"
                  tasks:
                    - name: pull without ca_file
                      image: {manifests: ["${image}"], dest: "local://${dir}/default"}
                      register: untrusted
                      ignore_errors: true
                    - name: pull with the CA of another registry
                      image:
                        manifests: ["${image}"]
                        dest: "local://${dir}/other_ca"
                        auths: [{registry: "${registry}", ca_file: "${other_ca}"}]
                      ignore_errors: true
                    - name: pull with ca_file
                      image:
                        manifests: ["${image}"]
                        dest: "local://${dir}/ca_file"
                        auths: [{registry: "${registry}", ca_file: "${ca}"}]
                    - name: pull with skip_tls_verify
                      image: {manifests: ["${image}"], dest: "local://${dir}/skip", skip_tls_verify: true}
                    - name: classic pull with insecure
                      image:
                        pull:
                          manifests: ["${image}"]
                          images_dir: "${dir}/insecure"
                          auths: [{repo: "${registry}", insecure: true}]
                    - assert:
                        that: ["untrusted.failed"]
                """, "-e", "registry=" + registry.hostPort(), "-e", "dir=" + work, "-e", "ca=" + ca,
                "-e", "other_ca=" + registry.certificates().orElseThrow().otherCaCertificate());

        assertEquals(0, run.exitCode(), run.toString());
        // Two failures: no CA given, and a CA that did not sign the registry's certificate.
        List<String> failures = ConsoleFailures.of(run.stderrLines());
        assertEquals(2, failures.size(), run.toString());
        for (String failure : failures) {
            assertTrue(failure.startsWith("failed:") && failure.contains(registry.hostPort() + "/tls/library/hello:1.0"), failure);
            assertTrue(failure.contains("TLS verification failed for registry " + registry.hostPort()), failure);
            assertTrue(failure.contains("certificate is not trusted"), failure);
            assertTrue(failure.contains("ca_file") && failure.contains("skip_tls_verify"), failure);
            assertFalse(failure.contains("Exception") || failure.contains("sun.security"), "Java internals in: " + failure);
        }
        assertFalse(Files.exists(work.resolve("other_ca/" + registry.hostPort())), "nothing pulled with the wrong CA");
        assertFalse(Files.exists(work.resolve("default/" + registry.hostPort())), "nothing pulled without verification");
        for (String dir : List.of("ca_file", "skip", "insecure")) {
            assertTrue(Files.isRegularFile(work.resolve(dir + "/" + registry.hostPort() + "/tls/library/hello/manifests/1.0")), dir);
        }
    }
}
