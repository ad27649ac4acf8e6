package dev.stevedore.testsupport;

/**
 * One request that went through a {@link FaultProxy}.
 *
 * @param method        the HTTP method
 * @param path          the request path without the query string
 * @param authorization the {@code Authorization} header sent, or {@code null}; kept in memory so tests can
 *                      tell which host received which token or credentials, never written anywhere
 * @param status        the status the client got (scripted, from upstream, or 502 if upstream was down), or 0
 *                      when a request-body fault cut the exchange before any response
 */
public record RecordedRequest(String method, String path, String authorization, int status) {

    /** Whether an {@code Authorization} header was sent. */
    public boolean hadAuthorization() {
        return authorization != null;
    }

    @Override
    public String toString() {
        String shown = authorization == null ? "none" : authorization.substring(0, Math.max(0, authorization.indexOf(' '))) + " ...";
        return "RecordedRequest[" + method + " " + path + " -> " + status + ", Authorization " + shown + "]";
    }
}
