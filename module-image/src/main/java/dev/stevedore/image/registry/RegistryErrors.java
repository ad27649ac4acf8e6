package dev.stevedore.image.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** Turns an unsuccessful response into the exception a user can act on, using the registry's error JSON. */
final class RegistryErrors {

    private static final ObjectMapper JSON = new ObjectMapper();

    private RegistryErrors() {
    }

    /**
     * The host that answered a request, what credentials were configured for it ("user bob"), if any, and
     * the request it refused (method and URL), which tells what the refusal is about.
     */
    record Refusal(String host, java.util.Optional<String> sent, String method, java.net.URI uri) {
    }

    /** A registry error: {@code errors[].code}, {@code message} and {@code detail} (as text; empty when absent). */
    record Error(String code, String message, String detail) {
    }

    static List<Error> parse(byte[] body) {
        List<Error> errors = new ArrayList<>();
        try {
            JsonNode root = JSON.readTree(body);
            if (root != null) {
                for (JsonNode error : root.path("errors")) {
                    JsonNode detail = error.path("detail");
                    errors.add(new Error(error.path("code").asText(""), error.path("message").asText(""),
                            detail.isTextual() ? detail.asText() : detail.isMissingNode() || detail.isNull() ? "" : detail.toString()));
                }
            }
        } catch (Exception notJson) {
            // Proxies and load balancers answer HTML; the status alone then tells what happened.
        }
        return errors;
    }

    /**
     * @param refusing the host that answered, and what credentials went to it: named in a 401's message
     */
    static RegistryException toException(int status, byte[] body, String action, Duration retryAfter, Refusal refusing) {
        List<Error> errors = parse(body);
        return exception(status, errors, action, retryAfter, refusing).withCodes(errors.stream().map(Error::code).toList());
    }

    /** {@code " (HTTP 404, registry says: NAME_UNKNOWN: ...)"}, as every error shows the registry's answer. */
    static String detail(int status, byte[] body) {
        return detail(status, parse(body));
    }

    private static String detail(int status, List<Error> errors) {
        return errors.isEmpty() ? " (HTTP " + status + ")" : " (HTTP " + status + ", registry says: " + describe(errors) + ")";
    }

    private static RegistryException exception(int status, List<Error> errors, String action, Duration retryAfter, Refusal refusing) {
        String detail = detail(status, errors);
        java.util.Optional<RegistryException> aboutTheRepository = RepositoryRefusals.classify(status, errors, action, detail, refusing);
        if (aboutTheRepository.isPresent()) {
            return aboutTheRepository.get();
        }
        if (status == 401 || has(errors, "UNAUTHORIZED")) {
            return new RegistryException.Unauthorized(action, detail, refusing.host(), refusing.sent());
        }
        if (status == 403 || has(errors, "DENIED")) {
            return new RegistryException.Denied(action, detail);
        }
        if (status == 429 || has(errors, "TOOMANYREQUESTS")) {
            return new RegistryException.RateLimited(action, retryAfter);
        }
        if (status == 404 || has(errors, "MANIFEST_UNKNOWN") || has(errors, "BLOB_UNKNOWN") || has(errors, "NAME_UNKNOWN")) {
            return new RegistryException.NotFound(action, detail);
        }
        if (has(errors, "DIGEST_INVALID") || has(errors, "SIZE_INVALID")) {
            return new RegistryException.DigestMismatch("the registry rejected the content while trying to " + action + detail
                    + ": the bytes it received do not match their digest, so the source copy is corrupt or the content was damaged"
                    + " on the way; run the task again, and if it fails the same way copy the image from its origin again"
                    + " (for an images directory: pull it again)");
        }
        if (status >= 500) {
            return new RegistryException("failed to " + action + detail
                    + ": a server error on the registry's side; try again later, or look at the registry's logs", status, null);
        }
        return new RegistryException("failed to " + action + detail, status, null);
    }

    private static boolean has(List<Error> errors, String code) {
        return errors.stream().anyMatch(e -> code.equals(e.code()));
    }

    private static String describe(List<Error> errors) {
        StringBuilder text = new StringBuilder();
        for (Error error : errors) {
            if (text.length() > 0) {
                text.append("; ");
            }
            text.append(error.code());
            if (!error.message().isEmpty()) {
                text.append(": ").append(error.message());
            }
        }
        // A registry message is bounded so a misbehaving server cannot flood the task's output.
        return text.length() > 300 ? text.substring(0, 300) + "..." : text.toString();
    }
}
