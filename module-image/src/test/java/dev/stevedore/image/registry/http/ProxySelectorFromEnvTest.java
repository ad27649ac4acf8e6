package dev.stevedore.image.registry.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.net.Proxy;
import java.net.ProxySelector;
import java.net.URI;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ProxySelectorFromEnvTest {

    @Test
    void noProxyVariablesMeanNoSelector() {
        assertTrue(ProxySelectorFromEnv.fromEnvironment(Map.of("PATH", "/bin")).isEmpty());
    }

    @Test
    void httpsAndHttpUrlsUseTheirOwnVariables() {
        ProxySelector selector = ProxySelectorFromEnv.fromEnvironment(
                Map.of("HTTPS_PROXY", "http://secure-proxy:3128", "HTTP_PROXY", "plain-proxy:8080")).orElseThrow();
        assertEquals("secure-proxy:3128", proxyOf(selector, "https://quay.io/v2/"));
        assertEquals("plain-proxy:8080", proxyOf(selector, "http://127.0.0.1:5000/v2/"));
    }

    @Test
    void lowerCaseVariablesWinOverUpperCase() {
        ProxySelector selector = ProxySelectorFromEnv.fromEnvironment(
                Map.of("https_proxy", "http://lower:1", "HTTPS_PROXY", "http://upper:2")).orElseThrow();
        assertEquals("lower:1", proxyOf(selector, "https://quay.io/"));
    }

    @Test
    void noProxyMatchesHostsDomainSuffixesPortsAndStar() {
        ProxySelector selector = ProxySelectorFromEnv.fromEnvironment(Map.of("HTTPS_PROXY", "http://p:3128", "HTTP_PROXY", "http://p:3128",
                "NO_PROXY", "internal.example.com, .corp.local,10.0.0.1,registry.lan:5000")).orElseThrow();
        assertEquals("DIRECT", proxyOf(selector, "https://internal.example.com/v2/"));
        assertEquals("DIRECT", proxyOf(selector, "https://sub.internal.example.com/v2/"));
        assertEquals("DIRECT", proxyOf(selector, "https://harbor.corp.local/v2/"));
        assertEquals("DIRECT", proxyOf(selector, "http://10.0.0.1/v2/"));
        assertEquals("DIRECT", proxyOf(selector, "http://registry.lan:5000/v2/"));
        assertEquals("p:3128", proxyOf(selector, "http://registry.lan:5001/v2/"));
        assertEquals("p:3128", proxyOf(selector, "https://notinternal.example.com/v2/"));
        assertEquals("p:3128", proxyOf(selector, "https://quay.io/v2/"));
        ProxySelector star = ProxySelectorFromEnv.fromEnvironment(Map.of("https_proxy", "http://p:1", "no_proxy", "*")).orElseThrow();
        assertEquals("DIRECT", proxyOf(star, "https://quay.io/v2/"));
    }

    @Test
    void aSchemeWithoutItsVariableGoesDirect() {
        ProxySelector selector = ProxySelectorFromEnv.fromEnvironment(Map.of("HTTPS_PROXY", "http://p:3128")).orElseThrow();
        assertEquals("DIRECT", proxyOf(selector, "http://127.0.0.1:5000/v2/"));
    }

    @Test
    void theSelectorsDescriptionHidesProxyCredentials() {
        ProxySelector selector = ProxySelectorFromEnv.fromEnvironment(Map.of("HTTPS_PROXY", "http://user:s3cret@p:3128")).orElseThrow();
        assertTrue(!selector.toString().contains("s3cret"), selector.toString());
    }

    private static String proxyOf(ProxySelector selector, String uri) {
        Proxy proxy = selector.select(URI.create(uri)).get(0);
        if (proxy.type() == Proxy.Type.DIRECT) {
            return "DIRECT";
        }
        InetSocketAddress address = (InetSocketAddress) proxy.address();
        return address.getHostString() + ":" + address.getPort();
    }
}
