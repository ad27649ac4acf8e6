package dev.stevedore.image.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stevedore.image.reference.ImageReference;
import dev.stevedore.testsupport.FaultProxy;
import dev.stevedore.testsupport.HttpProxyServer;
import dev.stevedore.testsupport.RegistryServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * HTTP_PROXY / HTTPS_PROXY / NO_PROXY from the task environment, through a real tinyproxy, and through
 * one that wants a user and password. Tunnels through an authenticating proxy are proven in a JVM of
 * their own ({@code SecretsTest}): the JDK reads whether Basic may go on a CONNECT once per process,
 * and this test JVM has made HTTP clients long before.
 */
class ProxyEnvironmentTest {

    private static final String PROXY_USER = "proxy-ops";
    private static final String PROXY_PASSWORD = "pr0xy-Pass-5e6f";

    static RegistryServer plain;
    static RegistryServer tls;
    static HttpProxyServer proxy;
    static HttpProxyServer authenticating;
    @TempDir
    static Path folder;
    static TestImage image;

    @BeforeAll
    static void start() throws Exception {
        plain = RegistryServer.start();
        tls = RegistryServer.builder().tls().start();
        proxy = HttpProxyServer.start();
        authenticating = HttpProxyServer.startWithBasicAuth(PROXY_USER, PROXY_PASSWORD);
        image = TestImage.multiArch(Files.createDirectory(folder.resolve("blobs")), 10_000);
    }

    @AfterAll
    static void stop() {
        authenticating.close();
        proxy.close();
        tls.close();
        plain.close();
    }

    static Map<String, String> env(String... pairs) {
        java.util.HashMap<String, String> env = new java.util.HashMap<>(Map.of("PATH", "/usr/bin:/bin", "HOME", "/nonexistent"));
        for (int i = 0; i < pairs.length; i += 2) {
            env.put(pairs[i], pairs[i + 1]);
        }
        return env;
    }

    @Test
    void plainHttpRequestsGoThroughHttpProxy() throws Exception {
        ImageReference reference = ImageReference.parse(plain.hostPort() + "/proxied/app:1");
        try (RegistryTarget target = new RegistryTarget(Settings.of(List.of(Settings.plain(plain.hostPort())),
                env("HTTP_PROXY", proxy.uri().toString())))) {
            image.push(target, reference);
            assertEquals(image.index.digest(), target.resolve(reference).orElseThrow().digest());
        }
        assertTrue(proxy.requests().contains("HEAD http://" + plain.hostPort() + "/v2/proxied/app/manifests/1"), proxy.requests().toString());
    }

    @Test
    void tlsRequestsTunnelThroughTheLowerCaseHttpsProxy() throws Exception {
        ImageReference reference = ImageReference.parse(tls.hostPort() + "/proxied/app:1");
        RegistryAuth auth = RegistryAuth.of(tls.hostPort())
                .withTransport(RegistryAuth.Transport.DEFAULT.withCaFile(tls.certificates().orElseThrow().caCertificate()));
        try (RegistryTarget target = new RegistryTarget(Settings.of(List.of(auth), env("https_proxy", proxy.uri().toString())))) {
            image.push(target, reference);
        }
        assertTrue(proxy.requests().contains("CONNECT " + tls.hostPort()), proxy.requests().toString());
    }

    @Test
    void hostsInNoProxyAreReachedDirectly() throws Exception {
        ImageReference reference = ImageReference.parse(plain.hostPort() + "/direct/app:1");
        try (RegistryTarget target = new RegistryTarget(Settings.of(List.of(Settings.plain(plain.hostPort())),
                env("HTTP_PROXY", proxy.uri().toString(), "NO_PROXY", "localhost,127.0.0.1")))) {
            image.push(target, reference);
        }
        assertTrue(proxy.requests().stream().noneMatch(r -> r.contains("/direct/")), proxy.requests().toString());
    }

    @Test
    void plainHttpRequestsCarryTheCredentialsInHttpProxyToAProxyThatWantsThem() throws Exception {
        ImageReference reference = ImageReference.parse(plain.hostPort() + "/authenticated/app:1");
        String url = "http://" + PROXY_USER + ":" + PROXY_PASSWORD + "@" + authenticating.hostPort();
        try (RegistryTarget target = new RegistryTarget(Settings.of(List.of(Settings.plain(plain.hostPort())), env("HTTP_PROXY", url)))) {
            image.push(target, reference);
            assertEquals(image.index.digest(), target.resolve(reference).orElseThrow().digest());
        }
        assertTrue(authenticating.requests().contains("HEAD http://" + plain.hostPort() + "/v2/authenticated/app/manifests/1"),
                authenticating.requests().toString());
    }

