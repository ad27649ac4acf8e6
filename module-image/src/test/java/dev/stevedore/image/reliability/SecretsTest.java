package dev.stevedore.image.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stevedore.engine.testkit.CliRun;
import dev.stevedore.testsupport.HttpProxyServer;
import dev.stevedore.testsupport.RegistryServer;
import dev.stevedore.testsupport.TestCertificates;
import dev.stevedore.testsupport.TokenServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Given a distinctive password in the task's {@code auths}, in a Docker config file or in a credential
 * helper, and a real registry with Basic auth or with bearer tokens, when the {@code stevedore} command
 * runs at {@code -vv} a playbook that pushes and pulls successfully, then with a wrong password (401)
 * and against a registry that is down, registering and printing every result, then neither the password,
 * nor the Base64 of {@code user:password}, nor any token the token server issued appears in stdout,
 * stderr (where Log4j writes), the registered results, or any file the run wrote.
 */
@Tag("slow")
class SecretsTest {

    private static final Path SAMPLES = Path.of("..", "src", "demo", "sample-images").toAbsolutePath().normalize();
    private static final String USER = "stevedore-ops";
    private static final String PASSWORD = "s3cr3t-Stevedore-9f4e2b7d";
    private static final String WRONG = "wr0ng-Stevedore-1a2b3c4d";
    private static final String PROXY_PASSWORD = "pr0xy-Stevedore-7d8e9f0a";
    private static final String WRONG_PROXY_PASSWORD = "wr0ngpr0xy-Stevedore-2c3d";
    private static final String KEY_PASSWORD = "k3y-Stevedore-4b5c6d7e";
    private static final String WRONG_KEY_PASSWORD = "wr0ngk3y-Stevedore-8f9a";

    static RegistryServer basic;
    static TokenServer tokens;
    static RegistryServer tokenAuth;
    static int deadPort;

    @TempDir
    Path work;
    @TempDir
    Path inputs;

