package dev.stevedore.image.registry.http;

import java.util.Locale;

/**
 * The JDK's process-wide switch that decides whether Basic credentials may be sent to a proxy on
 * {@code CONNECT} (the tunnel every HTTPS request through a proxy opens). Since 8u111 the JDK's
 * {@code net.properties} sets {@code jdk.http.auth.tunneling.disabledSchemes=Basic}: with a JVM-wide
 * {@code Authenticator}, any proxy that answered 407 could collect the password meant for another
 * host. Stevedore sets no Authenticator: it sends the user and password the operator wrote into
 * {@code HTTPS_PROXY} to that proxy only (curl, Docker and Go do the same), so the restriction only
 * stops the proxy's own credentials from reaching it.
 *
 * <p>The property is lifted only when a proxy with credentials is configured, and only when nobody
 * set it on the command line. The JDK reads it once, when its HTTP client classes are first used, so
 * it must change before this process builds its first HttpClient; {@link #beforeBuild} is called
 * before every client {@link HttpClients} builds and remembers what was in effect at the first.
 */
final class TunnelingBasicAuth {

    static final String PROPERTY = "jdk.http.auth.tunneling.disabledSchemes";

    /** Whether the first client was built, and the property's value then (null: the JDK's default). */
    private static boolean decided;
    private static String inEffect;

    private TunnelingBasicAuth() {
    }

    /**
     * Lifts the restriction if {@code proxyHasCredentials} and it is still possible.
     *
     * @return whether the JDK will send Basic credentials on CONNECT in this process
     */
    static synchronized boolean beforeBuild(boolean proxyHasCredentials) {
        if (!decided) {
            if (proxyHasCredentials && System.getProperty(PROPERTY) == null) {
                System.setProperty(PROPERTY, "");
            }
            inEffect = System.getProperty(PROPERTY);
            decided = true;
        }
        return basicAllowed(inEffect);
    }

    /** Null means the JDK's default from net.properties, which disables Basic. */
    private static boolean basicAllowed(String disabledSchemes) {
        if (disabledSchemes == null) {
            return false;
        }
        for (String scheme : disabledSchemes.split(",")) {
            if (scheme.trim().toLowerCase(Locale.ROOT).equals("basic")) {
                return false;
            }
        }
        return true;
    }
}
