package dev.stevedore.image.registry.http;

import java.io.IOException;

/**
 * An HTTP proxy refused a request for want of (the right) credentials: 407, or a tunnel answered 401
 * or 407. Retrying cannot help, so callers report it at once. The message names the proxy and the
 * variable it came from, and never holds the password.
 */
public final class ProxyRefusedException extends IOException {

    private final int status;

    ProxyRefusedException(String message, int status) {
        super(message);
        this.status = status;
    }

    /** The status the proxy answered (407, or 401 from proxies that answer wrong credentials so). */
    public int status() {
        return status;
    }
}
