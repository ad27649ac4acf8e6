package dev.stevedore.testsupport;

import java.net.URI;
import java.nio.file.Path;
import java.util.List;

/**
 * The settings of one test registry, rendered as the distribution {@code config.yml}.
 * Null fields are sections left out.
 *
 * @param allowedManifestUrls {@code validation.manifests.urls.allow}: regular expressions for the {@code urls}
 *                            of foreign layers the registry accepts in pushed manifests; empty leaves the
 *                            section out, and then the registry refuses every manifest with such URLs
 */
record RegistryConfig(int port, Path storage, String httpSecret, Path tlsCertificate, Path tlsKey,
                      Path clientCa, Path htpasswd, TokenAuth token, List<String> allowedManifestUrls) {

    RegistryConfig {
        allowedManifestUrls = List.copyOf(allowedManifestUrls);
    }

    /** The {@code auth.token} section: where clients get tokens and how the registry checks them. */
    record TokenAuth(URI realm, String service, String issuer, Path rootCertBundle) {
    }

    RegistryConfig withPort(int newPort) {
        return new RegistryConfig(newPort, storage, httpSecret, tlsCertificate, tlsKey, clientCa, htpasswd, token,
                allowedManifestUrls);
    }

    String toYaml() {
        StringBuilder yaml = new StringBuilder();
        yaml.append("version: 0.1\n")
            .append("log:\n  level: info\n  accesslog:\n    disabled: false\n")
            .append("storage:\n")
            .append("  filesystem:\n    rootdirectory: ").append(quote(storage)).append('\n')
            .append("  delete:\n    enabled: true\n")
            // Background purging of old uploads would race with restart tests; nothing here lives a week.
            .append("  maintenance:\n    uploadpurging:\n      enabled: false\n")
            .append("http:\n")
            .append("  addr: 127.0.0.1:").append(port).append('\n')
            // A fixed secret keeps upload sessions valid across restart(), as in a real deployment.
            .append("  secret: ").append(quote(httpSecret)).append('\n');
        if (tlsCertificate != null) {
            yaml.append("  tls:\n")
                .append("    certificate: ").append(quote(tlsCertificate)).append('\n')
                .append("    key: ").append(quote(tlsKey)).append('\n');
            if (clientCa != null) {
                yaml.append("    clientcas:\n      - ").append(quote(clientCa)).append('\n');
            }
        }
        if (htpasswd != null) {
            yaml.append("auth:\n  htpasswd:\n    realm: stevedore-test\n    path: ").append(quote(htpasswd)).append('\n');
        } else if (token != null) {
            yaml.append("auth:\n  token:\n")
                .append("    realm: ").append(quote(token.realm())).append('\n')
                .append("    service: ").append(quote(token.service())).append('\n')
                .append("    issuer: ").append(quote(token.issuer())).append('\n')
                .append("    rootcertbundle: ").append(quote(token.rootCertBundle())).append('\n');
        }
        if (!allowedManifestUrls.isEmpty()) {
            yaml.append("validation:\n  manifests:\n    urls:\n      allow:\n");
            allowedManifestUrls.forEach(pattern -> yaml.append("        - ").append(quote(pattern)).append('\n'));
        }
        return yaml.toString();
    }

    private static String quote(Object value) {
        return '"' + value.toString().replace("\\", "\\\\").replace("\"", "\\\"") + '"';
    }
}
