package dev.stevedore.image.registry.auth;

import dev.stevedore.image.error.ImageException;
import java.util.Optional;

/**
 * The token service a host's challenge named did not give a token. The registry client turns it into
 * its own errors (a refusal into "unauthorized", a 5xx or 429 into a failure it retries), so this
 * package needs nothing of the client's.
 */
public final class TokenServiceException extends ImageException {

    private final int status;
    private final boolean refused;
    private final String action;
    private final String detail;
    private final String host;
    private final Optional<String> sent;

    private TokenServiceException(String message, int status, boolean refused, String action, String detail, String host,
                                  Optional<String> sent) {
        super(message);
        this.status = status;
        this.refused = refused;
        this.action = action;
        this.detail = detail;
        this.host = host;
        this.sent = sent;
    }

    /** The service refused who we said we were ({@code sent}, empty when anonymous). */
    static TokenServiceException refused(String action, String detail, String host, Optional<String> sent, int status) {
        return new TokenServiceException("unauthorized to " + action + detail, status, true, action, detail, host, sent);
    }

    /** Anything else: a status other than 200 (0 when the answer was not a token at all). */
    static TokenServiceException failed(String message, int status) {
        return new TokenServiceException(message, status, false, null, null, null, Optional.empty());
    }

    /** HTTP status of the token service's answer, 0 when it answered something that is no token. */
    public int status() {
        return status;
    }

    /** Whether the service refused the credentials (or their absence), as opposed to failing. */
    public boolean refused() {
        return refused;
    }

    /** For a refusal: what was being done ("get a token for ... from ..."). */
    public String action() {
        return action;
    }

    /** For a refusal: " (HTTP 401)". */
    public String detail() {
        return detail;
    }

    /** For a refusal: the host whose credentials were refused. */
    public String host() {
        return host;
    }

    /** For a refusal: what was sent ("user bob", "the identity token"), empty when nothing was. */
    public Optional<String> sent() {
        return sent;
    }
}
