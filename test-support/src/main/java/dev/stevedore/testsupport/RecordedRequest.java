package dev.stevedore.testsupport;

/**
 * One request that went through a {@link FaultProxy}.
 *
 * @param method           the HTTP method
 * @param path             the request path without the query string
 * @param hadAuthorization whether an {@code Authorization} header was sent (its value is never kept)
 * @param status           the status the client got (scripted, from upstream, or 502 if upstream was down), or 0
 *                         when a request-body fault cut the exchange before any response
 */
public record RecordedRequest(String method, String path, boolean hadAuthorization, int status) {
}
