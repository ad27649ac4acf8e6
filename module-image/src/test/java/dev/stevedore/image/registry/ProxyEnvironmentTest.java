package dev.stevedore.image.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stevedore.image.reference.ImageReference;
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

/** HTTP_PROXY / HTTPS_PROXY / NO_PROXY from the task environment, through a real tinyproxy. */
class ProxyEnvironmentTest {

    static RegistryServer plain;
    static RegistryServer tls;
    static HttpProxyServer proxy;
    @TempDir
    static Path folder;
    static TestImage image;

    @BeforeAll
    static void start() throws Exception {
        plain = RegistryServer.start();
        tls = RegistryServer.builder().tls().start();
        proxy = HttpProxyServer.start();
        image = TestImage.multiArch(Files.createDirectory(folder.resolve("blobs")), 10_000);
    }

    @AfterAll
    static void stop() {
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
        RegistryAuth auth = new RegistryAuth(tls.hostPort(), null, null, null, false, tls.certificates().orElseThrow().caCertificate(), null, null);
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
}