    @Test
    void aProxyThatWantsCredentialsAndGetsNoneSaysWhereToPutThemAtOnce() throws Exception {
        ImageReference reference = ImageReference.parse(plain.hostPort() + "/unauthenticated/app:1");
        try (RegistryTarget target = new RegistryTarget(Settings.of(List.of(Settings.plain(plain.hostPort())),
                env("HTTP_PROXY", authenticating.uri().toString())))) {
            RegistryException e = assertThrows(RegistryException.class, () -> target.resolve(reference));
            assertEquals("proxy " + authenticating.hostPort() + " (from HTTP_PROXY) requires authentication for a request to http://"
                    + plain.hostPort() + " (HTTP 407): give its user and password in HTTP_PROXY as http://user:password@host:port",
                    e.getMessage());
            assertEquals(407, e.status());
        }
        assertEquals(1, authenticating.requests().stream().filter(r -> r.contains("/unauthenticated/")).count(),
                "not retried: " + authenticating.requests());
    }

    @Test
    void aProxyThatKeepsRefusingTheCredentialsIsNamedWithWhatToCheck() throws Exception {
        // RFC 7235 section 3.2: a proxy answers 407 to missing and to wrong credentials alike (squid does).
        try (FaultProxy refusing = FaultProxy.start(plain.baseUri())) {
            refusing.on("*", ".*").always().respond(407, Map.of("Proxy-Authenticate", "Basic realm=\"corp\""), "");
            ImageReference reference = ImageReference.parse(plain.hostPort() + "/refused/app:1");
            try (RegistryTarget target = new RegistryTarget(Settings.of(List.of(Settings.plain(plain.hostPort())),
                    env("http_proxy", "http://" + PROXY_USER + ":" + PROXY_PASSWORD + "@" + refusing.hostPort())))) {
                RegistryException e = assertThrows(RegistryException.class, () -> target.resolve(reference));
                assertTrue(e.getMessage().startsWith("proxy " + refusing.hostPort() + " (from http_proxy) refused the user and password"
                        + " given for it (HTTP 407 for a request to http://" + plain.hostPort() + "): check the proxy user and password"
                        + " in http_proxy"), e.getMessage());
                assertFalse(e.getMessage().contains(PROXY_PASSWORD), e.getMessage());
            }
            assertEquals(1, refusing.requests().size(), "a refusal is not retried: " + refusing.requests());
        }
    }

    @Test
    void aProxyAskingForAnotherSchemeThanBasicSaysSo() throws Exception {
        try (FaultProxy negotiating = FaultProxy.start(plain.baseUri())) {
            negotiating.on("*", ".*").always().respond(407, Map.of("Proxy-Authenticate", "Negotiate"), "");
            ImageReference reference = ImageReference.parse(plain.hostPort() + "/kerberos/app:1");
            try (RegistryTarget target = new RegistryTarget(Settings.of(List.of(Settings.plain(plain.hostPort())),
                    env("HTTP_PROXY", "http://" + negotiating.hostPort())))) {
                RegistryException e = assertThrows(RegistryException.class, () -> target.resolve(reference));
                assertTrue(e.getMessage().contains("asks for Negotiate authentication") && e.getMessage().contains("only Basic"),
                        e.getMessage());
            }
        }
    }

    @Test
    void aRegistryInNoProxyNeverSeesTheProxyCredentials() throws Exception {
        List<String> proxyHeaders = new java.util.concurrent.CopyOnWriteArrayList<>();
        com.sun.net.httpserver.HttpServer registry = com.sun.net.httpserver.HttpServer.create(
                new java.net.InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), 0), 10);
        // Answers like a registry without the image: 404 to every request; what matters is what it was sent.
        registry.createContext("/", exchange -> {
            exchange.getRequestHeaders().keySet().stream().filter(h -> h.toLowerCase(java.util.Locale.ROOT).startsWith("proxy-"))
                    .forEach(proxyHeaders::add);
            exchange.sendResponseHeaders(404, -1);
            exchange.close();
        });
        registry.start();
        try {
            String host = "localhost:" + registry.getAddress().getPort();
            String url = "http://" + PROXY_USER + ":" + PROXY_PASSWORD + "@" + authenticating.hostPort();
            try (RegistryTarget target = new RegistryTarget(Settings.of(List.of(Settings.plain(host)),
                    env("HTTP_PROXY", url, "NO_PROXY", "localhost")))) {
                assertTrue(target.resolve(ImageReference.parse(host + "/direct/app:1")).isEmpty());
            }
            assertEquals(List.of(), proxyHeaders);
            assertTrue(authenticating.requests().stream().noneMatch(r -> r.contains(host)), authenticating.requests().toString());
        } finally {
            registry.stop(0);
        }
    }
}
