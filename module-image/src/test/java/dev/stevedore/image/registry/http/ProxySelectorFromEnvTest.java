package dev.stevedore.image.registry.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
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

    @Test
    void credentialsInTheProxyUrlArePercentDecodedAndKeptPerScheme() {
        ProxySelectorFromEnv selector = ProxySelectorFromEnv.fromEnvironment(Map.of(
                "https_proxy", "http://ops%40corp:p%3Ass%2Fw+rd%25@secure-proxy:3128/",
                "HTTP_PROXY", "http://plain-proxy:8080")).orElseThrow();
        ProxySelectorFromEnv.Route tls = selector.routeFor(URI.create("https://quay.io/v2/")).orElseThrow();
        assertEquals(new ProxyCredentials("ops@corp", "p:ss/w+rd%"), tls.credentials());
        assertEquals("https_proxy", tls.variable());
        assertEquals("secure-proxy:3128", tls.hostPort());
        assertEquals(null, selector.routeFor(URI.create("http://127.0.0.1:5000/v2/")).orElseThrow().credentials());
        assertTrue(selector.hasCredentials());
        assertFalse(ProxySelectorFromEnv.fromEnvironment(Map.of("HTTPS_PROXY", "http://p:1")).orElseThrow().hasCredentials());
    }

    @Test
    void anUnencodedAtInThePasswordEndsTheUserInfoAtTheLastAtAsGoReadsIt() {
        ProxySelectorFromEnv selector = ProxySelectorFromEnv.fromEnvironment(Map.of("HTTPS_PROXY", "http://ops:p@ss#1@proxy:3128"))
                .orElseThrow();
        ProxySelectorFromEnv.Route route = selector.routeFor(URI.create("https://quay.io/")).orElseThrow();
        assertEquals("proxy:3128", route.hostPort());
        assertEquals("p@ss#1", route.credentials().password());
    }

    @Test
    void aBypassedHostHasNoRouteAndSoGetsNoProxyCredentials() {
        ProxySelectorFromEnv selector = ProxySelectorFromEnv.fromEnvironment(Map.of("HTTPS_PROXY", "http://u:pw@p:3128",
                "NO_PROXY", "registry.lan")).orElseThrow();
        assertTrue(selector.routeFor(URI.create("https://registry.lan/v2/")).isEmpty());
    }

    @Test
    void anInvalidProxyUrlIsReportedWithoutItsPassword() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ProxySelectorFromEnv.fromEnvironment(Map.of("HTTPS_PROXY", "http://ops:s3cret-pw@[bad")));
        assertTrue(e.getMessage().contains("HTTPS_PROXY") && e.getMessage().contains("percent-encode"), e.getMessage());
        assertFalse(e.getMessage().contains("s3cret-pw"), e.getMessage());
        IllegalArgumentException encoding = assertThrows(IllegalArgumentException.class,
                () -> ProxySelectorFromEnv.fromEnvironment(Map.of("HTTP_PROXY", "http://ops:s3cret%zz@proxy:1")));
        assertFalse(encoding.getMessage().contains("s3cret"), encoding.getMessage());
    }

    @Test
    void credentialsNeverAppearInDescriptions() {
        ProxySelectorFromEnv selector = ProxySelectorFromEnv.fromEnvironment(Map.of("HTTPS_PROXY", "http://ops:s3cret-pw@p:3128"))
                .orElseThrow();
        ProxySelectorFromEnv.Route route = selector.routeFor(URI.create("https://quay.io/")).orElseThrow();
        for (String text : new String[] {selector.toString(), route.toString(), route.credentials().toString()}) {
            assertFalse(text.contains("s3cret-pw"), text);
        }
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