    @BeforeAll
    static void startRegistries() throws IOException {
        basic = RegistryServer.builder().basicAuth(USER, PASSWORD).start();
        tokens = TokenServer.builder().user(USER, PASSWORD).start();
        tokenAuth = RegistryServer.builder().tokenAuth(tokens).start();
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            deadPort = socket.getLocalPort(); // closed again: nothing listens there, a registry that is down
        }
    }

    @AfterAll
    static void stopRegistries() {
        tokenAuth.close();
        tokens.close();
        basic.close();
    }

    static Stream<Arguments> runs() {
        List<Arguments> runs = new ArrayList<>();
        for (String scheme : List.of("basic", "token")) {
            for (CredentialSource source : CredentialSource.values()) {
                runs.add(Arguments.of(scheme, source));
            }
        }
        return runs.stream();
    }

    @ParameterizedTest(name = "{0} auth, credentials from {1}")
    @MethodSource("runs")
    void noSecretAppearsInAnyOutputOfSuccessfulOrFailingPullsAndPushes(String scheme, CredentialSource source) throws Exception {
        RegistryServer registry = scheme.equals("basic") ? basic : tokenAuth;
        // The same registry under a second name, for which the source holds the wrong password.
        String alias = "localhost:" + registry.port();
        String dead = "127.0.0.1:" + deadPort;
        Map<String, String> environment = source.prepare(inputs, USER, List.of(new CredentialSource.Grant(registry.hostPort(), PASSWORD),
                new CredentialSource.Grant(alias, WRONG), new CredentialSource.Grant(dead, PASSWORD)));
        // A registry that is down never challenges, so credentials are not even looked up: once per scheme is enough
        // (and saves the retries with backoff of the other runs).
        boolean down = source == CredentialSource.TASK_AUTHS;
        Files.writeString(work.resolve("playbook.yaml"), playbook(source, down));
        int tokensBefore = tokens.issuedTokens().size();

        CliRun run = ChildCli.run(work, environment, "run", "playbook.yaml", "-vv",
                "-e", "registry=" + registry.hostPort(), "-e", "alias=" + alias, "-e", "dead=" + dead,
                "-e", "samples=" + SAMPLES, "-e", "dir=" + work.resolve("pulled"),
                "-e", "user=" + USER, "-e", "password=" + PASSWORD, "-e", "wrong=" + WRONG);

        // The runs did what they should, so the scan below looked at real successes and failures.
        assertEquals(0, run.exitCode(), run.toString());
        assertEquals(down ? 3 : 2, count(run.stdout(), "...ignoring"), run.toString());
        assertTrue(Files.isRegularFile(work.resolve("pulled/good/" + registry.hostPort() + "/secrets/library/hello/manifests/1.0")), run.toString());
        List<String> failures = ConsoleFailures.of(run.stderrLines());
        assertEquals(down ? 3 : 2, failures.size(), run.toString());
        assertTrue(failures.get(0).contains(alias) && mentionsCredentials(failures.get(0)), failures.get(0));
        assertTrue(failures.get(1).contains(alias) && mentionsCredentials(failures.get(1)), failures.get(1));
        if (down) {
            assertTrue(failures.get(2).contains(dead), failures.get(2));
        }
        assertTrue(run.stdout().contains("\"images_copied\" : 3") || run.stdout().contains("\"images_copied\": 3")
                || run.stdout().contains("images_copied"), "registered results printed: " + run.stdout());
        List<String> issued = tokens.issuedTokens().subList(tokensBefore, tokens.issuedTokens().size());
        if (scheme.equals("token")) {
            assertTrue(issued.size() >= 2, "tokens issued for the good push and pull: " + issued.size());
        }

        SecretScan scan = SecretScan.of(USER, PASSWORD, WRONG).withTokens(issued);
        List<String> leaks = new ArrayList<>();
        leaks.addAll(scan.findIn("stdout", run.stdout()));
        leaks.addAll(scan.findIn("stderr", run.stderr()));
        leaks.addAll(scan.findInFiles(work));
        assertEquals(List.of(), leaks, run.toString());
        if (source != CredentialSource.TASK_AUTHS) {
            // The scan can see a secret: the inputs the source was given hold the password or its Base64.
            assertTrue(!scan.findInFiles(inputs).isEmpty(), "the scan found nothing even in " + inputs);
        }
    }

    /**
     * Given a proxy that wants Basic credentials (tinyproxy) named with them in {@code HTTPS_PROXY} and
     * {@code HTTP_PROXY}, and a registry that wants a client certificate whose key is encrypted, when
     * pushes and pulls go through the proxy (a tunnel for HTTPS), past it ({@code NO_PROXY}), with the
     * right and a wrong {@code key_password}, and then with a wrong proxy password and none, then each
     * does what it should and neither password appears in any output or file of the runs.
     */
    @org.junit.jupiter.api.Test
    void neitherTheProxyPasswordNorTheKeyPasswordAppearsInAnyOutputOfProxiedMutualTlsRuns() throws Exception {
        try (HttpProxyServer proxy = HttpProxyServer.startWithBasicAuth(USER, PROXY_PASSWORD);
             RegistryServer mtls = RegistryServer.builder().mutualTls().start()) {
            TestCertificates pki = mtls.certificates().orElseThrow();
            Path encryptedKey = pki.openssl("encrypted.key", KEY_PASSWORD + "\n", "pkcs8", "-topk8", "-in", "client.key",
                    "-passout", "stdin", "-out", "encrypted.key");
            String[] variables = {"-e", "registry=" + basic.hostPort(), "-e", "direct=localhost:" + basic.port(), "-e", "mtls=" + mtls.hostPort(),
                    "-e", "samples=" + SAMPLES, "-e", "dir=" + work.resolve("pulled"), "-e", "user=" + USER, "-e", "password=" + PASSWORD,
                    "-e", "ca=" + pki.caCertificate(), "-e", "cert=" + pki.clientCertificate(), "-e", "key=" + encryptedKey,
                    "-e", "key_password=" + KEY_PASSWORD, "-e", "wrong_key_password=" + WRONG_KEY_PASSWORD};
            String withPassword = "http://" + USER + ":" + PROXY_PASSWORD + "@" + proxy.hostPort();
            Files.writeString(work.resolve("proxied.yaml"), PROXIED_PLAYBOOK);
            CliRun proxied = ChildCli.run(work, proxyEnvironment(withPassword, withPassword), concat(
                    new String[] {"run", "proxied.yaml", "-vv"}, variables));

            assertEquals(0, proxied.exitCode(), proxied.toString());
            List<String> failures = ConsoleFailures.of(proxied.stderrLines());
            assertEquals(1, failures.size(), proxied.toString());
            assertTrue(failures.get(0).contains("key_file " + encryptedKey + " cannot be decrypted with key_password: the password is wrong"),
                    failures.get(0));
            for (String pulled : List.of("mtls/" + mtls.hostPort(), "direct/localhost:" + basic.port())) {
                assertTrue(Files.isDirectory(work.resolve("pulled/" + pulled + "/secrets/library/hello/manifests")), pulled);
            }
            List<String> seen = proxy.requests();
            assertTrue(seen.contains("CONNECT " + mtls.hostPort()), "HTTPS went through a tunnel: " + seen);
            assertTrue(seen.stream().anyMatch(r -> r.contains("http://" + basic.hostPort() + "/v2/")), "HTTP through the proxy: " + seen);
            assertTrue(seen.stream().noneMatch(r -> r.contains("localhost:" + basic.port())), "NO_PROXY went direct: " + seen);

            String wrongPassword = "http://" + USER + ":" + WRONG_PROXY_PASSWORD + "@" + proxy.hostPort();
            Files.writeString(work.resolve("refused.yaml"), REFUSED_PLAYBOOK);
            CliRun refused = ChildCli.run(work, proxyEnvironment(wrongPassword, proxy.uri().toString()), concat(
                    new String[] {"run", "refused.yaml", "-vv"}, variables));

            assertEquals(0, refused.exitCode(), refused.toString());
            List<String> refusals = ConsoleFailures.of(refused.stderrLines());
            assertEquals(2, refusals.size(), refused.toString());
            assertTrue(refusals.get(0).contains("proxy " + proxy.hostPort() + " (from HTTPS_PROXY) refused the user and password given"
                    + " for it (HTTP 401 for a request to https://" + mtls.hostPort() + "): check the proxy user and password in HTTPS_PROXY"),
                    refusals.get(0));
            assertTrue(refusals.get(1).contains("proxy " + proxy.hostPort() + " (from HTTP_PROXY) requires authentication for a request to"
                    + " http://" + basic.hostPort() + " (HTTP 407): give its user and password in HTTP_PROXY"), refusals.get(1));

            SecretScan scan = SecretScan.of(USER, PASSWORD, PROXY_PASSWORD, WRONG_PROXY_PASSWORD, KEY_PASSWORD, WRONG_KEY_PASSWORD);
            List<String> leaks = new ArrayList<>();
            for (CliRun run : List.of(proxied, refused)) {
                leaks.addAll(scan.findIn("stdout", run.stdout()));
                leaks.addAll(scan.findIn("stderr", run.stderr()));
            }
            leaks.addAll(scan.findInFiles(work));
            assertEquals(List.of(), leaks, proxied + "\n" + refused);
        }
    }

    private static final String PROXIED_PLAYBOOK = """
            - hosts: localhost
              tasks:
                - name: push through the proxy over plain HTTP
                  image:
                    push:
                      images_dir: "${samples}"
                      dest: "${registry}/secrets/${module.image.src.reference.repository}:${module.image.src.reference.reference}"
                      auths: [{repo: "${registry}", username: "${user}", password: "${password}", plain_http: true}]
                  register: pushed
                - debug: {var: pushed}
                - name: push through a tunnel with an encrypted client key
                  image:
                    src: "local://${samples}"
                    dest: "oci://${mtls}/secrets/${module.image.reference.repository}:${module.image.reference.reference}"
                    auths: [{registry: "${mtls}", ca_file: "${ca}", cert_file: "${cert}", key_file: "${key}", key_password: "${key_password}"}]
                  register: pushed_mtls
                - debug: {var: pushed_mtls}
                - name: classic pull through a tunnel with an encrypted client key
                  image:
                    pull:
                      manifests: ["${mtls}/secrets/library/hello:1.0"]
                      images_dir: "${dir}/mtls"
                      auths: [{repo: "${mtls}", ca_file: "${ca}", cert_file: "${cert}", key_file: "${key}", key_password: "${key_password}"}]
                  register: pulled_mtls
                - debug: {var: pulled_mtls}
                - name: pull with the wrong key password
                  image:
                    manifests: ["${mtls}/secrets/library/hello:1.0"]
                    dest: "local://${dir}/wrong_key"
                    auths: [{registry: "${mtls}", ca_file: "${ca}", cert_file: "${cert}", key_file: "${key}", key_password: "${wrong_key_password}"}]
                  register: wrong_key
                  ignore_errors: true
                - debug: {var: wrong_key}
                - name: pull past the proxy (NO_PROXY)
                  image:
                    manifests: ["${direct}/secrets/library/hello:1.0"]
                    dest: "local://${dir}/direct"
                    auths: [{registry: "${direct}", username: "${user}", password: "${password}", plain_http: true}]
                  register: direct
                - debug: {var: direct}
            """;

    private static final String REFUSED_PLAYBOOK = """
            - hosts: localhost
              tasks:
                - name: pull through a tunnel with the wrong proxy password
                  image:
                    manifests: ["${mtls}/secrets/library/hello:1.0"]
                    dest: "local://${dir}/refused"
                    auths: [{registry: "${mtls}", ca_file: "${ca}", cert_file: "${cert}", key_file: "${key}", key_password: "${key_password}"}]
                  register: refused
                  ignore_errors: true
                - debug: {var: refused}
                - name: pull through the proxy without its credentials
                  image:
                    manifests: ["${registry}/secrets/library/hello:1.0"]
                    dest: "local://${dir}/no_credentials"
                    auths: [{registry: "${registry}", username: "${user}", password: "${password}", plain_http: true}]
                  register: no_credentials
                  ignore_errors: true
                - debug: {var: no_credentials}
            """;

    private Map<String, String> proxyEnvironment(String httpsProxy, String httpProxy) throws IOException {
        Path home = Files.createDirectories(inputs.resolve("home"));
        return Map.of("HOME", home.toString(), "PATH", "/usr/bin:/bin", "HTTPS_PROXY", httpsProxy, "HTTP_PROXY", httpProxy,
                "NO_PROXY", "localhost");
    }

    private static String[] concat(String[] first, String[] second) {
        String[] all = java.util.Arrays.copyOf(first, first.length + second.length);
        System.arraycopy(second, 0, all, first.length, second.length);
        return all;
    }

    /** Push, pull, then a wrong password both ways and a registry that is down; every result registered and printed. */
    private static String playbook(CredentialSource source, boolean down) {
        String dest = "${module.image.src.reference.repository}:${module.image.src.reference.reference}";
        return """
                - hosts: localhost
                  tasks:
                    - name: push with the right password
                      image:
                        push:
                          images_dir: "${samples}"
                          dest: "${registry}/secrets/%s"
                          auths: %s
                      register: pushed
                    - debug: {var: pushed}
                    - name: pull with the right password
                      image:
                        manifests: ["${registry}/secrets/library/hello:1.0"]
                        dest: "local://${dir}/good"
                        auths: %s
                      register: pulled
                    - debug: {var: pulled}
                    - name: pull with the wrong password
                      image:
                        manifests: ["${alias}/secrets/library/hello:1.0"]
                        dest: "local://${dir}/wrong"
                        auths: %s
                      register: wrong_pull
                      ignore_errors: true
                    - debug: {var: wrong_pull}
                    - name: push with the wrong password
                      image:
                        push:
                          images_dir: "${samples}"
                          dest: "${alias}/wrong/%s"
                          auths: %s
                      register: wrong_push
                      ignore_errors: true
                    - debug: {var: wrong_push}
                %s""".formatted(dest, source.auths("repo", "registry", "password"), source.auths("registry", "registry", "password"),
                source.auths("registry", "alias", "wrong"), dest, source.auths("repo", "alias", "wrong"),
                down ? downTasks(source) : "");
    }

    private static String downTasks(CredentialSource source) {
        return """
                    - name: pull from a registry that is down
                      image:
                        manifests: ["${dead}/secrets/library/hello:1.0"]
                        dest: "local://${dir}/down"
                        auths: %s
                      register: down
                      ignore_errors: true
                    - debug: {var: down}
                """.formatted(source.auths("registry", "dead", "password"));
    }

    private static boolean mentionsCredentials(String error) {
        return Pattern.compile("credential|password|unauthori[sz]ed|401|denied").matcher(error.toLowerCase(Locale.ROOT)).find();
    }

    private static int count(String text, String part) {
        return text.split(Pattern.quote(part), -1).length - 1;
    }

    /**
     * Given an identity token in the Docker config (an OAuth2 refresh token; its rotation within a task is
     * DockerConfigRegistryTest's), when a playbook pushes and pulls with it at {@code -vv}, and pulls from a second name of the
     * registry whose identity token the service does not know, then neither identity token nor any
     * access token appears in stdout, stderr or any file the run wrote.
     */
    @org.junit.jupiter.api.Test
    void noIdentityTokenAppearsInAnyOutput() throws Exception {
        String identity = "rt-Stevedore-identity-7c1d0e";
        String unknown = "rt-Stevedore-unknown-55aa10";
        try (TokenServer refreshing = TokenServer.builder().identityToken(USER, identity).start();
             RegistryServer registry = RegistryServer.builder().tokenAuth(refreshing).start()) {
            String alias = "localhost:" + registry.port();
            Path config = Files.createDirectories(inputs.resolve("docker-config"));
            Files.writeString(config.resolve("config.json"), "{\"auths\":{"
                    + "\"" + registry.hostPort() + "\":{\"identitytoken\":\"" + identity + "\"},"
                    + "\"" + alias + "\":{\"identitytoken\":\"" + unknown + "\"}}}");
            Files.writeString(work.resolve("playbook.yaml"), """
                    - hosts: localhost
                      tasks:
                        - name: push with the identity token
                          image:
                            push:
                              images_dir: "${samples}"
                              dest: "${registry}/idtoken/${module.image.src.reference.repository}:${module.image.src.reference.reference}"
                              auths: [{repo: "${registry}", plain_http: true}]
                          register: pushed
                        - debug: {var: pushed}
                        - name: pull with the identity token
                          image:
                            manifests: ["${registry}/idtoken/library/hello:1.0"]
                            dest: "local://${dir}/good"
                            auths: [{registry: "${registry}", plain_http: true}]
                          register: pulled
                        - debug: {var: pulled}
                        - name: pull with an identity token the service does not know
                          image:
                            manifests: ["${alias}/idtoken/library/hello:1.0"]
                            dest: "local://${dir}/refused"
                            auths: [{registry: "${alias}", plain_http: true}]
                          register: refused
                          ignore_errors: true
                        - debug: {var: refused}
                    """);
            Map<String, String> environment = Map.of("HOME", inputs.toString(), "PATH", "/usr/bin:/bin", "DOCKER_CONFIG", config.toString());
            CliRun run = ChildCli.run(work, environment, "run", "playbook.yaml", "-vv", "-e", "registry=" + registry.hostPort(),
                    "-e", "alias=" + alias, "-e", "samples=" + SAMPLES, "-e", "dir=" + work.resolve("pulled"));

            assertEquals(0, run.exitCode(), run.toString());
            assertEquals(1, count(run.stdout(), "...ignoring"), run.toString());
            assertTrue(Files.isRegularFile(work.resolve("pulled/good/" + registry.hostPort() + "/idtoken/library/hello/manifests/1.0")), run.toString());
            List<String> failures = ConsoleFailures.of(run.stderrLines());
            assertEquals(1, failures.size(), run.toString());
            assertTrue(failures.get(0).contains("refused the identity token"), failures.get(0));
            assertTrue(refreshing.issuedTokens().size() >= 2, "access tokens were issued for the push and the pull");

            SecretScan scan = SecretScan.of(USER, identity, unknown).withTokens(refreshing.issuedTokens());
            List<String> leaks = new ArrayList<>();
            leaks.addAll(scan.findIn("stdout", run.stdout()));
            leaks.addAll(scan.findIn("stderr", run.stderr()));
            leaks.addAll(scan.findInFiles(work));
            assertEquals(List.of(), leaks, run.toString());
            assertTrue(!scan.findInFiles(inputs).isEmpty(), "the scan found nothing even in " + inputs);
        }
    }
}
